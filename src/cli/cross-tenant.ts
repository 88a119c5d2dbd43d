import { Command, Option } from 'commander';

import {
  ALL_APPLICATIONS,
  ALL_USERS,
  deletePartner,
  effectivePolicy,
  getDefault,
  getPartner,
  listPartners,
  updateDefault,
  upsertPartner,
  type Access,
  type PolicyConfig,
} from '../crosstenant/policy.ts';
import { isUuid } from '../directory/tenants.ts';
import { InvalidRequest } from '../errors.ts';
import type { Services } from '../services.ts';
import {
  action,
  CLI_ACTOR as actor,
  output,
  printJson,
  tenantAction,
  tenantOf,
  tenantOptions,
  withServices,
} from './context.ts';

function partnerId(value: string): string {
  if (!isUuid(value.trim())) throw new InvalidRequest('cli.partnerGuid', { value });
  return value.trim().toLowerCase();
}

const everyone = (accessType: 'allowed' | 'blocked'): NonNullable<PolicyConfig['b2bCollaborationInbound']> => ({
  usersAndGroups: { accessType, targets: [{ target: ALL_USERS, targetType: 'user' }] },
  applications: { accessType, targets: [{ target: ALL_APPLICATIONS, targetType: 'application' }] },
});

const target = (t: Access['targets'][number]) =>
  t.target === ALL_USERS
    ? 'all users'
    : t.target === ALL_APPLICATIONS
      ? 'all applications'
      : `${t.targetType} ${t.target}`;
const rule = (r: Access) => `${r.accessType} for ${r.targets.map(target).join(', ')}`;

type Settings = Awaited<ReturnType<typeof getDefault>>;

/** The settings that apply, marking what a partner inherits from the default (`own` is the partner's stored config). */
function describe(settings: Settings | Awaited<ReturnType<typeof effectivePolicy>>, own?: PolicyConfig): string[] {
  const mark = (set: unknown) => (own && (set === undefined || set === null) ? ' (default)' : '');
  const side = (name: 'b2bCollaborationInbound' | 'b2bCollaborationOutbound', label: string) =>
    `  ${label}  users and groups ${rule(settings[name].usersAndGroups!)}${mark(own?.[name]?.usersAndGroups)}; applications ${rule(settings[name].applications!)}${mark(own?.[name]?.applications)}`;
  const auto = settings.automaticUserConsentSettings;
  const onOff = (v: boolean | null | undefined) => (v ? 'on' : 'off');
  return [
    side('b2bCollaborationInbound', 'inbound '),
    side('b2bCollaborationOutbound', 'outbound'),
    `  automatic redemption  inbound ${onOff(auto.inboundAllowed)}${mark(own?.automaticUserConsentSettings?.inboundAllowed)}, outbound ${onOff(auto.outboundAllowed)}${mark(own?.automaticUserConsentSettings?.outboundAllowed)}`,
  ];
}

async function show(
  services: Services,
  tenantRef: string,
  partnerRef: string | undefined,
  json?: boolean,
): Promise<void> {
  const { db } = services.store;
  const tenant = await tenantOf(services, tenantRef);
  if (partnerRef === undefined) {
    const [settings, partners] = await Promise.all([getDefault(db, tenant.id), listPartners(db, tenant.id)]);
    if (json) return printJson({ tenantId: tenant.id, default: settings, partners });
    console.log(
      `Cross-tenant access defaults of ${tenant.displayName}${settings.isServiceDefault ? ' (service defaults)' : ''}:`,
    );
    for (const line of describe(settings)) console.log(line);
    console.log(
      partners.length === 0
        ? 'No partner-specific settings.'
        : `Partners with their own settings: ${partners.map((p) => p.tenantId).join(', ')}`,
    );
    return;
  }
  const partner = partnerId(partnerRef);
  const [own, effective] = await Promise.all([
    getPartner(db, tenant.id, partner),
    effectivePolicy(db, tenant.id, partner),
  ]);
  if (json)
    return printJson({
      tenantId: tenant.id,
      partnerTenantId: partner,
      configured: own !== undefined,
      settings: own ?? null,
      effective,
    });
  console.log(
    own
      ? `Cross-tenant access settings of ${tenant.displayName} for partner ${partner}:`
      : `${tenant.displayName} has no settings of its own for partner ${partner}; the defaults apply:`,
  );
  for (const line of describe(effective, own ?? {})) console.log(line);
}

