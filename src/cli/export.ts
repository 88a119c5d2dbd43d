// `portico export users --csv [--out file]`: every user of the tenant (all pages, a $filter or --search narrowing
// them) as CSV, on the store here or through a remote profile (cli/directory.ts), with a progress bar on stderr.
// Cells are quoted and a leading formula character neutralised (invitations/bulk.ts csvCell, as the admin center's
// export does), the columns those of the admin center's export.
import { createWriteStream, type WriteStream } from 'node:fs';
import cliProgress from 'cli-progress';
import { Command } from 'commander';

import { InvalidRequest } from '../errors.ts';
import { csvCell } from '../invitations/bulk.ts';
import { action, output, tenantOptions } from './context.ts';
import { PAGE, withDirectory, type GraphUser } from './directory.ts';
import { pageSize, usersFilter } from './user.ts';

const HEAD = ['id', 'displayName', 'mail', 'userPrincipalName', 'userType', 'externalUserState', 'createdDateTime'];

export const userCsvLine = (u: GraphUser) =>
  [u.id, u.displayName, u.mail ?? '', u.userPrincipalName, u.userType, u.externalUserState ?? '', u.createdDateTime]
    .map(csvCell)
    .join(',');

const finished = (stream: WriteStream) =>
  new Promise<void>((resolve, reject) => stream.end((error?: Error | null) => (error ? reject(error) : resolve())));

export function exportCommand(): Command {
  const exporting = new Command('export').description("export a tenant's directory");
  tenantOptions(exporting.command('users').description('every user of the tenant as CSV (all pages)'))
    .option('--csv', 'write CSV (the format there is)')
    .option('--out <file>', 'write to this file (created 0600) instead of standard output')
    .option('--filter <odata>', 'an OData $filter, as the API takes it: "userType eq \'Guest\'"')
    .option('--search <text>', 'users whose display name, mail or userPrincipalName starts with this text')
    .option('--page-size <n>', `users a request reads (1 to ${PAGE})`, pageSize)
    .action(
      action(
        async (opts: {
          tenant?: string;
          json?: boolean;
          csv?: boolean;
          out?: string;
          filter?: string;
          search?: string;
          pageSize?: number;
        }) => {
          if (!opts.csv) throw new InvalidRequest('cli.csvOnly');
          await withDirectory(opts.tenant, async (d) => {
            // cli-progress draws only on a terminal; piped stderr stays clean.
            const bar = new cliProgress.SingleBar(
              {
                format: 'Exporting {bar} {value}/{total} users | {eta_formatted} left',
                stream: process.stderr,
                hideCursor: true,
              },
              cliProgress.Presets.shades_classic,
            );
            const users = await d.listUsers(usersFilter(opts), {
              pageSize: opts.pageSize,
              onPage: (items, total) => {
                if (total !== undefined) bar.start(total, 0);
                bar.increment(items);
              },
            });
            bar.stop();
            const text = `${[HEAD.join(','), ...users.map(userCsvLine)].join('\r\n')}\r\n`;
            if (!opts.out) return void process.stdout.write(text);
            const file = createWriteStream(opts.out, { mode: 0o600 });
            file.write(text);
            await finished(file);
            output(opts, { rows: users.length, file: opts.out }, `Exported ${users.length} users to ${opts.out}.`);
          });
        },
      ),
    );
  return exporting;
}
