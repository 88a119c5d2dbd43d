// The admin center's cross-tenant access section (issue #21): the list of organizations with settings of their own
// (added by tenant id or verified domain, removed after a confirmation), the default settings page and each
// organization's settings page, one section at a time with one short form per rule. Every POST renders its outcome
// with a notice, which pages/results.ts shows once at a GET address (post/redirect/get). Saved by the same domain
// functions as PATCH /v1.0/policies/crossTenantAccessPolicy/..., which record the audit events.
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
  type Patch,
  type PolicyConfig,
} from '../crosstenant/policy.ts';
import { getTenant, isDomainName, isUuid, resolveTenant } from '../directory/tenants.ts';
import { PorticoError, ResourceNotFound } from '../errors.ts';
import { t, type Lang } from '../i18n/index.ts';
import type { Services } from '../services.ts';
import { PartnersPage } from './cross-tenant-pages.tsx';
import {
  RULES,
  SECTIONS,
  SettingsPage,
  type AccessChoice,
  type Partner,
  type Rule,
  type RuleView,
  type SettingsSection,
  type TrustView,
} from './cross-tenant-settings.tsx';
import { candidatesByIds, findCandidates, MAX_QUERY, type Candidate, type Kind } from './cross-tenant-targets.ts';
import { actorOf, shellOf, type AdminEnv, type AdminGuard, type Posted, type Signed } from './guard.tsx';

const MAX_TARGETS = 200;
type DefaultSettings = Awaited<ReturnType<typeof getDefault>>;
type Body = Record<string, string | File>;

const allOf = (kind: Kind) => (kind === 'users' ? ALL_USERS : ALL_APPLICATIONS);
const text = (body: Body, name: string) => (typeof body[name] === 'string' ? body[name] : '');

/** A rule's refusal beside its form, thrown inside the transaction so that nothing is written. */
class FormError extends Error {}

/** A rule in words: "allowed for all users", "blocked for 2 selected". */
function summary(lang: Lang, kind: Kind, rule: Access | null | undefined): string {
  if (!rule) return t(lang, 'admin.xtap.inheritedShort');
  if (rule.targets.some((x) => x.target === allOf(kind)))
    return t(lang, `admin.xtap.sum.${rule.accessType}All${kind === 'users' ? 'Users' : 'Apps'}`);
  return t(lang, `admin.xtap.sum.${rule.accessType}Some`, { count: String(rule.targets.length) });
}
const trustWords = (lang: Lang, value: boolean | null | undefined) =>
  value === null || value === undefined
    ? t(lang, 'admin.xtap.inheritedShort')
    : t(lang, value ? 'admin.xtap.trust.on' : 'admin.xtap.trust.off');
const inheritedWords = (lang: Lang, own: string, fallback: string) =>
  own === t(lang, 'admin.xtap.inheritedShort') ? t(lang, 'admin.xtap.list.inherited', { value: fallback }) : own;

/** One side's two rules with `rule` changed; null when both inherit. */
function withRule(side: PolicyConfig['b2bCollaborationInbound'], r: Rule, next: Access | null) {
  const both = {
    usersAndGroups: side?.usersAndGroups ?? null,
    applications: side?.applications ?? null,
    [r.rule]: next,
  };
  return both.usersAndGroups || both.applications ? both : null;
}

/** What a settings page is about: the default (no partner) or one partner, with what is stored. */
interface Subject {
  partner?: Partner;
  own: PolicyConfig;
  defaults: DefaultSettings;
}

