// What every process that opens the store runs after migrating (the server in app.ts, each CLI command in
// cli/context.ts): the store takes the configured deployment key, refuses a key that cannot read what the store
// holds sealed (store/keys.ts), then seals what migration 0015 or an older release left in clear (mail/outbox.ts).
import type { Logger } from 'pino';

import type { KeyRing } from './keyring.ts';
import { sealQueuedMail } from './mail/outbox.ts';
import type { Store } from './store/index.ts';
import { checkKeys, useKeys } from './store/keys.ts';

export async function prepareAtRest(store: Store, keys: KeyRing, log: Logger): Promise<void> {
  useKeys(store.db, keys);
  await checkKeys(store.db);
  const sealed = await sealQueuedMail(store.db);
  if (sealed > 0) log.info({ sealed }, 'sealed queued mail bodies left in clear or under an older key');
}