type SetOpts = {
  tenant: string;
  partner?: string;
  inbound?: 'allow' | 'block';
  outbound?: 'allow' | 'block';
  autoInbound?: 'on' | 'off';
  autoOutbound?: 'on' | 'off';
  json?: boolean;
};

async function set(services: Services, opts: SetOpts): Promise<void> {
  const access = (v: 'allow' | 'block') => everyone(v === 'allow' ? 'allowed' : 'blocked');
  const patch: PolicyConfig = {
    ...(opts.inbound && { b2bCollaborationInbound: access(opts.inbound) }),
    ...(opts.outbound && { b2bCollaborationOutbound: access(opts.outbound) }),
  };
  const auto = {
    ...(opts.autoInbound && { inboundAllowed: opts.autoInbound === 'on' }),
    ...(opts.autoOutbound && { outboundAllowed: opts.autoOutbound === 'on' }),
  };
  if (Object.keys(patch).length === 0 && Object.keys(auto).length === 0)
    throw new InvalidRequest('cli.crossTenantNothing');
  const tenant = await tenantOf(services, opts.tenant);
  const partner = opts.partner === undefined ? undefined : partnerId(opts.partner);
  const verb = await services.store.transaction(async (tx) => {
    // The domain replaces automaticUserConsentSettings as a whole; one flag must keep the other direction's value.
    const stored = partner
      ? (await getPartner(tx, tenant.id, partner))?.automaticUserConsentSettings
      : (await getDefault(tx, tenant.id)).automaticUserConsentSettings;
    const change =
      Object.keys(auto).length === 0 ? patch : { ...patch, automaticUserConsentSettings: { ...stored, ...auto } };
    if (!partner) return updateDefault(tx, services.clock, tenant.id, change, actor).then(() => 'Updated');
    return (await upsertPartner(tx, services.clock, tenant.id, partner, change, actor)).created ? 'Added' : 'Updated';
  });
  if (opts.json) return show(services, tenant.id, partner, true);
  console.log(
    partner
      ? `${verb} the cross-tenant access settings of ${tenant.displayName} for partner ${partner}.`
      : `Updated the cross-tenant access defaults of ${tenant.displayName}.`,
  );
}

export function crossTenantCommand(): Command {
  const xtap = new Command('xtap').description(
    "manage a tenant's cross-tenant access settings (B2B collaboration with other tenants)",
  );

  tenantOptions(
    xtap
      .command('show')
      .description('show the default settings and which partners have their own, or what applies to one partner'),
  )
    .option('--partner <tenant-id>', "a partner tenant's id: its own settings and what it inherits")
    .action(
      action(async (opts: { tenant: string; partner?: string; json?: boolean }) => {
        await withServices((services) => show(services, opts.tenant, opts.partner, opts.json));
      }),
    );

  tenantOptions(
    xtap
      .command('set')
      .description(
        "change the default settings or, with --partner, one partner's (created if needed); each access flag covers all users and all applications",
      ),
  )
    .option('--partner <tenant-id>', "the partner tenant's id (any GUID, also of another deployment)")
    .addOption(new Option('--inbound <access>', 'let people of other tenants in as guests').choices(['allow', 'block']))
    .addOption(
      new Option('--outbound <access>', "let this tenant's people go out as guests").choices(['allow', 'block']),
    )
    .addOption(
      new Option(
        '--auto-inbound <on-off>',
        'redeem invitations from the partner without the consent prompt (partners only)',
      ).choices(['on', 'off']),
    )
    .addOption(
      new Option(
        '--auto-outbound <on-off>',
        "let the partner redeem this tenant's people's invitations without the consent prompt (partners only)",
      ).choices(['on', 'off']),
    )
    .action(
      action(async (opts: SetOpts) => {
        await withServices((services) => set(services, opts));
      }),
    );

  tenantOptions(xtap.command('remove').description("remove a partner's own settings: the defaults apply to it again"))
    .requiredOption('--partner <tenant-id>', "the partner tenant's id")
    .action(
      tenantAction(async (services, tenant, opts: { tenant: string; partner: string; json?: boolean }) => {
        const partner = partnerId(opts.partner);
        await services.store.transaction((tx) => deletePartner(tx, services.clock, tenant.id, partner, actor));
        output(
          opts,
          { tenantId: tenant.id, removed: partner },
          `Removed the cross-tenant access settings of ${tenant.displayName} for partner ${partner}; the defaults apply to it again.`,
        );
      }),
    );

  return xtap;
}
