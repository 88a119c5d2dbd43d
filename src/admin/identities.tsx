// The admin center's external identities page: the tenant's settings of directory/settings.ts as one form, saved by
// the same domain function as `portico tenant set`, and the tenant's identity providers, each linking to its page
// (admin/providers.tsx).
import { Hono } from 'hono';

import { saveTenantSettings, TENANT_SETTINGS, type SettingsPatch } from '../directory/settings.ts';
import type { Tenant } from '../directory/tenants.ts';
import { listProviders, type IdentityProvider, type ProviderKind } from '../federation/providers.ts';
import { t, type Lang, type Messages } from '../i18n/index.ts';
import { Choice } from '../pages/fields.tsx';
import { Table } from '../pages/table.tsx';
import type { Services } from '../services.ts';
import { fieldAria, FormField } from './form-field.tsx';
import { actorOf, shellOf, type AdminEnv, type AdminGuard } from './guard.tsx';
import { SaveForm } from './item-pages.tsx';
import { PageLayout, type Shell } from './pages.tsx';
import { can } from './roles.ts';

/** The numeric settings, each with its label and its refusal. */
const NUMBERS = {
  passcodeValidityMinutes: { label: 'admin.identities.passcodeMinutes', invalid: 'admin.identities.minutesInvalid' },
  passcodeLength: { label: 'admin.identities.passcodeLength', invalid: 'admin.identities.lengthInvalid' },
  passcodeMaxAttempts: { label: 'admin.identities.passcodeAttempts', invalid: 'admin.identities.attemptsInvalid' },
  passcodeResendCooldownSeconds: {
    label: 'admin.identities.passcodeCooldown',
    invalid: 'admin.identities.cooldownInvalid',
  },
  invitationTicketLifetimeDays: { label: 'admin.identities.ticketDays', invalid: 'admin.identities.daysInvalid' },
} as const satisfies Record<string, { label: keyof Messages; invalid: keyof Messages }>;
type Field = keyof typeof NUMBERS;
const FIELDS = Object.keys(NUMBERS) as Field[];
type Errors = Partial<Record<Field | 'invitationReminderDays', string>>;

/** What the form shows: the tenant's settings, stored or default. */
type IdentitiesForm = Record<Field, string> & {
  emailPasscodeEnabled: boolean;
  personalAccountsEnabled: boolean;
  requireInvitedAddressProof: boolean;
  invitationReminderDays: string;
  expirySummaryEmail: boolean;
};

const formOf = ({ settings }: Tenant): IdentitiesForm => ({
  emailPasscodeEnabled: settings.emailPasscodeEnabled,
  personalAccountsEnabled: settings.personalAccountsEnabled,
  requireInvitedAddressProof: settings.requireInvitedAddressProof,
  invitationReminderDays: settings.invitationReminderDays.join(', '),
  expirySummaryEmail: settings.expirySummaryEmail,
  ...(Object.fromEntries(FIELDS.map((f) => [f, String(settings[f])])) as Record<Field, string>),
});

const KIND_LABEL: Record<ProviderKind, string> = {
  saml: 'SAML',
  wsfed: 'WS-Federation',
  oidc: 'OpenID Connect',
  google: 'Google',
};

function IdentitiesPage({
  form,
  errors,
  saved,
  providers,
  notice,
  ...shell
}: Shell & {
  form: IdentitiesForm;
  errors: Errors;
  saved: boolean;
  providers: IdentityProvider[];
  notice?: string;
}) {
  const { lang, tenant, user, csrf } = shell;
  const base = `/admin/${tenant.id}/identities`;
  const hasGoogle = providers.some((p) => p.kind === 'google');
  const number = (id: Field) => (
    <FormField id={id} label={t(lang, NUMBERS[id].label)} error={errors[id]}>
      <input id={id} name={id} type="text" inputmode="numeric" required value={form[id]} {...fieldAria(id, errors)} />
    </FormField>
  );
  return (
    <PageLayout page={shell} section="identities" title={t(lang, 'admin.identities')}>
      {saved && <p role="status">{t(lang, 'admin.identities.saved')}</p>}
      {notice && <p role="status">{notice}</p>}
      <SaveForm csrf={csrf} action={base} save={t(lang, 'admin.identities.save')}>
        <Choice id="emailPasscodeEnabled" checked={form.emailPasscodeEnabled}>
          {t(lang, 'admin.identities.passcode')}
        </Choice>
        {number('passcodeValidityMinutes')}
        {number('passcodeLength')}
        {number('passcodeMaxAttempts')}
        {number('passcodeResendCooldownSeconds')}
        <Choice id="personalAccountsEnabled" checked={form.personalAccountsEnabled}>
          {t(lang, 'admin.personalAccounts')}
        </Choice>
        <Choice id="requireInvitedAddressProof" checked={form.requireInvitedAddressProof}>
          {t(lang, 'admin.identities.proof')}
        </Choice>
        {number('invitationTicketLifetimeDays')}
        <FormField
          id="invitationReminderDays"
          label={t(lang, 'admin.identities.reminderDays')}
          error={errors.invitationReminderDays}
        >
          <input
            id="invitationReminderDays"
            name="invitationReminderDays"
            type="text"
            inputmode="numeric"
            value={form.invitationReminderDays}
            {...fieldAria('invitationReminderDays', errors)}
          />
        </FormField>
        <Choice id="expirySummaryEmail" checked={form.expirySummaryEmail}>
          {t(lang, 'admin.identities.expirySummary')}
        </Choice>
      </SaveForm>
      <h2>{t(lang, 'admin.identities.providers')}</h2>
      <Table
        rows={providers}
        empty={t(lang, 'admin.identities.noProviders')}
        columns={[
          { label: t(lang, 'admin.identities.col.kind'), cell: (p) => KIND_LABEL[p.kind] },
          {
            label: t(lang, 'admin.identities.col.name'),
            cell: (p) => <a href={`${base}/providers/${p.id}`}>{p.displayName}</a>,
          },
          { label: t(lang, 'admin.identities.col.domains'), cell: (p) => p.domains.join(', ') },
        ]}
      />
      {can(user.roles, 'identityProviders') && (
        <p>
          <a href={`${base}/new/saml`}>{t(lang, 'admin.idp.add.saml')}</a>
          {!hasGoogle && (
            <>
              {' '}
              · <a href={`${base}/new/google`}>{t(lang, 'admin.idp.add.google')}</a>
            </>
          )}
          {' · '}
          <a href={`${base}/new/oidc`}>{t(lang, 'admin.idp.add.oidc')}</a>
        </p>
      )}
    </PageLayout>
  );
}

