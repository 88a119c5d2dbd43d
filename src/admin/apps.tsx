// The admin center's apps section (Entra's App registrations and Enterprise applications): the list, registering an
// app, its page, settings, assignments, admin consent and deletion. Every change goes through the domain functions
// the API and CLI use (apps/apps.ts, apps/assignments.ts), which check it and record its audit event.
import { Hono, type Context } from 'hono';

import { listResourceGrants } from '../apps/api-exposure.ts';
import { APP_SORTS, eachApp, searchApps } from '../apps/app-search.ts';
import { createApp, deleteApp, getApp, updateApp, type App, type AppField, type AppSettings } from '../apps/apps.ts';
import {
  assignPrincipal,
  grantAdminConsent,
  listAssignments,
  revokeAdminConsent,
  unassign,
} from '../apps/assignments.ts';
import { setRequiredSignInMethods } from '../apps/sign-in-methods.ts';
import { PorticoError } from '../errors.ts';
import { t, type Messages } from '../i18n/index.ts';
import { issuerFor } from '../oidc/urls.ts';
import type { Services } from '../services.ts';
import { SIGN_IN_METHODS } from '../sessions/amr.ts';
import { AppPage } from './app-page.tsx';
import {
  AppsListPage,
  CreatedPage,
  DeletePage,
  RegisterPage,
  signsIn,
  type AppForm,
  type Errors,
  type FormField,
} from './app-pages.tsx';
import { findGroupByName, findUserByName } from './app-principals.ts';
import { actorOf, adminShellOf, type AdminEnv, type AdminGuard, type Posted, type Signed } from './guard.tsx';
import { csvExportRoute, listSearchOf, PAGE_SIZE } from './list-export.ts';

const text = (body: Record<string, string | File>, name: string, max = 300_000) =>
  typeof body[name] === 'string' ? body[name].slice(0, max) : '';
const lines = (value: string) =>
  value
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);

/** Where a domain error about a setting is shown: its field, or the top of the form. */
const FIELD_OF: Record<AppField, FormField> = {
  displayName: 'displayName',
  redirectUris: 'redirectUris',
  delegatedPermissions: 'permissions',
  adminConsentRequired: 'permissions',
  logoUrl: 'form',
  homepageUrl: 'form',
  signInAudience: 'form',
  identifierUris: 'form',
  api: 'form',
  appRoles: 'form',
  requiredResourceAccess: 'form',
};
const fieldOf = (error: PorticoError): FormField => FIELD_OF[error.details?.field as AppField] ?? 'form';

const formOf = (app: App): AppForm => ({
  displayName: app.displayName,
  redirectUris: app.redirectUris.join('\n'),
  confidential: app.confidential,
  assignmentRequired: app.assignmentRequired,
  userPermissions: app.delegatedPermissions.filter((p) => !app.adminConsentRequired.includes(p)).join('\n'),
  adminPermissions: app.adminConsentRequired.join('\n'),
});

function readForm(body: Record<string, string | File>): AppForm {
  return {
    displayName: text(body, 'displayName', 1000).trim(),
    redirectUris: text(body, 'redirectUris'),
    confidential: body.confidential !== undefined,
    assignmentRequired: body.assignmentRequired !== undefined,
    userPermissions: text(body, 'userPermissions', 20_000),
    adminPermissions: text(body, 'adminPermissions', 20_000),
  };
}

/** The form as the domain's settings. A permission in both lists is one only an administrator may consent to. */
function settingsOf(
  form: AppForm,
): Required<
  Pick<
    AppSettings,
    'displayName' | 'redirectUris' | 'assignmentRequired' | 'delegatedPermissions' | 'adminConsentRequired'
  >
> {
  const admin = lines(form.adminPermissions);
  return {
    displayName: form.displayName,
    redirectUris: lines(form.redirectUris),
    assignmentRequired: form.assignmentRequired,
    delegatedPermissions: [...lines(form.userPermissions).filter((p) => !admin.includes(p)), ...admin],
    adminConsentRequired: admin,
  };
}

/** Equal settings; lists in any order (the form may list permissions in another order than they were stored). */
const same = (a: unknown, b: unknown) =>
  JSON.stringify(Array.isArray(a) ? [...a].sort() : a) === JSON.stringify(Array.isArray(b) ? [...b].sort() : b);

const DONE: Record<string, keyof Messages> = {
  saved: 'admin.apps.done.saved',
  assigned: 'admin.apps.done.assigned',
  unassigned: 'admin.apps.done.unassigned',
  granted: 'admin.apps.done.granted',
  revoked: 'admin.apps.done.revoked',
  methods: 'admin.apps.done.methods',
};

