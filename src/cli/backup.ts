// `portico backup <file>`: a consistent copy of the embedded store while the server runs (SQLite's online backup
// API), written readable by its owner only. The deployment key is not in it, on purpose: the copy is useless without
// the key file, which is backed up apart (the README's "Backups" says how to restore both).
import { chmodSync, existsSync } from 'node:fs';
import { resolve } from 'node:path';
import SQLite from 'better-sqlite3';
import { Command } from 'commander';

import { loadConfig } from '../config.ts';
import { defaultKeyFile } from '../keyring.ts';
import { action } from './context.ts';

export function backupCommand(): Command {
  return new Command('backup')
    .description('copy the SQLite store to <file> while the server runs (PostgreSQL: use pg_dump)')
    .argument('<file>', 'where to write the copy (must not exist)')
    .action(
      action(async (file: string) => {
        const config = loadConfig();
        if (!config.databaseUrl.startsWith('sqlite:'))
          throw new Error('backup copies the embedded SQLite store; for PostgreSQL, use pg_dump (see the README)');
        const source = resolve(config.databaseUrl.slice('sqlite:'.length));
        if (!existsSync(source)) throw new Error(`there is no store at ${source}`);
        const target = resolve(file);
        if (existsSync(target)) throw new Error(`${target} exists already; name a new file`);
        const database = new SQLite(source, { readonly: true, fileMustExist: true });
        try {
          const { totalPages } = await database.backup(target);
          chmodSync(target, 0o600);
          const keyFile = config.secretKeyFile ?? defaultKeyFile(config.databaseUrl);
          console.log(`Copied the store (${totalPages} pages) to ${target}.`);
          console.log(
            config.secretKeys.length > 0
              ? 'The deployment key (PORTICO_SECRET_KEY) is not in the copy: keep it apart; the copy needs it.'
              : `The deployment key is not in the copy: back up ${keyFile} apart; the copy needs it.`,
          );
        } finally {
          database.close();
        }
      }),
    );
}
