// `portico domain list|add|verify|unverify|remove`: a tenant's domains, the TXT record that verifies one, and the
// verification itself (through PORTICO_DNS_SERVERS, as the server does).
import { Command } from 'commander';

import {
  addDomain,
  dnsTxtLookup,
  removeDomain,
  TXT_TTL,
  unverifyDomain,
  verificationText,
  verifyDomain,
} from '../directory/domains.ts';
import { listDomains, type TenantDomain } from '../directory/tenants.ts';
import type { Services } from '../services.ts';
import { CLI_ACTOR as actor, output, outputList, printJson, tenantAction, tenantOptions } from './context.ts';

type Opts = { tenant: string; json?: boolean };

const state = (d: TenantDomain) => (d.isInitial ? 'initial' : d.isVerified ? 'verified' : 'unverified');

async function withRecord(services: Services, tenantId: string, d: TenantDomain) {
  return {
    name: d.name,
    isInitial: d.isInitial,
    isVerified: d.isVerified,
    txt: { label: d.name, text: await verificationText(services.store.db, tenantId, d.name), ttl: TXT_TTL },
  };
}

const publishHint = (r: Awaited<ReturnType<typeof withRecord>>) =>
  `To verify it, publish this TXT record at ${r.name} (TTL ${r.txt.ttl}), then run \`portico domain verify ${r.name}\`:\n  ${r.txt.text}`;

export function domainCommand(): Command {
  const domain = new Command('domain').description(
    "manage a tenant's domains: add one, publish its DNS TXT record, verify it",
  );

  tenantOptions(domain.command('list').description("list a tenant's domains and whether each is verified")).action(
    tenantAction(async (services, tenant, opts: Opts) => {
      const rows = await Promise.all(
        (await listDomains(services.store.db, tenant.id)).map((d) => withRecord(services, tenant.id, d)),
      );
      outputList(opts, rows, rows, (r) => `${r.name}  ${state(r)}${r.isVerified ? '' : `  TXT ${r.txt.text}`}`);
    }),
  );

  tenantOptions(
    domain
      .command('add')
      .argument('<name>', 'the domain, such as fabrikam.com')
      .description('add a domain (unverified) and print the TXT record that verifies it'),
  ).action(
    tenantAction(async (services, tenant, opts: Opts, [name]: [string]) => {
      const added = await services.store.transaction((tx) =>
        addDomain(tx, services.clock, tenant.id, name, services.config.domainSuffix, actor),
      );
      const row = await withRecord(services, tenant.id, added);
      output(opts, row, `Added ${row.name} to ${tenant.displayName}, unverified.\n${publishHint(row)}`);
    }),
  );

  tenantOptions(
    domain
      .command('verify')
      .argument('<name>', 'the domain')
      .description("look up the domain's TXT record and verify it when it matches"),
  ).action(
    tenantAction(async (services, tenant, opts: Opts, [name]: [string]) => {
      const verified = await verifyDomain(
        services.store,
        services.clock,
        tenant.id,
        name,
        dnsTxtLookup(services.config.dnsServers),
        actor,
      );
      if (opts.json) return printJson(await withRecord(services, tenant.id, verified));
      console.log(`${verified.name} is verified for ${tenant.displayName}.`);
    }),
  );

  tenantOptions(
    domain
      .command('unverify')
      .argument('<name>', 'the domain')
      .description('make a verified domain unverified: it stops naming the tenant at once'),
  ).action(
    tenantAction(async (services, tenant, opts: Opts, [name]: [string]) => {
      const d = await services.store.transaction((tx) => unverifyDomain(tx, services.clock, tenant.id, name, actor));
      if (opts.json) return printJson(await withRecord(services, tenant.id, d));
      console.log(`${d.name} is no longer verified for ${tenant.displayName}.`);
    }),
  );

  tenantOptions(
    domain.command('remove').argument('<name>', 'the domain').description('remove a domain (never the initial one)'),
  ).action(
    tenantAction(async (services, tenant, opts: Opts, [name]: [string]) => {
      await services.store.transaction((tx) => removeDomain(tx, services.clock, tenant.id, name, actor));
      output(
        opts,
        { removed: name.trim().toLowerCase() },
        `Removed ${name.trim().toLowerCase()} from ${tenant.displayName}.`,
      );
    }),
  );

  return domain;
}
