import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { Command } from 'commander';

import {
  contentTypeOf,
  listAgreements,
  listFiles,
  MAX_TERMS_FILE_BYTES,
  publishAgreementVersion,
  requireAgreement,
  saveNewAgreement,
  TermsFileTooLarge,
  type Agreement,
  type AgreementFileInput,
} from '../consent/terms.ts';
import { InvalidRequest } from '../errors.ts';
import { action, CLI_ACTOR as actor, output, outputList, tenantAction, tenantOptions, withTenant } from './context.ts';

/** One file from disk as the default localization of a version. */
function readTermsFile(path: string, language: string): AgreementFileInput {
  const contentType = contentTypeOf(path);
  if (!contentType) throw new InvalidRequest('cli.termsFileType', { path });
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    throw new InvalidRequest('cli.unreadable', { path });
  }
  if (size > MAX_TERMS_FILE_BYTES)
    throw new TermsFileTooLarge('terms.fileTooLarge', { path, mb: MAX_TERMS_FILE_BYTES / 1024 / 1024 });
  return {
    fileName: basename(path),
    language,
    isDefault: true,
    contentType,
    data: readFileSync(path).toString('base64'),
  };
}

const summary = (a: Agreement, languages?: string[]) => ({
  id: a.id,
  displayName: a.displayName,
  version: a.version,
  isViewingBeforeAcceptanceRequired: a.isViewingBeforeAcceptanceRequired,
  reacceptDays: a.reacceptDays,
  ...(languages && { languages }),
  createdDateTime: a.createdDateTime,
  modifiedDateTime: a.updatedDateTime,
});

function parseDays(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidRequest('cli.reacceptDays', { value });
  return Number(value);
}

export function termsCommand(): Command {
  const terms = new Command('terms').description(
    "manage a tenant's terms of use (agreements guests accept when they redeem and sign in)",
  );

  tenantOptions(terms.command('add').description('create terms of use from a PDF, text or Markdown file'))
    .requiredOption('--name <name>', 'the display name guests see')
    .requiredOption('--file <path>', 'the terms: a .pdf, .txt or .md file (at most 5 MB)')
    .option('--language <tag>', "the file's language (BCP 47)", 'en-US')
    .option('--expand', 'users must open the terms before they can accept')
    .option('--reaccept-days <n>', 'users accept again every n days (default: once per version)')
    .action(
      action(
        async (opts: {
          tenant: string;
          name: string;
          file: string;
          language: string;
          expand?: boolean;
          reacceptDays?: string;
          json?: boolean;
        }) => {
          const file = readTermsFile(opts.file, opts.language);
          const reacceptDays = opts.reacceptDays === undefined ? null : parseDays(opts.reacceptDays);
          await withTenant(opts.tenant, async (services, tenant) => {
            const agreement = await services.store.transaction((tx) =>
              saveNewAgreement(
                tx,
                services.clock,
                tenant.id,
                {
                  displayName: opts.name,
                  isViewingBeforeAcceptanceRequired: Boolean(opts.expand),
                  reacceptDays,
                  files: [file],
                },
                actor,
              ),
            );
            output(
              opts,
              { tenantId: tenant.id, ...summary(agreement) },
              `Created terms of use "${agreement.displayName}" (${agreement.id}) for ${tenant.displayName}, version 1.`,
            );
          });
        },
      ),
    );

  tenantOptions(
    terms
      .command('version')
      .description('publish a new version of terms of use: every user must accept again')
      .requiredOption('--agreement <id>', 'the agreement id (from `portico terms list`)')
      .requiredOption('--file <path>', 'the new terms: a .pdf, .txt or .md file (at most 5 MB)')
      .option('--language <tag>', "the file's language (default: the current version's default language)"),
  ).action(
    tenantAction(
      async (
        services,
        tenant,
        opts: { tenant: string; agreement: string; file: string; language?: string; json?: boolean },
      ) => {
        const agreement = await services.store.transaction(async (tx) => {
          const current = await requireAgreement(tx, tenant.id, opts.agreement);
          const language =
            opts.language ?? (await listFiles(tx, tenant.id, current.id, current.version))[0]?.language ?? 'en-US';
          const file = readTermsFile(opts.file, language);
          return publishAgreementVersion(tx, services.clock, tenant.id, current.id, [file], actor);
        });
        output(
          opts,
          { tenantId: tenant.id, ...summary(agreement) },
          `Published version ${agreement.version} of "${agreement.displayName}"; users accept it at their next sign-in.`,
        );
      },
    ),
  );

  tenantOptions(terms.command('list').description("list a tenant's terms of use")).action(
    tenantAction(async (services, tenant, opts: { tenant: string; json?: boolean }) => {
      const agreements = await listAgreements(services.store.db, tenant.id);
      const rows = await Promise.all(
        agreements.map(async (a) =>
          summary(
            a,
            (await listFiles(services.store.db, tenant.id, a.id, a.version)).map((f) => f.language),
          ),
        ),
      );
      outputList(
        opts,
        rows,
        rows,
        (r) => {
          const every = r.reacceptDays === null ? 'once per version' : `every ${r.reacceptDays} days`;
          return `${r.id}  ${r.displayName}  v${r.version}  ${r.languages!.join(',')}  (accept ${every}${r.isViewingBeforeAcceptanceRequired ? ', must open first' : ''})`;
        },
        `${tenant.displayName} has no terms of use. Add some with: portico terms add --tenant ${opts.tenant} --name <name> --file <file>`,
      );
    }),
  );

  return terms;
}
