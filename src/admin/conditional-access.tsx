// The admin center's Conditional Access section (Entra's page of that name): the tenant's policies (list, create from
// the form or from the "require MFA for administrators" template, edit, delete after a confirmation) and the
// authentication methods policy, saved by the same domain functions as the API's /identity/conditionalAccess/policies
// and /policies/authenticationMethodsPolicy. Global Administrators change them; Security Readers read them.
import { Hono, type Context } from 'hono';
import { z } from 'zod';

import {
  METHOD_TYPES,
  updateMethodsPolicy,
  type ConfigurationPatch,
  type MethodType,
} from '../conditional-access/methods-policy.ts';
import {
  ADMIN_PORTALS,
  createPolicy,
  deletePolicy,
  getPolicy,
  GUEST_TYPES,
  listPolicies,
  newPolicySchema,
  POLICY_STATES,
  updatePolicy,
  type NewPolicy,
  type Policy,
  type PolicyState,
} from '../conditional-access/policies.ts';
import { ROLE_DEFINITIONS, SECURITY_READER } from '../directory/role-definitions.ts';
import { requireTenant } from '../directory/tenants.ts';
import { getUser, userSummaries } from '../directory/users.ts';
import { PorticoError } from '../errors.ts';
import { t } from '../i18n/index.ts';
import { errorResponse } from '../pages/layout.tsx';
import type { Services } from '../services.ts';
import {
  ConditionalAccessPage,
  DeletePolicyPage,
  formOfPolicy,
  PolicyPage,
  type PolicyForm,
} from './conditional-access-pages.tsx';
import { actorOf, shellOf, type AdminEnv, type AdminGuard, type Signed } from './guard.tsx';
import { can } from './roles.ts';

/** The roles of the template "Require multifactor authentication for admins": every administrator role. */
const ADMIN_ROLE_IDS = ROLE_DEFINITIONS.filter((r) => r.displayName.endsWith('Administrator')).map((r) => r.id);

/** Global Administrators read and change; Security Readers read (Entra's readers of Conditional Access). */
const mayRead = (s: Signed) => can(s.admin.user.roles, 'settings') || s.admin.user.roles.includes(SECURITY_READER);

const listOf = (text: string) =>
  text
    .split(/[\r\n,]+/)
    .map((x) => x.trim())
    .filter(Boolean)
    .slice(0, 500);

const zodText = (error: z.ZodError) =>
  error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ');

