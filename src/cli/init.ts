// `portico init`: creates the store on purpose (every other command refuses a store that does not exist), with its
// deployment key and schema. The server's first start then makes the first tenant; `portico tenant create` makes more.
import { Command } from 'commander';

import { loadConfig } from '../config.ts';
import { action, sqlitePath, withServices } from './context.ts';

export function initCommand(): Command {
  return new Command('init')
    .description('create the store (PORTICO_DATABASE_URL) and its key; safe to run again')
    .action(
      action(async () => {
        await withServices(async () => undefined, { create: true });
        const { databaseUrl } = loadConfig();
        console.log(`The store is ready: ${sqlitePath(databaseUrl) ?? databaseUrl.replace(/\/\/[^@/]*@/, '//')}.`);
      }),
    );
}