export function crossTenantRoutes(services: Services, guard: AdminGuard) {
  const { store, clock } = services;
  const app = new Hono<AdminEnv>();

  /** The default settings (`partnerId` null), or a partner's with what is stored; undefined when it has none. */
  async function subjectOf(s: Signed, partnerId: string | null): Promise<Subject | undefined> {
    const defaults = await getDefault(store.db, s.tenant.id);
    if (partnerId === null) return { own: defaults, defaults };
    const own = await getPartner(store.db, s.tenant.id, partnerId);
    if (!own) return undefined;
    const name = (await getTenant(store.db, own.tenantId))?.displayName;
    return { partner: { tenantId: own.tenantId, name }, own, defaults };
  }

  /** The tenant whose users and groups (or apps) a rule names, when it is on this deployment. */
  const pickFrom = (s: Signed, subject: Subject, r: Rule): string | undefined => {
    const partnersOwn = (r.dir === 'inbound') === (r.kind === 'users');
    if (!partnersOwn) return s.tenant.id;
    return subject.partner?.name !== undefined ? subject.partner.tenantId : undefined;
  };

  async function ruleView(
    s: Signed,
    subject: Subject,
    r: Rule,
    search: { q: string } | undefined,
    shown?: Partial<RuleView>,
  ): Promise<RuleView> {
    const own = subject.own[r.side]?.[r.rule] ?? null;
    const all = allOf(r.kind);
    const from = pickFrom(s, subject, r);
    const named = own?.targets.filter((x) => x.target !== all) ?? [];
    const names = from
      ? await candidatesByIds(
          store.db,
          from,
          r.kind,
          named.map((x) => x.target),
        )
      : new Map();
    const chosen: Candidate[] = named.map(
      (x) => names.get(x.target) ?? { id: x.target, type: x.targetType, name: x.target },
    );
    const found =
      search && from
        ? (await findCandidates(store.db, from, r.kind, search.q)).filter((c) => !chosen.some((x) => x.id === c.id))
        : undefined;
    const org =
      from === s.tenant.id
        ? s.tenant.displayName
        : subject.partner
          ? (subject.partner.name ?? subject.partner.tenantId)
          : t(s.lang, 'admin.xtap.pick.anyOrg');
    return {
      rule: r,
      access: own ? own.accessType : 'inherit',
      // A search means picking: the form starts on "selected".
      scope: search || named.length > 0 ? 'selected' : 'all',
      chosen,
      inherited: subject.partner ? summary(s.lang, r.kind, subject.defaults[r.side][r.rule]) : undefined,
      org,
      searchable: from !== undefined,
      search: found && search ? { q: search.q, found } : undefined,
      typed: '',
      ...shown,
    };
  }

  async function settingsPage(
    c: Context<AdminEnv>,
    s: Signed,
    subject: Subject,
    section: SettingsSection,
    shown: { rule?: Partial<RuleView> & { key: string }; trust?: Partial<TrustView>; notice?: string } = {},
    code: 200 | 400 = 200,
  ) {
    const find = c.req.method === 'GET' ? c.req.query('find') : undefined;
    const q = (c.req.query('q') ?? '').trim().slice(0, MAX_QUERY);
    const rules = await Promise.all(
      RULES.filter((r) => r.dir === section).map((r) =>
        ruleView(
          s,
          subject,
          r,
          find === r.key && q !== '' ? { q } : undefined,
          shown.rule?.key === r.key ? shown.rule : undefined,
        ),
      ),
    );
    const trustOwn = subject.own.inboundTrust?.isMfaAccepted;
    const trust: TrustView = {
      value: trustOwn === null || trustOwn === undefined ? 'inherit' : trustOwn ? 'yes' : 'no',
      inherited: subject.partner ? trustWords(s.lang, subject.defaults.inboundTrust.isMfaAccepted) : undefined,
      ...shown.trust,
    };
    return c.html(
      <SettingsPage
        {...shellOf(s)}
        partner={subject.partner}
        section={section}
        rules={rules}
        trust={trust}
        redemption={{
          inbound: subject.own.automaticUserConsentSettings?.inboundAllowed === true,
          outbound: subject.own.automaticUserConsentSettings?.outboundAllowed === true,
        }}
        serviceDefault={subject.partner ? false : subject.defaults.isServiceDefault}
        notice={shown.notice}
      />,
      code,
    );
  }

  async function partnersPage(
    c: Context<AdminEnv>,
    s: Signed,
    shown: { organization?: string; error?: string; notice?: string } = {},
  ) {
    const { lang } = s;
    const [defaults, partners] = await Promise.all([
      getDefault(store.db, s.tenant.id),
      listPartners(store.db, s.tenant.id),
    ]);
    const rows = await Promise.all(
      partners.map(async (p) => ({
        tenantId: p.tenantId,
        name: (await getTenant(store.db, p.tenantId))?.displayName,
        inbound: inheritedWords(
          lang,
          summary(lang, 'users', p.b2bCollaborationInbound?.usersAndGroups),
          summary(lang, 'users', defaults.b2bCollaborationInbound.usersAndGroups),
        ),
        outbound: inheritedWords(
          lang,
          summary(lang, 'users', p.b2bCollaborationOutbound?.usersAndGroups),
          summary(lang, 'users', defaults.b2bCollaborationOutbound.usersAndGroups),
        ),
        trust: inheritedWords(
          lang,
          trustWords(lang, p.inboundTrust?.isMfaAccepted),
          trustWords(lang, defaults.inboundTrust.isMfaAccepted),
        ),
      })),
    );
    return c.html(
      <PartnersPage
        {...shellOf(s)}
        defaults={{
          inbound: summary(lang, 'users', defaults.b2bCollaborationInbound.usersAndGroups),
          outbound: summary(lang, 'users', defaults.b2bCollaborationOutbound.usersAndGroups),
          trust: trustWords(lang, defaults.inboundTrust.isMfaAccepted),
        }}
        partners={rows}
        organization={shown.organization ?? ''}
        error={shown.error}
        notice={shown.notice}
      />,
      shown.error ? 400 : 200,
    );
  }

  /** Saves a change to the default or the partner (its audit event with it). */
  const save = (s: Posted, subject: Subject, change: Patch) =>
    store.transaction((tx) =>
      subject.partner
        ? updatePartner(tx, clock, s.tenant.id, subject.partner.tenantId, change, actorOf(s))
        : updateDefault(tx, clock, s.tenant.id, change, actorOf(s)),
    );

  app.get('/admin/:tenant/cross-tenant', guard.signedIn('view'), async (c) => partnersPage(c, c.var.signed));

  app.post('/admin/:tenant/cross-tenant/partners', guard.posted('settings'), async (c) => {
    const s = c.var.posted;
    const organization = text(s.form, 'organization').trim().slice(0, 300);
    const refuse = (error: string) => partnersPage(c, s, { organization, error });
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
    const subject = (await subjectOf(s, partnerId))!;
    return settingsPage(c, s, subject, 'inbound', { notice: t(s.lang, 'admin.xtap.added') });
  });

  app.post('/admin/:tenant/cross-tenant/partners/:partner/remove', guard.posted('settings'), async (c) => {
    const s = c.var.posted;
    try {
      await store.transaction((tx) => deletePartner(tx, clock, s.tenant.id, c.req.param('partner'), actorOf(s)));
    } catch (error) {
      if (error instanceof ResourceNotFound) return c.notFound();
      throw error;
    }
    return partnersPage(c, s, { notice: t(s.lang, 'admin.xtap.removed') });
  });

  app.post('/admin/:tenant/cross-tenant/reset', guard.posted('settings'), async (c) => {
    const s = c.var.posted;
    await store.transaction((tx) => resetDefault(tx, clock, s.tenant.id, actorOf(s)));
    const subject = (await subjectOf(s, null))!;
    return settingsPage(c, s, subject, 'inbound', { notice: t(s.lang, 'admin.xtap.resetDone') });
  });

  for (const [path, isPartner] of [
    ['/admin/:tenant/cross-tenant/default', false],
    ['/admin/:tenant/cross-tenant/partners/:partner', true],
  ] as const) {
    const which = (c: Context<AdminEnv>) => (isPartner ? (c.req.param('partner') ?? '') : null);
    const show = async (c: Context<AdminEnv>) => {
      const s = c.var.signed;
      const section = (c.req.param('section') ?? 'inbound') as SettingsSection;
      if (!SECTIONS.includes(section)) return c.notFound();
      const subject = await subjectOf(s, which(c));
      return subject ? settingsPage(c, s, subject, section) : c.notFound();
    };
    app.get(path, guard.signedIn('view'), show);
    app.get(`${path}/:section`, guard.signedIn('view'), show);

    app.post(`${path}/rules/:rule`, guard.posted('settings'), async (c) => {
      const s = c.var.posted;
      const r = RULES.find((x) => x.key === c.req.param('rule'));
      const subject = await subjectOf(s, which(c));
      if (!r || !subject) return c.notFound();
      const access = text(s.form, 'access') as AccessChoice;
      const scope = text(s.form, 'scope');
      const typed = text(s.form, 'ids').slice(0, 16_000);
      const adds = Object.keys(s.form)
        .filter((k) => k.startsWith('add.'))
        .map((k) => k.slice(4).toLowerCase())
        .slice(0, MAX_TARGETS + 1);
      const refuse = (error: string) =>
        settingsPage(
          c,
          s,
          subject,
          r.dir,
          {
            rule: {
              key: r.key,
              access: ['inherit', 'allowed', 'blocked'].includes(access) ? access : undefined,
              scope: scope === 'all' || scope === 'selected' ? scope : undefined,
              typed,
              error,
            },
          },
          400,
        );
      const accessOk = access === 'allowed' || access === 'blocked' || (isPartner && access === 'inherit');
      if (!accessOk || (access !== 'inherit' && scope !== 'all' && scope !== 'selected'))
        return refuse(t(s.lang, 'admin.xtap.err.choice'));
      const all = allOf(r.kind);
      const targetType = r.kind === 'users' ? ('user' as const) : ('application' as const);
      let added: Access['targets'] = [];
      if (access !== 'inherit' && scope === 'selected') {
        const from = pickFrom(s, subject, r);
        if (from) {
          const found = await candidatesByIds(store.db, from, r.kind, adds);
          const missing = adds.find((id) => !found.has(id));
          if (missing !== undefined) return refuse(t(s.lang, 'admin.xtap.pick.gone', { id: missing.slice(0, 60) }));
          added = adds.map((id) => ({ target: id, targetType: found.get(id)!.type }));
        } else {
          const lines = typed
            .split(/\r?\n/)
            .map((l) => l.trim())
            .filter(Boolean);
          const bad = lines.find((l) => !isUuid(l));
          if (bad !== undefined) return refuse(t(s.lang, 'admin.xtap.pick.badId', { value: bad.slice(0, 60) }));
          added = lines.map((l) => ({ target: l.toLowerCase(), targetType }));
        }
      } else if (adds.length > 0) return refuse(t(s.lang, 'admin.xtap.pick.scopeAll'));
      try {
        await save(s, subject, (stored) => {
          const own = stored[r.side]?.[r.rule];
          let next: Access | null = null;
          if (access !== 'inherit' && scope === 'all')
            next = { accessType: access, targets: [{ target: all, targetType }] };
          if (access !== 'inherit' && scope === 'selected') {
            const targets = [...(own?.targets.filter((x) => x.target !== all) ?? [])];
            for (const x of added) if (!targets.some((y) => y.target === x.target)) targets.push(x);
            if (targets.length === 0)
              throw new FormError(t(s.lang, `admin.xtap.pick.none.${r.kind}${pickFrom(s, subject, r) ? '' : 'Typed'}`));
            if (targets.length > MAX_TARGETS) throw new FormError(t(s.lang, 'admin.xtap.err.tooMany'));
            next = { accessType: access, targets };
          }
          return { [r.side]: withRule(stored[r.side], r, next) };
        });
      } catch (error) {
        if (error instanceof FormError) return refuse(error.message);
        if (error instanceof ResourceNotFound) return c.notFound();
        if (!(error instanceof PorticoError)) throw error;
        return refuse(error.text(s.lang));
      }
      return settingsPage(c, s, (await subjectOf(s, which(c)))!, r.dir, {
        notice: t(s.lang, 'admin.xtap.saved'),
      });
    });

    app.post(`${path}/rules/:rule/remove`, guard.posted('settings'), async (c) => {
      const s = c.var.posted;
      const r = RULES.find((x) => x.key === c.req.param('rule'));
      const subject = await subjectOf(s, which(c));
      if (!r || !subject) return c.notFound();
      const target = text(s.form, 'target').trim().toLowerCase();
      let removed: Candidate | undefined;
      try {
        await save(s, subject, (stored) => {
          const own = stored[r.side]?.[r.rule];
          const gone = own?.targets.find((x) => x.target === target && x.target !== allOf(r.kind));
          if (!own || !gone) throw new ResourceNotFound('resource.notFound', { id: target.slice(0, 60) });
          const targets = own.targets.filter((x) => x !== gone);
          if (targets.length === 0) throw new FormError(t(s.lang, 'admin.xtap.pick.last'));
          removed = { id: gone.target, type: gone.targetType, name: gone.target };
          return { [r.side]: withRule(stored[r.side], r, { ...own, targets }) };
        });
      } catch (error) {
        if (error instanceof FormError)
          return settingsPage(c, s, subject, r.dir, { rule: { key: r.key, error: error.message } }, 400);
        if (error instanceof ResourceNotFound) return c.notFound();
        throw error;
      }
      const from = pickFrom(s, subject, r);
      const name =
        (from && (await candidatesByIds(store.db, from, r.kind, [target])).get(target)?.name) ?? removed!.name;
      return settingsPage(c, s, (await subjectOf(s, which(c)))!, r.dir, {
        notice: t(s.lang, 'admin.xtap.pick.removed', { name }),
      });
    });

    app.post(`${path}/trust`, guard.posted('settings'), async (c) => {
      const s = c.var.posted;
      const subject = await subjectOf(s, which(c));
      if (!subject) return c.notFound();
      const mfa = text(s.form, 'mfa');
      if (mfa !== 'yes' && mfa !== 'no' && !(isPartner && mfa === 'inherit'))
        return settingsPage(c, s, subject, 'trust', { trust: { error: t(s.lang, 'admin.xtap.err.choice') } }, 400);
      try {
        await save(s, subject, { inboundTrust: mfa === 'inherit' ? null : { isMfaAccepted: mfa === 'yes' } });
      } catch (error) {
        if (error instanceof ResourceNotFound) return c.notFound();
        throw error;
      }
      return settingsPage(c, s, (await subjectOf(s, which(c)))!, 'trust', {
        notice: t(s.lang, 'admin.xtap.saved'),
      });
    });
  }

  app.post('/admin/:tenant/cross-tenant/partners/:partner/redemption', guard.posted('settings'), async (c) => {
    const s = c.var.posted;
    const subject = await subjectOf(s, c.req.param('partner'));
    if (!subject) return c.notFound();
    try {
      await save(s, subject, {
        automaticUserConsentSettings: {
          inboundAllowed: s.form.autoInbound !== undefined,
          outboundAllowed: s.form.autoOutbound !== undefined,
        },
      });
    } catch (error) {
      if (error instanceof ResourceNotFound) return c.notFound();
      throw error;
    }
    return settingsPage(c, s, (await subjectOf(s, c.req.param('partner')))!, 'redemption', {
      notice: t(s.lang, 'admin.xtap.saved'),
    });
  });

  return app;
}