export function conditionalAccessRoutes(services: Services, guard: AdminGuard) {
  const { store, clock } = services;
  const app = new Hono<AdminEnv>();
  const base = (tenantId: string) => `/admin/${tenantId}/conditional-access`;
  const page = (s: Signed) => ({ ...shellOf(s), edit: can(s.admin.user.roles, 'settings') });
  const forbidden = (c: Context<AdminEnv>, s: Signed) =>
    errorResponse(c, s.lang, s.tenant, t(s.lang, 'admin.ca.forbidden'), 403);

  async function overview(c: Context<AdminEnv>, s: Signed, shown: { error?: string; methodsError?: string } = {}) {
    const tenant = await requireTenant(store.db, s.tenant.id);
    const notice = c.req.query('done');
    const notices: Record<string, string> = {
      created: t(s.lang, 'admin.ca.created'),
      saved: t(s.lang, 'admin.ca.saved'),
      deleted: t(s.lang, 'admin.ca.delete.done'),
      methods: t(s.lang, 'admin.ca.methods.saved'),
    };
    return c.html(
      <ConditionalAccessPage
        {...page(s)}
        tenant={tenant}
        policies={await listPolicies(store.db, s.tenant.id)}
        notice={notice ? notices[notice] : undefined}
        {...shown}
      />,
      shown.error || shown.methodsError ? 400 : 200,
    );
  }

  app.get('/admin/:tenant/conditional-access', guard.signedIn('view'), async (c) => {
    const s = c.var.signed;
    return mayRead(s) ? overview(c, s) : forbidden(c, s);
  });

  app.post('/admin/:tenant/conditional-access/template', guard.posted('settings'), async (c) => {
    const s = c.var.posted;
    await store.transaction((tx) =>
      createPolicy(
        tx,
        clock,
        s.tenant.id,
        {
          displayName: t(s.lang, 'admin.ca.template.name'),
          state: 'enabledForReportingButNotEnforced',
          conditions: {
            users: newPolicySchema.shape.conditions.shape.users.parse({ includeRoles: ADMIN_ROLE_IDS }),
            applications: { includeApplications: ['All'], excludeApplications: [] },
          },
          grantControls: { operator: 'OR', builtInControls: ['mfa'] },
        },
        actorOf(s),
      ),
    );
    return c.redirect(`${base(s.tenant.id)}?done=created`, 303);
  });

  app.post('/admin/:tenant/conditional-access/methods', guard.posted('settings'), async (c) => {
    const s = c.var.posted;
    const text = (name: string) => (typeof s.form[name] === 'string' ? s.form[name] : '');
    const changes = METHOD_TYPES.map((type: MethodType) => {
      const patch: ConfigurationPatch = {
        state: text(`enabled.${type}`) === 'on' ? 'enabled' : 'disabled',
        includeTargets: listOf(text(`targets.${type}`)).map((id) => ({ targetType: 'group' as const, id })),
      };
      return { type, patch };
    });
    try {
      for (const { patch } of changes) {
        if (patch.includeTargets!.length === 0) patch.includeTargets = [{ targetType: 'group', id: 'all_users' }];
        const ok = z
          .array(z.object({ id: z.string().max(100) }))
          .max(50)
          .safeParse(patch.includeTargets);
        if (!ok.success) return overview(c, s, { methodsError: zodText(ok.error) });
      }
      await store.transaction((tx) => updateMethodsPolicy(tx, clock, s.tenant.id, changes, actorOf(s)));
    } catch (error) {
      if (!(error instanceof PorticoError)) throw error;
      return overview(c, s, { methodsError: error.text(s.lang) });
    }
    return c.redirect(`${base(s.tenant.id)}?done=methods#methods`, 303);
  });

  app.get('/admin/:tenant/conditional-access/new', guard.signedIn('settings'), async (c) => {
    const s = c.var.signed;
    return c.html(<PolicyPage {...page(s)} form={formOfPolicy(undefined)} />);
  });

  /** The policy's form with user ids shown as their user principal names. */
  async function policyPage(c: Context<AdminEnv>, s: Signed, policy: Policy) {
    const u = policy.conditions.users;
    const people = await userSummaries(store.db, s.tenant.id, [...u.includeUsers, ...u.excludeUsers]);
    const names = new Map([...people].map(([id, p]) => [id, p.userPrincipalName]));
    return c.html(<PolicyPage {...page(s)} policy={policy} form={formOfPolicy(policy, names)} />);
  }

  app.get('/admin/:tenant/conditional-access/:id', guard.signedIn('view'), async (c) => {
    const s = c.var.signed;
    if (!mayRead(s)) return forbidden(c, s);
    const policy = await getPolicy(store.db, s.tenant.id, c.req.param('id'));
    if (!policy) return c.notFound();
    return policyPage(c, s, policy);
  });

  app.get('/admin/:tenant/conditional-access/:id/delete', guard.signedIn('settings'), async (c) => {
    const s = c.var.signed;
    const policy = await getPolicy(store.db, s.tenant.id, c.req.param('id'));
    if (!policy) return c.notFound();
    return c.html(<DeletePolicyPage {...page(s)} policy={policy} />);
  });

  app.post('/admin/:tenant/conditional-access/:id/delete', guard.posted('settings'), async (c) => {
    const s = c.var.posted;
    const policy = await getPolicy(store.db, s.tenant.id, c.req.param('id'));
    if (!policy) return c.notFound();
    await store.transaction((tx) => deletePolicy(tx, clock, s.tenant.id, policy.id, actorOf(s)));
    return c.redirect(`${base(s.tenant.id)}?done=deleted`, 303);
  });

  /** The posted form as typed, and as the API's policy body (users named by principal name resolved to ids). */
  async function readPolicyForm(s: Signed & { form: Record<string, string | File> }) {
    const text = (name: string) => (typeof s.form[name] === 'string' ? s.form[name] : '');
    const on = (name: string) => text(name) === 'on';
    const apps = text('apps');
    const form: PolicyForm = {
      displayName: text('displayName').slice(0, 300),
      state: text('state') as PolicyState,
      allUsers: on('allUsers'),
      includeGuestTypes: GUEST_TYPES.filter((g) => on(`includeGuest.${g}`)),
      excludeGuestTypes: GUEST_TYPES.filter((g) => on(`excludeGuest.${g}`)),
      includeRoles: ROLE_DEFINITIONS.filter((r) => on(`includeRole.${r.id}`)).map((r) => r.id),
      excludeRoles: ROLE_DEFINITIONS.filter((r) => on(`excludeRole.${r.id}`)).map((r) => r.id),
      includeUsers: text('includeUsers').slice(0, 50_000),
      excludeUsers: text('excludeUsers').slice(0, 50_000),
      includeGroups: text('includeGroups').slice(0, 50_000),
      excludeGroups: text('excludeGroups').slice(0, 50_000),
      apps: apps === 'All' || apps === ADMIN_PORTALS ? apps : 'selected',
      includeApps: text('includeApps').slice(0, 50_000),
      excludeApps: text('excludeApps').slice(0, 50_000),
      grant: text('grant') === 'block' ? 'block' : 'mfa',
    };
    const ids = async (list: string[]) => {
      const out: string[] = [];
      for (const name of list) {
        const found = name.includes('@') ? await getUser(store.db, s.tenant.id, name) : undefined;
        if (name.includes('@') && !found) return { error: t(s.lang, 'admin.ca.unknownUser', { name }) };
        out.push(found ? found.id : name);
      }
      return { ids: out };
    };
    const included = await ids(listOf(form.includeUsers));
    const excluded = await ids(listOf(form.excludeUsers));
    if ('error' in included) return { form, error: included.error };
    if ('error' in excluded) return { form, error: excluded.error };
    const guests = (types: string[]) => (types.length ? { guestOrExternalUserTypes: types.join(',') } : null);
    const body = {
      displayName: form.displayName,
      state: POLICY_STATES.includes(form.state) ? form.state : 'bad',
      conditions: {
        users: {
          includeUsers: [...(form.allUsers ? ['All'] : []), ...included.ids],
          excludeUsers: excluded.ids,
          includeGroups: listOf(form.includeGroups),
          excludeGroups: listOf(form.excludeGroups),
          includeRoles: form.includeRoles,
          excludeRoles: form.excludeRoles,
          includeGuestsOrExternalUsers: guests(form.includeGuestTypes),
          excludeGuestsOrExternalUsers: guests(form.excludeGuestTypes),
        },
        applications: {
          includeApplications: form.apps === 'selected' ? listOf(form.includeApps) : [form.apps],
          excludeApplications: listOf(form.excludeApps),
        },
      },
      grantControls: { operator: 'OR', builtInControls: [form.grant] },
    };
    const parsed = newPolicySchema.safeParse(body);
    if (!parsed.success) return { form, error: t(s.lang, 'admin.ca.invalid', { detail: zodText(parsed.error) }) };
    return { form, input: parsed.data as NewPolicy };
  }

  app.post('/admin/:tenant/conditional-access/new', guard.posted('settings'), async (c) => {
    const s = c.var.posted;
    const read = await readPolicyForm(s);
    try {
      if (read.input) {
        await store.transaction((tx) => createPolicy(tx, clock, s.tenant.id, read.input, actorOf(s)));
        return c.redirect(`${base(s.tenant.id)}?done=created`, 303);
      }
    } catch (error) {
      if (!(error instanceof PorticoError)) throw error;
      read.error = error.text(s.lang);
    }
    return c.html(<PolicyPage {...page(s)} form={read.form} error={read.error} />, 400);
  });

  app.post('/admin/:tenant/conditional-access/:id', guard.posted('settings'), async (c) => {
    const s = c.var.posted;
    const policy = await getPolicy(store.db, s.tenant.id, c.req.param('id'));
    if (!policy) return c.notFound();
    const read = await readPolicyForm(s);
    try {
      if (read.input) {
        const { sessionControls: _, ...patch } = read.input;
        await store.transaction((tx) => updatePolicy(tx, clock, s.tenant.id, policy.id, patch, actorOf(s)));
        return c.redirect(`${base(s.tenant.id)}?done=saved`, 303);
      }
    } catch (error) {
      if (!(error instanceof PorticoError)) throw error;
      read.error = error.text(s.lang);
    }
    return c.html(<PolicyPage {...page(s)} policy={policy} form={read.form} error={read.error} />, 400);
  });

  return app;
}
