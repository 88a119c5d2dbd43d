import { closeSync, openSync, writeSync } from 'node:fs';
import cliProgress from 'cli-progress';
import { Command } from 'commander';

import { InvalidRequest } from '../errors.ts';
import { bulkInviteFile } from '../invitations/bulk-file.ts';
import { resultCsvHead, resultCsvLine, rowError, type BulkRow } from '../invitations/bulk.ts';
import { reinviteByAddress } from '../invitations/reinvite.ts';
import { myAppsUrl } from '../oidc/urls.ts';
import { action, CLI_ACTOR as actor, cliLang, printJson, withTenant } from './context.ts';
import { withDirectory } from './directory.ts';
import { isRemote, selectedProfile } from './profiles.ts';

export function inviteCommand(): Command {
  return new Command('invite')
    .description(
      "invite a guest by email (with a remote profile too), or many from a CSV (Entra's bulk-invite template or a plain header row; the store here only)",
    )
    .argument('[email]', 'the address to invite')
    .option('--tenant <id-or-domain>', "the inviting tenant (default: the profile's, `portico config set tenant`)")
    .option('--csv <file>', 'invite every row of this CSV file')
    .option('--result <file>', 'with --csv: where to write the per-row results (default <file>.result.csv)')
    .option('--redirect <url>', 'where the guest lands after redeeming (default: My Apps of the tenant)')
    .option('--message <text>', 'a personal message for the invitation email (plain text)')
    .option('--display-name <name>', "the guest's display name")
    .option('--no-send', 'do not send the invitation email (share the redeem URL yourself)')
    .option(
      '--resend',
      're-invite a pending guest (an expired one too): their latest invitation again, with a new link; the old link stops working',
    )
    .option('--json', 'print JSON for scripts')
    .action(
      action(
        async (
          email: string | undefined,
          opts: {
            tenant?: string;
            csv?: string;
            result?: string;
            redirect?: string;
            message?: string;
            displayName?: string;
            send: boolean;
            json?: boolean;
            resend?: boolean;
          },
        ) => {
          if (Boolean(email) === Boolean(opts.csv)) throw new InvalidRequest('cli.emailOrCsv');
          const profile = selectedProfile();
          if (isRemote(profile) && (opts.csv || opts.resend))
            throw new InvalidRequest('cli.remoteOption', {
              option: opts.csv ? '--csv' : '--resend',
              profile: profile.name,
            });
          if (email && !opts.resend)
            return withDirectory(opts.tenant, async (d) => {
              const r = await d.invite({
                email,
                redirectUrl: opts.redirect,
                displayName: opts.displayName,
                sendMessage: opts.send,
                message: opts.message,
              });
              if (opts.json) return printJson(r);
              console.log(
                `${r.outcome === 'alreadyAccepted' ? 'Already accepted' : 'Invited'} ${email} (user ${r.userId}).`,
              );
              if (r.inviteRedeemUrl)
                console.log(`Redeem URL: ${r.inviteRedeemUrl}${r.emailQueued ? ' (also emailed)' : ''}`);
              if (r.contactConflict)
                console.log(
                  'Note: the address belongs to a contact; the guest was created without mail and can redeem only through this link.',
                );
            });
          await withTenant(opts.tenant, async (services, tenant) => {
            const redirect = opts.redirect ?? myAppsUrl(services.config.baseUrl, tenant.id);
            if (opts.resend) {
              if (!email) throw new InvalidRequest('cli.resendAddress');
              const r = await reinviteByAddress(services, tenant.id, actor, email);
              if (opts.json)
                return printJson({
                  invitationId: r.invitationId,
                  userId: r.user.id,
                  status: r.status,
                  outcome: r.outcome,
                  inviteRedeemUrl: r.inviteRedeemUrl,
                  emailQueued: r.messageQueued,
                });
              console.log(
                `Invited ${email} to ${tenant.displayName} again (user ${r.user.id}); the earlier link no longer works.`,
              );
              if (r.inviteRedeemUrl) console.log(`Redeem URL: ${r.inviteRedeemUrl} (also emailed)`);
              return;
            }
            const bar = new cliProgress.SingleBar(
              {
                format: 'Inviting {bar} {value}/{total} rows | {failed} failed | {eta_formatted} left',
                stream: process.stderr,
                hideCursor: true,
              },
              cliProgress.Presets.shades_classic,
            );
            const started = Date.now();
            const resultPath = opts.result ?? `${opts.csv}.result.csv`;
            // The results go to their file as the rows end, in line order (a run's memory stays flat whatever the
            // number of rows); the file is made only once the CSV was read through without a refusal.
            const results = resultWriter(resultPath);
            // Kept for the summary: every failed row for --json, which lists them all; the first 20 otherwise.
            const failures: BulkRow[] = [];
            let failing = 0;
            let counts;
            try {
              counts = await bulkInviteFile(services, opts.csv!, {
                tenantId: tenant.id,
                actor,
                defaultRedirect: redirect,
                onTotal: (total) => {
                  results.open();
                  if (!opts.json) bar.start(total, 0, { failed: 0 });
                },
                onRow: (row) => {
                  if (row.outcome === 'failed') failing++;
                  if (!opts.json) bar.increment(1, { failed: failing });
                },
                onResult: (row) => {
                  if (row.outcome === 'failed' && (opts.json || failures.length < 20)) failures.push(row);
                  results.write(row);
                },
              });
            } finally {
              if (!opts.json) bar.stop();
              results.close();
            }
            const { rows, failed } = counts;
            const seconds = (Date.now() - started) / 1000;
            const summary = {
              rows,
              invited: rows - failed,
              failed,
              seconds,
              rowsPerSecond: Math.round(rows / Math.max(seconds, 0.001)),
              resultFile: resultPath,
              failures,
            };
            // JSON keeps the en-US text, as the API and the result CSV do; the lines below are for a reader.
            if (opts.json)
              printJson({
                ...summary,
                failures: summary.failures.map(({ line, email: e, error }) => ({ line, email: e, error })),
              });
            else {
              console.log(
                `${summary.invited} of ${summary.rows} rows invited, ${failed} failed, in ${seconds.toFixed(1)} s. Results: ${resultPath}`,
              );
              for (const f of summary.failures.slice(0, 20))
                console.log(`  line ${f.line}: ${f.email || '(empty)'}: ${rowError(f, cliLang())}`);
              if (failed > 20) console.log(`  … and ${failed - 20} more in the result file`);
            }
            if (failed > 0) process.exitCode = 3;
          });
        },
      ),
    );
}

/** The results CSV, written as rows come (buffered, so 100,000 rows are not 100,000 writes), readable by its owner only. */
function resultWriter(path: string) {
  let fd: number | undefined;
  let pending: string[] = [];
  let size = 0;
  const flush = () => {
    if (fd !== undefined && pending.length > 0) writeSync(fd, pending.join(''));
    pending = [];
    size = 0;
  };
  return {
    open() {
      fd = openSync(path, 'w', 0o600);
      writeSync(fd, `${resultCsvHead()}\n`);
    },
    write(row: BulkRow) {
      const line = `${resultCsvLine(row)}\n`;
      pending.push(line);
      size += line.length;
      if (size >= 64 * 1024) flush();
    },
    close() {
      flush();
      if (fd !== undefined) closeSync(fd);
      fd = undefined;
    },
  };
}
