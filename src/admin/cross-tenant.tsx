// The admin center's cross-tenant access section: the default settings, the organizations with settings of their
// own (added by tenant id or verified domain), each organization's settings and its removal. Saved by the same
// domain functions as PATCH /v1.0/policies/crossTenantAccessPolicy/..., which record the audit events.
import { Hono, type Context } from 'hono';

import {
  ALL_APPLICATIONS,
  ALL_USERS,
  createPartner,
  deletePartner,
  getDefault,
  getPartner,
  listPartners,
  resetDefault,
  updateDefault,
  updatePartner,
  type Access,
  type PolicyConfig,
} from '../crosstenant/policy.ts';
import { getGroup } from '../directory/groups.ts';
import { getTenant, isDomainName, isUuid, resolveTenant } from '../directory/tenants.ts';
import { PorticoError, ResourceNotFound } from '../errors.ts';
import { t, type Lang } from '../i18n/index.ts';
import type { Services } from '../services.ts';
import type { Tx } from '../store/index.ts';
import {
  CrossTenantPage,
  PartnerPage,
  RemovePage,
  RULES,
  type Errors,
  type Kind,
  type Partner,
  type RuleForm,
  type RuleKey,
  type SettingsForm,
  type Status,
} from './cross-tenant-pages.tsx';
import { actorOf, type AdminEnv, type AdminGuard, type Signed } from './guard.tsx';

const MAX_TARGETS = 200;
type DefaultSettings = Awaited<ReturnType<typeof getDefault>>;
type Body = Record<string, string | File>;
/** A rule as the form gave it: allowed or blocked for these ids (or the "all" value); null inherits the default. */
type Picked = { accessType: Access['accessType']; targets: string[] } | null;

const allOf = (kind: Kind) => (kind === 'users' ? ALL_USERS : ALL_APPLICATIONS);
const text = (body: Body, name: string) => (typeof body[name] === 'string' ? body[name] : '');

function ruleForm(rule: Access | null | undefined, kind: Kind, fallback?: Access | null): RuleForm {
  const shown = rule ?? fallback;
  const all = allOf(kind);
  return {
    access: rule ? rule.accessType : 'inherit',
    scope: !shown || shown.targets.some((x) => x.target === all) ? 'all' : 'selected',
    ids: shown
      ? shown.targets
          .filter((x) => x.target !== all)
          .map((x) => x.target)
          .join('\n')
      : '',
  };
}

/** The form of stored settings; on a partner page an inherited rule starts from the default's values. */
function formOf(own: PolicyConfig, fallback?: DefaultSettings): SettingsForm {
  const rules = Object.fromEntries(
    RULES.map((r) => [r.key, ruleForm(own[r.side]?.[r.rule], r.kind, fallback?.[r.side][r.rule])]),
  ) as Record<RuleKey, RuleForm>;
  return {
    rules,
    autoInbound: own.automaticUserConsentSettings?.inboundAllowed === true,
    autoOutbound: own.automaticUserConsentSettings?.outboundAllowed === true,
    trustMfa: (own.inboundTrust?.isMfaAccepted ?? fallback?.inboundTrust.isMfaAccepted) === true,
  };
}

function summary(lang: Lang, kind: Kind, rule: Access | null | undefined): string {
  if (!rule) return '';
  if (rule.targets.some((x) => x.target === allOf(kind)))
    return t(lang, `admin.xtap.sum.${rule.accessType}All${kind === 'users' ? 'Users' : 'Apps'}`);
  return t(lang, `admin.xtap.sum.${rule.accessType}Some`, { count: String(rule.targets.length) });
}

