// What every process that opens the store runs after migrating (the server in app.ts, each CLI command in
// cli/context.ts): the store takes the configured deployment key, refuses a key that cannot read what the store
// holds sealed (store/keys.ts), then seals what migration 0015 or an older release left in clear (mail/outbox.ts),
// and every sealed column's values in clear or under an older key (store/sealed.ts: a rolling upgrade, a rotation a
// crash or a node still sealing with the old key left behind).
import type { Logger } from 'pino';

import type { KeyRing } from './keyring.ts';
import { sealQueuedMail } from './mail/outbox.ts';
import type { Store } from './store/index.ts';
import { checkKeys, useKeys } from './store/keys.ts';
import { resealAll } from './store/sealed.ts';

export async function prepareAtRest(store: Store, keys: KeyRing, log: Logger): Promise<void> {
  useKeys(store.db, keys);
  await checkKeys(store.db);
  const sealed = await sealQueuedMail(store.db);
  if (sealed > 0) log.info({ sealed }, 'sealed queued mail bodies left in clear or under an older key');
  for (const count of await resealAll(store, keys, { stragglers: true })) {
    if (count.resealed > 0) log.info(count, 'sealed stored secrets left in clear or under an older key');
    if (count.unreadable > 0) log.warn(count, 'stored secrets no key of this deployment opens');
  }
}
