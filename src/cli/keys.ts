// `portico keys`: the deployment key (keyring.ts) that seals every stored secret (store/sealed.ts lists them).
// `status` counts the values each key seals; `rotate` seals them all under a new key; `prune` drops from the key file
// the old keys that seal nothing any more. No key is ever printed or logged: only key ids (an HMAC of a constant).
import { Command } from 'commander';

import { recordAudit } from '../directory/audit.ts';
import { InvalidRequest } from '../errors.ts';
import { isKey, keyId, keyRing, readKeys, writeKeyFile } from '../keyring.ts';
import { newSecret } from '../secrets.ts';
import type { Services } from '../services.ts';
import { checkKeys, useKeys } from '../store/keys.ts';
import { keyUse, resealAll, type KeyUse } from '../store/sealed.ts';
import { action, CLI_ACTOR, output, withServices } from './context.ts';

interface KeyStatus {
  source: string;
  /** the key that seals, then the others held */
  keys: { id: string; seals: boolean; values: number }[];
  /** values under no key held (`v1` that none opens, another key's id) or secrets in clear (`clear`) */
  other: { key: string; values: number }[];
  columns: KeyUse[];
}

async function status(services: Services): Promise<KeyStatus> {
  const { keys, source } = readKeys(services.config);
  const ids = keys.map(keyId);
  const columns = await keyUse(services.store.db, keyRing(keys, source), keys);
  const total = (key: string) => columns.filter((c) => c.key === key).reduce((n, c) => n + c.values, 0);
  const others = [...new Set(columns.map((c) => c.key).filter((k) => !ids.includes(k)))];
  return {
    source,
    keys: ids.map((id, i) => ({ id, seals: i === 0, values: total(id) })),
    other: others.map((key) => ({ key, values: total(key) })),
    columns,
  };
}

const statusText = (s: KeyStatus): string =>
  [
    `Deployment keys from ${s.source}:`,
    ...s.keys.map((k) => `  ${k.id}  ${k.seals ? 'seals new values' : 'old'}  ${k.values} values`),
    ...s.other.map((o) => `  ${o.key === 'clear' ? 'in clear' : `${o.key} (not held)`}  ${o.values} values`),
    ...s.columns.map((c) => `    ${c.table}.${c.column}  ${c.key}  ${c.values}`),
  ].join('\n');

/** The new key of a rotation: from `--new-key-env`, or a fresh one when the keys live in a file. */
function newKeyOf(opts: { newKeyEnv?: string }, held: readonly string[], file: string | null): string | undefined {
  if (opts.newKeyEnv) {
    const name = opts.newKeyEnv;
    const value = process.env[name]?.trim() ?? '';
    if (!isKey(value)) throw new InvalidRequest('cli.keysNewKeyInvalid', { name });
    if (held.includes(value)) throw new InvalidRequest('cli.keysNewKeyHeld', { name });
    return value;
  }
  return file ? newSecret(32) : undefined;
}

export function keysCommand(): Command {
  const keys = new Command('keys').description(
    'the deployment key that seals stored secrets (PORTICO_SECRET_KEY or the key file): status, rotate, prune',
  );

  keys
    .command('status')
    .description('how many stored values each deployment key seals (key ids only, never a key)')
    .option('--json', 'print JSON for scripts')
    .action(
      action(async (opts: { json?: boolean }) =>
        withServices(async (services) => {
          const s = await status(services);
          output(opts, s, statusText(s));
        }),
      ),
    );

  keys
    .command('rotate')
    .description(
      'seal every stored secret under a new deployment key: a new key in the key file, or the one in --new-key-env',
    )
    .option('--new-key-env <VAR>', 'the environment variable holding the new key (required with PORTICO_SECRET_KEY)')
    .option('--json', 'print JSON for scripts')
    .action(
      action(async (opts: { newKeyEnv?: string; json?: boolean }) =>
        withServices(async (services) => {
          const { keys: held, source, file } = readKeys(services.config);
          const fresh = newKeyOf(opts, held, file);
          // PORTICO_SECRET_KEY listing the new key first already (a rotation begun by restarting the nodes with it):
          // what is left is sealing everything under it.
          if (!fresh && held.length < 2) throw new InvalidRequest('cli.keysNewKeyEnv', {});
          const next = fresh ? [fresh, ...held] : held;
          // The key file first names every key a value may be sealed under, so a crash halfway loses nothing (the
          // next start finishes the job: at-rest.ts).
          if (file) writeKeyFile(file, next);
          const ring = keyRing(next, source);
          const { db } = services.store;
          const from = keyId(held[0]!);
          useKeys(db, ring);
          await checkKeys(db); // records the new key's id: a node without it is refused from its next start on
          const counts = await resealAll(services.store, ring);
          const resealed = counts.reduce((n, c) => n + c.resealed, 0);
          const unreadable = counts.reduce((n, c) => n + c.unreadable, 0);
          const tenants = await db.selectFrom('tenants').select(['id', 'display_name']).execute();
          for (const t of tenants)
            await services.store.transaction((tx) =>
              recordAudit(tx, services.clock, t.id, {
                category: 'KeyManagement',
                activity: 'Rotate deployment key',
                operationType: 'Update',
                actor: CLI_ACTOR,
                targets: [{ id: t.id, type: 'Tenant', displayName: t.display_name }],
                details: { fromKeyId: from, toKeyId: ring.id, resealed: String(resealed) },
              }),
            );
          const then = file
            ? `The key file ${file} now holds the new key first and the old ones after it. Restart every process using this store now (a running server holds only the old key); once \`portico keys status\` shows no value under an old key, \`portico keys prune\` removes it.`
            : `Set PORTICO_SECRET_KEY on every node to the new key followed by the old ones (${fresh ? `the value of ${opts.newKeyEnv}, then ` : ''}the current list) and restart them; once \`portico keys status\` shows no value under an old key, remove it from the list.`;
          output(
            opts,
            { fromKeyId: from, toKeyId: ring.id, resealed, unreadable, counts, keyFile: file },
            [
              `Sealed ${resealed} stored values under the new deployment key ${ring.id} (was ${from}).`,
              ...(unreadable > 0 ? [`${unreadable} values no key held opens were left as they are.`] : []),
              then,
            ].join('\n'),
          );
        }),
      ),
    );

  keys
    .command('prune')
    .description('remove from the key file the old keys that seal no stored value any more')
    .option('--json', 'print JSON for scripts')
    .action(
      action(async (opts: { json?: boolean }) =>
        withServices(async (services) => {
          const { keys: held, file } = readKeys(services.config);
          const s = await status(services);
          const kept = held.filter((_k, i) => i === 0 || s.keys[i]!.values > 0);
          const removed = s.keys.filter((k, i) => i > 0 && k.values === 0).map((k) => k.id);
          const stillUsed = s.keys.filter((k, i) => i > 0 && k.values > 0).map((k) => k.id);
          if (file && removed.length > 0) writeKeyFile(file, kept);
          const where = file ? `the key file ${file}` : 'PORTICO_SECRET_KEY (remove them from the list yourself)';
          output(
            opts,
            { removed, stillUsed, keyFile: file },
            [
              removed.length > 0
                ? `Old keys sealing nothing, ${file ? 'removed from' : 'to remove from'} ${where}: ${removed.join(', ')}.`
                : 'No old key to remove.',
              ...(stillUsed.length > 0
                ? [`Still sealing values, kept: ${stillUsed.join(', ')} (restart the servers, then run this again).`]
                : []),
            ].join('\n'),
          );
        }),
      ),
    );
  return keys;
}