export function appsRoutes(services: Services, guard: AdminGuard) {
  const { store, clock, config } = services;
  const app = new Hono<AdminEnv>();
  const base = (s: Signed) => `/admin/${s.tenant.id}/apps`;
  const page = adminShellOf;

  const searchOf = (c: Context<AdminEnv>) => listSearchOf((name) => c.req.query(name), APP_SORTS);

  app.get('/admin/:tenant/apps', guard.signedIn('view'), async (c) => {
    const s = c.var.signed;
    const search = searchOf(c);
    const found = await searchApps(store.db, s.tenant.id, search, { offset: search.offset, limit: PAGE_SIZE });
    return c.html(
      <AppsListPage
        {...page(s)}
        search={search}
        apps={found.items}
        total={found.total}
        deleted={c.req.query('deleted') === '1'}
      />,
    );
  });

  csvExportRoute(app, guard, {
    section: 'apps',
    head: ['id', 'displayName', 'appId', 'confidential', 'assignmentRequired', 'createdDateTime'],
    each: (c, tenantId) => eachApp(store.db, tenantId, searchOf(c)),
    cells: (a) => [
      a.id,
      a.displayName,
      a.clientId,
      String(a.confidential),
      String(a.assignmentRequired),
      a.createdDateTime,
    ],
  });

  const blank: AppForm = {
    displayName: '',
    redirectUris: '',
    confidential: true,
    assignmentRequired: false,
    userPermissions: '',
    adminPermissions: '',
  };
  app.get('/admin/:tenant/apps/new', guard.signedIn('apps'), async (c) => {
    const s = c.var.signed;
    return c.html(<RegisterPage {...page(s)} form={blank} errors={{}} />);
  });

  app.post('/admin/:tenant/apps/new', guard.posted('apps'), async (c) => {
    const s = c.var.posted;
    const form = readForm(s.form);
    try {
      // As the API registers them: apps that sign users in, with refresh tokens.
      const { app: created, clientSecret } = await store.transaction((tx) =>
        createApp(
          tx,
          clock,
          s.tenant.id,
          {
            ...settingsOf(form),
            grantTypes: ['authorization_code', 'refresh_token'],
            confidential: form.confidential,
          },
          actorOf(s),
        ),
      );
      // The secret is shown on this page only: it is stored hashed; the page itself waits sealed for the one GET its
      // post/redirect/get leads to (pages/results.ts) and is gone once shown.
      return c.html(
        <CreatedPage
          {...page(s)}
          app={created}
          clientSecret={clientSecret}
          issuer={issuerFor(config.baseUrl, s.tenant.id)}
        />,
        201,
      );
    } catch (error) {
      if (!(error instanceof PorticoError)) throw error;
      return c.html(<RegisterPage {...page(s)} form={form} errors={{ [fieldOf(error)]: error.text(s.lang) }} />, 400);
    }
  });

  /** The app page, with what was typed and the errors when a change was refused. */
  async function appPage(
    c: Context<AdminEnv>,
    s: Signed,
    target: App,
    opts: { form?: AppForm; errors?: Errors; typed?: { user?: string; group?: string }; notice?: string } = {},
    status: 200 | 400 | 404 = 200,
  ) {
    const assignments = await listAssignments(store.db, s.tenant.id, target.id);
    const resourceGrants = await listResourceGrants(store.db, s.tenant.id, target.id);
    return c.html(
      <AppPage
        {...page(s)}
        app={target}
        issuer={issuerFor(config.baseUrl, s.tenant.id)}
        assignments={assignments}
        resourceGrants={resourceGrants}
        form={opts.form ?? formOf(target)}
        errors={opts.errors ?? {}}
        typed={{ user: '', group: '', ...opts.typed }}
        notice={opts.notice}
      />,
      status,
    );
  }

  app.get('/admin/:tenant/apps/:id', guard.signedIn('view'), async (c) => {
    const s = c.var.signed;
    const target = await getApp(store.db, s.tenant.id, c.req.param('id'));
    if (!target) return c.notFound();
    const done = DONE[c.req.query('done') ?? ''];
    return appPage(c, s, target, { notice: done && t(s.lang, done) });
  });

  /**
   * A change to an app: the settings right, the CSRF value, an app that may be changed here, then `change`, which
   * answers with a response of its own or the `done` notice to redirect to. Refusals show the app page with the error.
   */
  const change = (
    path: string,
    run: (c: Context<AdminEnv>, s: Posted, target: App) => Promise<Response | keyof typeof DONE>,
    onlySignIn = true,
  ) =>
    app.post(`/admin/:tenant/apps/:id${path}`, guard.posted('apps'), async (c) => {
      const s = c.var.posted;
      const target = await getApp(store.db, s.tenant.id, c.req.param('id'));
      if (!target) return c.notFound();
      if (onlySignIn && !signsIn(target))
        return appPage(c, s, target, { errors: { form: t(s.lang, 'admin.apps.readOnly') } }, 400);
      try {
        const done = await run(c, s, target);
        return done instanceof Response
          ? done
          : c.redirect(
              `${base(s)}/${target.id}?done=${done}#${done === 'saved' ? 'settings' : done === 'methods' ? 'methods' : done.endsWith('assigned') ? 'assignments' : 'consent'}`,
              303,
            );
      } catch (error) {
        if (!(error instanceof PorticoError)) throw error;
        const fresh = (await getApp(store.db, s.tenant.id, target.id)) ?? target;
        return appPage(c, s, fresh, { errors: { form: error.text(s.lang) } }, 400);
      }
    });

  change('', async (c, s, target) => {
    const form = readForm(s.form);
    const wanted = settingsOf(form);
    // Only what changed is sent, so the audit event names the properties that did.
    const patch = Object.fromEntries(
      Object.entries(wanted).filter(([k, v]) => !same(v, target[k as keyof typeof wanted])),
    ) as AppSettings;
    try {
      await store.transaction((tx) => updateApp(tx, clock, s.tenant.id, target.id, patch, actorOf(s)));
    } catch (error) {
      if (!(error instanceof PorticoError)) throw error;
      return appPage(c, s, target, { form, errors: { [fieldOf(error)]: error.text(s.lang) } }, 400);
    }
    return 'saved';
  });

  for (const kind of ['user', 'group'] as const) {
    change(`/assign-${kind}`, async (c, s, target) => {
      const typed = text(s.form, kind, 300).trim();
      const found =
        kind === 'user'
          ? await findUserByName(store.db, s.lang, s.tenant.id, typed)
          : await findGroupByName(store.db, s.lang, s.tenant.id, typed);
      const already =
        found.principal &&
        (await listAssignments(store.db, s.tenant.id, target.id)).some((x) => x.principalId === found.principal!.id);
      const problem =
        found.problem ??
        (already ? t(s.lang, 'admin.apps.alreadyAssigned', { name: found.principal!.displayName }) : undefined);
      if (problem) return appPage(c, s, target, { errors: { [kind]: problem }, typed: { [kind]: typed } }, 400);
      await store.transaction((tx) =>
        assignPrincipal(tx, clock, s.tenant.id, target.id, found.principal!.id, found.principal!.type, actorOf(s)),
      );
      return 'assigned';
    });
  }

  change('/unassign', async (_c, s, target) => {
    await store.transaction((tx) =>
      unassign(tx, clock, s.tenant.id, target.id, text(s.form, 'principalId', 64), actorOf(s)),
    );
    return 'unassigned';
  });

  // Every method ticked means any (null), so a method added later is not shut out by accident.
  change('/sign-in-methods', async (c, s, target) => {
    const ticked = SIGN_IN_METHODS.filter((m) => s.form[`method-${m}`] !== undefined);
    try {
      await store.transaction((tx) =>
        setRequiredSignInMethods(
          tx,
          clock,
          s.tenant.id,
          target.id,
          ticked.length === SIGN_IN_METHODS.length ? null : ticked,
          actorOf(s),
        ),
      );
    } catch (error) {
      if (!(error instanceof PorticoError)) throw error;
      return appPage(c, s, target, { errors: { methods: t(s.lang, 'admin.apps.methodsNone') } }, 400);
    }
    return 'methods';
  });

  change('/consent/grant', async (_c, s, target) => {
    await store.transaction((tx) => grantAdminConsent(tx, clock, s.tenant.id, target.id, actorOf(s)));
    return 'granted';
  });
  change('/consent/revoke', async (_c, s, target) => {
    await store.transaction((tx) => revokeAdminConsent(tx, clock, s.tenant.id, target.id, actorOf(s)));
    return 'revoked';
  });

  app.get('/admin/:tenant/apps/:id/delete', guard.signedIn('apps'), async (c) => {
    const s = c.var.signed;
    const target = await getApp(store.db, s.tenant.id, c.req.param('id'));
    if (!target) return c.notFound();
    const assignments = await listAssignments(store.db, s.tenant.id, target.id);
    return c.html(<DeletePage {...page(s)} app={target} assignments={assignments.length} errors={{}} />);
  });

  // Any app but the management one may go, API clients included; deleteApp refuses the management app.
  change(
    '/delete',
    async (c, s, target) => {
      if (s.form.confirm !== '1') {
        const assignments = await listAssignments(store.db, s.tenant.id, target.id);
        return c.html(
          <DeletePage
            {...page(s)}
            app={target}
            assignments={assignments.length}
            errors={{ confirm: t(s.lang, 'admin.apps.deleteUnconfirmed') }}
          />,
          400,
        );
      }
      await store.transaction((tx) => deleteApp(tx, clock, s.tenant.id, target.id, actorOf(s)));
      return c.redirect(`${base(s)}?deleted=1`, 303);
    },
    false,
  );

  return app;
}
