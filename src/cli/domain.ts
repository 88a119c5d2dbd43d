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
import { action, printJson, tenantOf, withServices } from './context.ts';

const actor = { kind: 'system' as const, displayName: 'Portico CLI' };
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
  const tenantOption = (c: Command) =>
    c.requiredOption('--tenant <id-or-domain>', 'the tenant').option('--json', 'print JSON for scripts');

  tenantOption(domain.command('list').description("list a tenant's domains and whether each is verified")).action(
    action(async (opts: Opts) => {
      await withServices(async (services) => {
        const tenant = await tenantOf(services, opts.tenant);
        const rows = await Promise.all(
          (await listDomains(services.store.db, tenant.id)).map((d) => withRecord(services, tenant.id, d)),
        );
        if (opts.json) return printJson(rows);
        for (const r of rows) console.log(`${r.name}  ${state(r)}${r.isVerified ? '' : `  TXT ${r.txt.text}`}`);
      });
    }),
  );

  tenantOption(
    domain
      .command('add')
      .argument('<name>', 'the domain, such as fabrikam.com')
      .description('add a domain (unverified) and print the TXT record that verifies it'),
  ).action(
    action(async (name: string, opts: Opts) => {
      await withServices(async (services) => {
        const tenant = await tenantOf(services, opts.tenant);
        const added = await services.store.transaction((tx) =>
          addDomain(tx, services.clock, tenant.id, name, services.config.domainSuffix, actor),
        );
        const row = await withRecord(services, tenant.id, added);
        if (opts.json) return printJson(row);
        console.log(`Added ${row.name} to ${tenant.displayName}, unverified.\n${publishHint(row)}`);
      });
    }),
  );

  tenantOption(
    domain
      .command('verify')
      .argument('<name>', 'the domain')
      .description("look up the domain's TXT record and verify it when it matches"),
  ).action(
    action(async (name: string, opts: Opts) => {
      await withServices(async (services) => {
        const tenant = await tenantOf(services, opts.tenant);
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
      });
    }),
  );

  tenantOption(
    domain
      .command('unverify')
      .argument('<name>', 'the domain')
      .description('make a verified domain unverified: it stops naming the tenant at once'),
  ).action(
    action(async (name: string, opts: Opts) => {
      await withServices(async (services) => {
        const tenant = await tenantOf(services, opts.tenant);
        const d = await services.store.transaction((tx) => unverifyDomain(tx, services.clock, tenant.id, name, actor));
        if (opts.json) return printJson(await withRecord(services, tenant.id, d));
        console.log(`${d.name} is no longer verified for ${tenant.displayName}.`);
      });
    }),
  );

  tenantOption(
    domain.command('remove').argument('<name>', 'the domain').description('remove a domain (never the initial one)'),
  ).action(
    action(async (name: string, opts: Opts) => {
      await withServices(async (services) => {
        const tenant = await tenantOf(services, opts.tenant);
        await services.store.transaction((tx) => removeDomain(tx, services.clock, tenant.id, name, actor));
        if (opts.json) return printJson({ removed: name.trim().toLowerCase() });
        console.log(`Removed ${name.trim().toLowerCase()} from ${tenant.displayName}.`);
      });
    }),
  );

  return domain;
}
