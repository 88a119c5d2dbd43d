// The admin center's External collaboration settings (Entra's page of that name): who may invite guests, what guests
// may read, and the collaboration restrictions; saved by the same domain functions as the API's
// /v1.0/policies/authorizationPolicy and /v1.0/policies/b2bCollaborationRestrictions and `portico policy`.
import { Hono } from 'hono';

import { authorizationPatchOf, restrictionsPatchOf, type RestrictionMode } from '../directory/policies.ts';
import {
  ALLOW_INVITES_FROM,
  GUEST_ROLE_IDS,
  type AllowInvitesFrom,
  type GuestUserRoleId,
} from '../directory/settings-schema.ts';
import { saveTenantSettings } from '../directory/settings.ts';
import { requireTenant, type Tenant } from '../directory/tenants.ts';
import { PorticoError } from '../errors.ts';
import { t } from '../i18n/index.ts';
import { Csrf } from '../pages/csrf.tsx';
import { Alert, Submit } from '../pages/fields.tsx';
import type { Services } from '../services.ts';
import { actorOf, shellOf, type AdminEnv, type AdminGuard } from './guard.tsx';
import { PageLayout, type Shell } from './pages.tsx';
import { can } from './roles.ts';

const GUEST_ACCESS = ['member', 'limited', 'restricted'] as const;
const MODES = ['none', 'deny', 'allow'] as const satisfies readonly RestrictionMode[];

interface CollaborationForm {
  allowInvitesFrom: AllowInvitesFrom;
  guestUserRoleId: GuestUserRoleId;
  mode: RestrictionMode;
  domains: string;
}

const formOf = ({ settings }: Tenant): CollaborationForm => ({
  allowInvitesFrom: settings.allowInvitesFrom,
  guestUserRoleId: settings.guestUserRoleId,
  mode: settings.collaborationRestrictionMode,
  domains: settings.collaborationRestrictionDomains.join('\n'),
});

function CollaborationPage({
  lang,
  tenant,
  user,
  csrf,
  form,
  error,
  saved,
}: Shell & {
  form: CollaborationForm;
  error?: string;
  saved: boolean;
}) {
  const radio = (name: string, value: string, label: string, checked: boolean) => (
    <p>
      <input type="radio" id={`${name}-${value}`} name={name} value={value} checked={checked} />{' '}
      <label for={`${name}-${value}`} class="inline">
        {label}
      </label>
    </p>
  );
  const edit = can(user.roles, 'settings');
  return (
    <PageLayout page={{ lang, tenant, user, csrf }} section="collaboration" title={t(lang, 'admin.collaboration')}>
      {saved && <p role="status">{t(lang, 'admin.collaboration.saved')}</p>}
      <Alert text={error} />
      <form method="post" action={`/admin/${tenant.id}/collaboration`}>
        <Csrf value={csrf} />
        <fieldset disabled={!edit}>
          <legend>{t(lang, 'admin.collaboration.invite')}</legend>
          {ALLOW_INVITES_FROM.map((v) =>
            radio('allowInvitesFrom', v, t(lang, `admin.collaboration.invite.${v}`), form.allowInvitesFrom === v),
          )}
        </fieldset>
        <fieldset disabled={!edit}>
          <legend>{t(lang, 'admin.collaboration.guests')}</legend>
          {GUEST_ACCESS.map((k) =>
            radio(
              'guestUserRoleId',
              GUEST_ROLE_IDS[k],
              t(lang, `admin.collaboration.guests.${k}`),
              form.guestUserRoleId === GUEST_ROLE_IDS[k],
            ),
          )}
        </fieldset>
        <fieldset disabled={!edit}>
          <legend>{t(lang, 'admin.collaboration.restrictions')}</legend>
          {MODES.map((m) => radio('mode', m, t(lang, `admin.collaboration.restrictions.${m}`), form.mode === m))}
          <label for="domains">{t(lang, 'admin.collaboration.domains')}</label>
          <textarea id="domains" name="domains" rows={6}>
            {form.domains}
          </textarea>
        </fieldset>
        {edit && <Submit label={t(lang, 'admin.collaboration.save')} />}
      </form>
    </PageLayout>
  );
}

export function collaborationRoutes(services: Services, guard: AdminGuard) {
  const { store, clock } = services;
  const app = new Hono<AdminEnv>();

  app.get('/admin/:tenant/collaboration', guard.signedIn('view'), async (c) => {
    const s = c.var.signed;
    return c.html(<CollaborationPage {...shellOf(s)} form={formOf(s.tenant)} saved={c.req.query('saved') === '1'} />);
  });

  app.post('/admin/:tenant/collaboration', guard.posted('settings'), async (c) => {
    const s = c.var.posted;
    const text = (name: string) => (typeof s.form[name] === 'string' ? s.form[name] : '');
    const form: CollaborationForm = {
      allowInvitesFrom: text('allowInvitesFrom') as AllowInvitesFrom,
      guestUserRoleId: text('guestUserRoleId') as GuestUserRoleId,
      mode: text('mode') as RestrictionMode,
      domains: text('domains').slice(0, 100_000),
    };
    try {
      await store.transaction(async (tx) => {
        const current = await requireTenant(tx, s.tenant.id);
        const patch = {
          ...authorizationPatchOf({ allowInvitesFrom: form.allowInvitesFrom, guestUserRoleId: form.guestUserRoleId }),
          ...restrictionsPatchOf(current.settings, {
            mode: MODES.includes(form.mode) ? form.mode : undefined,
            domains: form.domains.split(/[\r\n,]+/),
          }),
        };
        await saveTenantSettings(tx, clock, s.tenant.id, patch, actorOf(s));
      });
    } catch (error) {
      if (!(error instanceof PorticoError)) throw error;
      return c.html(<CollaborationPage {...shellOf(s)} form={form} error={error.text(s.lang)} saved={false} />, 400);
    }
    return c.redirect(`/admin/${s.tenant.id}/collaboration?saved=1`, 303);
  });

  return app;
}
