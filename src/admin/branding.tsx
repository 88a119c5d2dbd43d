// The admin center's privacy and branding page: the privacy profile and branding of PATCH /v1.0/organization/{id},
// checked by the same schemas (directory/organization.ts) and saved by the same domain function with its audit event.
import { Hono } from 'hono';

import { BRANDING, PRIVACY_PROFILE, saveOrganization, type OrganizationChange } from '../directory/organization.ts';
import type { Tenant } from '../directory/tenants.ts';
import { t, type Lang, type Messages } from '../i18n/index.ts';
import type { Services } from '../services.ts';
import { fieldAria, FormField } from './form-field.tsx';
import { actorOf, shellOf, type AdminEnv, type AdminGuard } from './guard.tsx';
import { SaveForm } from './item-pages.tsx';
import { PageLayout, type Shell } from './pages.tsx';

const FIELDS = ['statementUrl', 'contactEmail', 'logoUrl', 'primaryColor', 'backgroundColor'] as const;
type Field = (typeof FIELDS)[number];
type BrandingForm = Record<Field, string>;
type Errors = Partial<Record<Field, string>>;

const LABEL: Record<Field, keyof Messages> = {
  statementUrl: 'admin.branding.statementUrl',
  contactEmail: 'admin.branding.contactEmail',
  logoUrl: 'admin.branding.logoUrl',
  primaryColor: 'admin.branding.primaryColor',
  backgroundColor: 'admin.branding.backgroundColor',
};
const INVALID: Record<Field, keyof Messages> = {
  statementUrl: 'admin.branding.urlInvalid',
  contactEmail: 'admin.branding.emailInvalid',
  logoUrl: 'admin.branding.urlInvalid',
  primaryColor: 'admin.branding.colorInvalid',
  backgroundColor: 'admin.branding.colorInvalid',
};

const formOf = (tenant: Tenant): BrandingForm => ({
  statementUrl: tenant.privacyStatementUrl ?? '',
  contactEmail: tenant.privacyContactEmail ?? '',
  logoUrl: tenant.branding.logoUrl ?? '',
  primaryColor: tenant.branding.primaryColor ?? '',
  backgroundColor: tenant.branding.backgroundColor ?? '',
});

function BrandingPage({
  form,
  errors,
  saved,
  ...shell
}: Shell & {
  form: BrandingForm;
  errors: Errors;
  saved: boolean;
}) {
  const { lang, tenant, csrf } = shell;
  const field = (id: Field, type: 'text' | 'email' | 'url') => (
    <FormField id={id} label={t(lang, LABEL[id])} error={errors[id]}>
      <input
        id={id}
        name={id}
        type={type === 'url' ? 'text' : type}
        inputmode={type === 'url' ? 'url' : undefined}
        value={form[id]}
        {...fieldAria(id, errors)}
      />
    </FormField>
  );
  return (
    <PageLayout page={shell} section="branding" title={t(lang, 'admin.branding')}>
      {saved && <p role="status">{t(lang, 'admin.branding.saved')}</p>}
      <SaveForm csrf={csrf} action={`/admin/${tenant.id}/branding`} save={t(lang, 'admin.branding.save')}>
        <p class="muted">{t(lang, 'admin.branding.emptyNote')}</p>
        <h2>{t(lang, 'admin.branding.privacy')}</h2>
        {field('statementUrl', 'url')}
        {field('contactEmail', 'email')}
        <h2>{t(lang, 'admin.branding.look')}</h2>
        {field('logoUrl', 'url')}
        {field('primaryColor', 'text')}
        {field('backgroundColor', 'text')}
      </SaveForm>
    </PageLayout>
  );
}

/** The form as an organization change (an empty field removes its value), or the errors of the fields that don't fit. */
function readForm(
  lang: Lang,
  body: Record<string, string | File>,
): { form: BrandingForm; change?: OrganizationChange; errors: Errors } {
  const text = (name: Field) => (typeof body[name] === 'string' ? body[name].trim().slice(0, 4096) : '');
  const form = Object.fromEntries(FIELDS.map((f) => [f, text(f)])) as BrandingForm;
  const privacy = PRIVACY_PROFILE.safeParse({
    statementUrl: form.statementUrl || null,
    contactEmail: form.contactEmail || null,
  });
  const branding = BRANDING.safeParse({
    logoUrl: form.logoUrl || undefined,
    primaryColor: form.primaryColor || undefined,
    backgroundColor: form.backgroundColor || undefined,
  });
  const errors: Errors = {};
  for (const issue of [...(privacy.error?.issues ?? []), ...(branding.error?.issues ?? [])]) {
    const f = issue.path[0] as Field;
    if (FIELDS.includes(f)) errors[f] = t(lang, INVALID[f]);
  }
  if (!privacy.success || !branding.success) return { form, errors };
  // Every branding key is named, so an emptied field drops its value from the stored branding.
  const look = {
    logoUrl: branding.data.logoUrl,
    primaryColor: branding.data.primaryColor,
    backgroundColor: branding.data.backgroundColor,
  };
  return { form, change: { privacyProfile: privacy.data, branding: look }, errors };
}

export function brandingRoutes(services: Services, guard: AdminGuard) {
  const { store, clock } = services;
  const app = new Hono<AdminEnv>();

  app.get('/admin/:tenant/branding', guard.signedIn('view'), async (c) => {
    const s = c.var.signed;
    return c.html(
      <BrandingPage {...shellOf(s)} form={formOf(s.tenant)} errors={{}} saved={c.req.query('saved') === '1'} />,
    );
  });

  app.post('/admin/:tenant/branding', guard.posted('settings'), async (c) => {
    const s = c.var.posted;
    const { form, change, errors } = readForm(s.lang, s.form);
    if (!change) return c.html(<BrandingPage {...shellOf(s)} form={form} errors={errors} saved={false} />, 400);
    await store.transaction((tx) => saveOrganization(tx, clock, s.tenant.id, change, actorOf(s)));
    return c.redirect(`/admin/${s.tenant.id}/branding?saved=1`, 303);
  });

  return app;
}