/** The four rules as typed, or the error of each rule that doesn't fit; a partner's rules may also inherit. */
function readForm(
  lang: Lang,
  body: Body,
  partner: boolean,
): { form: SettingsForm; picked?: Record<RuleKey, Picked>; errors: Errors } {
  const form: SettingsForm = {
    rules: {} as Record<RuleKey, RuleForm>,
    autoInbound: body.autoInbound !== undefined,
    autoOutbound: body.autoOutbound !== undefined,
    trustMfa: body.trustMfa !== undefined,
  };
  const picked = {} as Record<RuleKey, Picked>;
  const errors: Errors = {};
  for (const { key, kind } of RULES) {
    const access = text(body, `${key}-access`);
    const scope = text(body, `${key}-scope`);
    const ids = text(body, `${key}-ids`).slice(0, 16_000);
    const accessOk = access === 'allowed' || access === 'blocked' || (partner && access === 'inherit');
    form.rules[key] = {
      access: accessOk ? (access as RuleForm['access']) : partner ? 'inherit' : 'allowed',
      scope: scope === 'selected' ? 'selected' : 'all',
      ids,
    };
    if (!accessOk) {
      errors[key] = t(lang, 'admin.xtap.err.choice');
      continue;
    }
    if (access === 'inherit') {
      picked[key] = null;
      continue;
    }
    if (scope !== 'all' && scope !== 'selected') {
      errors[key] = t(lang, 'admin.xtap.err.choice');
      continue;
    }
    const all = allOf(kind);
    const accessType = access as Access['accessType'];
    if (scope === 'all') {
      picked[key] = { accessType, targets: [all] };
      continue;
    }
    const lines = ids
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter(Boolean);
    const bad = lines.find((l) => !isUuid(l) && l.toLowerCase() !== all.toLowerCase());
    const targets = [...new Set(lines.map((l) => (isUuid(l) ? l.toLowerCase() : all)))];
    if (bad !== undefined)
      errors[key] = t(lang, kind === 'users' ? 'admin.xtap.err.badUserId' : 'admin.xtap.err.badAppId', {
        value: bad.slice(0, 60),
      });
    else if (targets.length === 0) errors[key] = t(lang, 'admin.xtap.err.noIds');
    else if (targets.length > MAX_TARGETS) errors[key] = t(lang, 'admin.xtap.err.tooMany');
    else picked[key] = { accessType, targets };
  }
  return Object.keys(errors).length > 0 ? { form, errors } : { form, picked, errors };
}