/** The form's fields as a settings patch, or the errors of the fields that don't fit TENANT_SETTINGS. */
/** A numeric field the body leaves out keeps its current value (a page older than the field doesn't reset it). */
function readForm(
  lang: Lang,
  body: Record<string, string | File>,
  current: IdentitiesForm,
): { form: IdentitiesForm; patch?: SettingsPatch; errors: Errors } {
  const text = (name: string) => (typeof body[name] === 'string' ? body[name].trim() : '');
  const form: IdentitiesForm = {
    emailPasscodeEnabled: body.emailPasscodeEnabled !== undefined,
    personalAccountsEnabled: body.personalAccountsEnabled !== undefined,
    requireInvitedAddressProof: body.requireInvitedAddressProof !== undefined,
    invitationReminderDays:
      body.invitationReminderDays === undefined
        ? current.invitationReminderDays
        : text('invitationReminderDays').slice(0, 40),
    expirySummaryEmail: body.expirySummaryEmail !== undefined,
    ...(Object.fromEntries(FIELDS.map((f) => [f, body[f] === undefined ? current[f] : text(f).slice(0, 10)])) as Record<
      Field,
      string
    >),
  };
  const whole = (v: string) => (/^\d{1,9}$/.test(v) ? Number(v) : Number.NaN);
  const parsed = TENANT_SETTINGS.safeParse({
    emailPasscodeEnabled: form.emailPasscodeEnabled,
    personalAccountsEnabled: form.personalAccountsEnabled,
    requireInvitedAddressProof: form.requireInvitedAddressProof,
    invitationReminderDays: form.invitationReminderDays
      .split(',')
      .map((d) => d.trim())
      .filter(Boolean)
      .map(whole),
    expirySummaryEmail: form.expirySummaryEmail,
    ...Object.fromEntries(FIELDS.map((f) => [f, whole(form[f])])),
  });
  if (parsed.success) return { form, patch: parsed.data, errors: {} };
  const errors: Errors = {};
  for (const issue of parsed.error.issues) {
    const field = FIELDS.find((f) => f === issue.path[0]);
    if (field) errors[field] = t(lang, NUMBERS[field].invalid);
    if (issue.path[0] === 'invitationReminderDays')
      errors.invitationReminderDays = t(lang, 'admin.identities.reminderDaysInvalid');
  }
  return { form, errors };
}

export function identitiesRoutes(services: Services, guard: AdminGuard) {
  const { store, clock } = services;
  const app = new Hono<AdminEnv>();

  app.get('/admin/:tenant/identities', guard.signedIn('view'), async (c) => {
    const s = c.var.signed;
    const providers = await listProviders(store.db, s.tenant.id);
    const notice = c.req.query('removed') === '1' ? t(s.lang, 'admin.idp.removed') : undefined;
    return c.html(
      <IdentitiesPage
        {...shellOf(s)}
        form={formOf(s.tenant)}
        errors={{}}
        saved={c.req.query('saved') === '1'}
        providers={providers}
        notice={notice}
      />,
    );
  });

  app.post('/admin/:tenant/identities', guard.posted('settings'), async (c) => {
    const s = c.var.posted;
    const { form, patch, errors } = readForm(s.lang, s.form, formOf(s.tenant));
    if (!patch) {
      const providers = await listProviders(store.db, s.tenant.id);
      return c.html(
        <IdentitiesPage {...shellOf(s)} form={form} errors={errors} saved={false} providers={providers} />,
        400,
      );
    }
    await store.transaction((tx) => saveTenantSettings(tx, clock, s.tenant.id, patch, actorOf(s)));
    return c.redirect(`/admin/${s.tenant.id}/identities?saved=1`, 303);
  });

  return app;
}