export function crossTenantRoutes(services: Services, guard: AdminGuard) {
  const { store, clock } = services;
  const app = new Hono<AdminEnv>();
  const statusOf = (c: Context<AdminEnv>): Status =>
    (['saved', 'added', 'removed', 'reset'] as const).find((k) => c.req.query(k) === '1');
  const nameOf = async (tenantId: string) => (await getTenant(store.db, tenantId))?.displayName;

  /**
   * A rule as Graph stores it. A user or group id is typed by looking it up in the tenant whose people it names, when
   * that tenant is on this deployment; otherwise it keeps the type stored before, or is taken for a user (the check
   * compares ids only, so the type is for reading).
   */
  async function toAccess(
    tx: Tx,
    kind: Kind,
    rule: NonNullable<Picked>,
    owner: string | undefined,
    stored: Access | null | undefined,
  ): Promise<Access> {
    const targets = await Promise.all(
      rule.targets.map(async (target) => {
        if (kind === 'apps') return { target, targetType: 'application' as const };
        if (target === ALL_USERS) return { target, targetType: 'user' as const };
        if (owner && (await getGroup(tx, owner, target))) return { target, targetType: 'group' as const };
        const before = stored?.targets.find((x) => x.target === target)?.targetType;
        return { target, targetType: before === 'group' ? ('group' as const) : ('user' as const) };
      }),
    );
    return { accessType: rule.accessType, targets };
  }

  /** The form's rules as a configuration change; inbound user ids name the partner's people, outbound ours. */
  async function patchOf(
    tx: Tx,
    s: Signed,
    picked: Record<RuleKey, Picked>,
    partnerId: string | undefined,
    stored: PolicyConfig,
  ): Promise<PolicyConfig> {
    const patch: PolicyConfig = {};
    for (const side of ['b2bCollaborationInbound', 'b2bCollaborationOutbound'] as const) {
      const owner = side === 'b2bCollaborationInbound' ? partnerId : s.tenant.id;
      const [users, apps] = RULES.filter((r) => r.side === side).map((r) => picked[r.key]);
      const usersAndGroups = users ? await toAccess(tx, 'users', users, owner, stored[side]?.usersAndGroups) : null;
      const applications = apps ? await toAccess(tx, 'apps', apps, owner, stored[side]?.applications) : null;
      patch[side] = usersAndGroups || applications ? { usersAndGroups, applications } : null;
    }
    return patch;
  }

  async function mainPage(
    c: Context<AdminEnv>,
    s: Signed,
    shown: { form?: SettingsForm; errors?: Errors; organization?: string } = {},
    code: 200 | 400 = 200,
  ) {
    const [settings, partners] = await Promise.all([
      getDefault(store.db, s.tenant.id),
      listPartners(store.db, s.tenant.id),
    ]);
    const customised = (side: PolicyConfig['b2bCollaborationInbound']) =>
      Boolean(side?.usersAndGroups || side?.applications);
    const rows = await Promise.all(
      partners.map(async (p) => ({
        tenantId: p.tenantId,
        name: await nameOf(p.tenantId),
        inbound: customised(p.b2bCollaborationInbound),
        outbound: customised(p.b2bCollaborationOutbound),
        autoInbound: p.automaticUserConsentSettings?.inboundAllowed === true,
        autoOutbound: p.automaticUserConsentSettings?.outboundAllowed === true,
      })),
    );
    return c.html(
      <CrossTenantPage
        lang={s.lang}
        tenant={s.tenant}
        user={s.admin.user}
        csrf={s.admin.csrf}
        form={shown.form ?? formOf(settings)}
        serviceDefault={settings.isServiceDefault}
        errors={shown.errors ?? {}}
        status={code === 200 ? statusOf(c) : undefined}
        partners={rows}
        organization={shown.organization ?? ''}
      />,
      code,
    );
  }

  app.get('/admin/:tenant/cross-tenant', guard.signedIn('view'), async (c) => {
    const s = c.var.signed;
    return mainPage(c, s);
  });

  app.post('/admin/:tenant/cross-tenant', guard.posted('settings'), async (c) => {
    const s = c.var.posted;
    const { form, picked, errors } = readForm(s.lang, s.form, false);
    if (!picked) return mainPage(c, s, { form, errors }, 400);
    try {
      await store.transaction(async (tx) =>
        updateDefault(
          tx,
          clock,
          s.tenant.id,
          {
            ...(await patchOf(tx, s, picked, undefined, await getDefault(tx, s.tenant.id))),
            inboundTrust: { isMfaAccepted: form.trustMfa },
          },
          actorOf(s),
        ),
      );
    } catch (error) {
      if (!(error instanceof PorticoError)) throw error;
      return mainPage(c, s, { form, errors: { form: error.text(s.lang) } }, 400);
    }
    return c.redirect(`/admin/${s.tenant.id}/cross-tenant?saved=1`, 303);
  });

  app.post('/admin/:tenant/cross-tenant/reset', guard.posted('settings'), async (c) => {
    const s = c.var.posted;
    await store.transaction((tx) => resetDefault(tx, clock, s.tenant.id, actorOf(s)));
    return c.redirect(`/admin/${s.tenant.id}/cross-tenant?reset=1`, 303);
  });

  app.post('/admin/:tenant/cross-tenant/partners', guard.posted('settings'), async (c) => {
    const s = c.var.posted;
    const organization = text(s.form, 'organization').trim().slice(0, 300);
    const refuse = (message: string) => mainPage(c, s, { organization, errors: { organization: message } }, 400);
    let partnerId = organization.toLowerCase();
    if (!isUuid(partnerId)) {
      if (!isDomainName(partnerId)) return refuse(t(s.lang, 'admin.xtap.err.orgFormat'));
      const found = await resolveTenant(store.db, partnerId);
      if (!found) return refuse(t(s.lang, 'admin.xtap.err.unknownDomain', { domain: partnerId }));
      partnerId = found.id;
    }
    try {
      await store.transaction((tx) => createPartner(tx, clock, s.tenant.id, partnerId, {}, actorOf(s)));
    } catch (error) {
      if (!(error instanceof PorticoError)) throw error;
      return refuse(error.text(s.lang));
    }
    return c.redirect(`/admin/${s.tenant.id}/cross-tenant/partners/${partnerId}?added=1`, 303);
  });

  /** The partner of the path with its stored settings, or undefined when it has none. */
  async function partnerOf(c: Context<AdminEnv>, s: Signed): Promise<(Partner & { own: PolicyConfig }) | undefined> {
    const own = await getPartner(store.db, s.tenant.id, c.req.param('partner') ?? '');
    return own && { tenantId: own.tenantId, name: await nameOf(own.tenantId), own };
  }

  async function partnerPage(
    c: Context<AdminEnv>,
    s: Signed,
    partner: Partner & { own: PolicyConfig },
    shown: { form?: SettingsForm; errors?: Errors } = {},
    code: 200 | 400 = 200,
  ) {
    const settings = await getDefault(store.db, s.tenant.id);
    const inherited = Object.fromEntries(
      RULES.map((r) => [r.key, summary(s.lang, r.kind, settings[r.side][r.rule])]),
    ) as Record<RuleKey, string>;
    return c.html(
      <PartnerPage
        lang={s.lang}
        tenant={s.tenant}
        user={s.admin.user}
        csrf={s.admin.csrf}
        partner={partner}
        form={shown.form ?? formOf(partner.own, settings)}
        errors={shown.errors ?? {}}
        status={code === 200 ? statusOf(c) : undefined}
        inherited={inherited}
      />,
      code,
    );
  }

  app.get('/admin/:tenant/cross-tenant/partners/:partner', guard.signedIn('view'), async (c) => {
    const s = c.var.signed;
    const partner = await partnerOf(c, s);
    return partner ? partnerPage(c, s, partner) : c.notFound();
  });

  app.post('/admin/:tenant/cross-tenant/partners/:partner', guard.posted('settings'), async (c) => {
    const s = c.var.posted;
    const partner = await partnerOf(c, s);
    if (!partner) return c.notFound();
    const { form, picked, errors } = readForm(s.lang, s.form, true);
    if (!picked) return partnerPage(c, s, partner, { form, errors }, 400);
    try {
      await store.transaction(async (tx) => {
        const patch = await patchOf(
          tx,
          s,
          picked,
          partner.tenantId,
          (await getPartner(tx, s.tenant.id, partner.tenantId)) ?? {},
        );
        patch.automaticUserConsentSettings = { inboundAllowed: form.autoInbound, outboundAllowed: form.autoOutbound };
        patch.inboundTrust = { isMfaAccepted: form.trustMfa };
        await updatePartner(tx, clock, s.tenant.id, partner.tenantId, patch, actorOf(s));
      });
    } catch (error) {
      if (error instanceof ResourceNotFound) return c.notFound();
      if (!(error instanceof PorticoError)) throw error;
      return partnerPage(c, s, partner, { form, errors: { form: error.text(s.lang) } }, 400);
    }
    return c.redirect(`/admin/${s.tenant.id}/cross-tenant/partners/${partner.tenantId}?saved=1`, 303);
  });

  app.get('/admin/:tenant/cross-tenant/partners/:partner/remove', guard.signedIn('settings'), async (c) => {
    const s = c.var.signed;
    const partner = await partnerOf(c, s);
    if (!partner) return c.notFound();
    return c.html(
      <RemovePage lang={s.lang} tenant={s.tenant} user={s.admin.user} csrf={s.admin.csrf} partner={partner} />,
    );
  });

  app.post('/admin/:tenant/cross-tenant/partners/:partner/remove', guard.posted('settings'), async (c) => {
    const s = c.var.posted;
    try {
      await store.transaction((tx) => deletePartner(tx, clock, s.tenant.id, c.req.param('partner') ?? '', actorOf(s)));
    } catch (error) {
      if (error instanceof ResourceNotFound) return c.notFound();
      throw error;
    }
    return c.redirect(`/admin/${s.tenant.id}/cross-tenant?removed=1`, 303);
  });

  return app;
}
