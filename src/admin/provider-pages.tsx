// The admin center's identity provider pages: one form per kind (SAML / WS-Fed, Google, OpenID Connect) for adding
// and editing, the values the IdP's administrator registers, and the removal confirmation. A client secret is
// never put in a page, not even the one just typed into a refused form.
import type { IdentityProvider } from '../federation/providers.ts';
import { t, type Messages } from '../i18n/index.ts';
import { Csrf } from '../pages/csrf.tsx';
import { Choice, Submit } from '../pages/fields.tsx';
import { Properties } from '../pages/table.tsx';
import { AdminLayout, PageLayout, type Shell } from './pages.tsx';

export type FormKind = 'saml' | 'google' | 'oidc';

export interface ProviderForm {
  displayName: string;
  protocol: 'saml' | 'wsfed';
  domains: string;
  source: 'metadata' | 'manual';
  metadataXml: string;
  metadataUrl: string;
  issuerUri: string;
  passiveSignInUri: string;
  signingCertificate: string;
  issuer: string;
  clientId: string;
  /** mfa-policy: the provider is trusted for MFA (SAML/WS-Fed and OpenID Connect) */
  mfaTrusted: boolean;
}

/** The form's text fields. */
type TextField = Exclude<keyof ProviderForm, 'mfaTrusted'>;

/** Where an error is shown: a field's id, 'metadata' (the metadata inputs together) or 'form' (above the form). */
export type ErrorAt = keyof ProviderForm | 'metadata' | 'clientSecret' | 'form';
export type Errors = Partial<Record<ErrorAt, string>>;

/** Shown next to the form: the SP values (SAML) or the redirect URI (OIDC and Google). */
export type Registration = { label: keyof Messages; value: string }[];

interface PageProps extends Shell {
  kind: FormKind;
  provider?: IdentityProvider;
  form: ProviderForm;
  errors: Errors;
  notice?: string;
  registration: Registration;
}

const TITLE: Record<FormKind, keyof Messages> = {
  saml: 'admin.idp.title.saml',
  google: 'admin.idp.title.google',
  oidc: 'admin.idp.title.oidc',
};

export function ProviderPage({
  lang,
  tenant,
  user,
  csrf,
  kind,
  provider,
  form,
  errors,
  notice,
  registration,
}: PageProps) {
  const base = `/admin/${tenant.id}/identities`;
  const action = provider ? `${base}/providers/${provider.id}` : `${base}/new/${kind}`;
  const title = provider ? t(lang, 'admin.idp.title.edit', { name: provider.displayName }) : t(lang, TITLE[kind]);
  const described = (id: ErrorAt, hint?: string) =>
    [errors[id] && `${id}-error`, hint].filter(Boolean).join(' ') || undefined;
  const error = (id: ErrorAt) =>
    errors[id] && (
      <p id={`${id}-error`} class="error" role="alert">
        {errors[id]}
      </p>
    );
  const text = (id: TextField, label: keyof Messages, opts: { url?: boolean; required?: boolean } = {}) => (
    <>
      <label for={id}>{t(lang, label)}</label>
      <input
        id={id}
        name={id}
        type="text"
        inputmode={opts.url ? 'url' : undefined}
        required={opts.required}
        value={form[id]}
        aria-invalid={errors[id] ? 'true' : undefined}
        aria-describedby={described(id)}
      />
      {error(id)}
    </>
  );
  const area = (id: TextField, label: keyof Messages, rows: number, aria: ErrorAt = id) => (
    <>
      <label for={id}>{t(lang, label)}</label>
      <textarea
        id={id}
        name={id}
        rows={rows}
        spellcheck={false}
        aria-invalid={errors[aria] ? 'true' : undefined}
        aria-describedby={described(aria)}
      >
        {form[id]}
      </textarea>
      {aria === id && error(id)}
    </>
  );
  const radio = (value: ProviderForm['source'], label: keyof Messages) => (
    <Choice id={`source-${value}`} name="source" type="radio" value={value} checked={form.source === value}>
      {t(lang, label)}
    </Choice>
  );
  const secret = (
    <>
      <label for="clientSecret">{t(lang, 'admin.idp.clientSecret')}</label>
      <input
        id="clientSecret"
        name="clientSecret"
        type="password"
        autocomplete="off"
        value=""
        required={!provider}
        aria-invalid={errors.clientSecret ? 'true' : undefined}
        aria-describedby={described('clientSecret', provider?.hasClientSecret ? 'clientSecret-hint' : undefined)}
      />
      {provider?.hasClientSecret && (
        <p id="clientSecret-hint" class="muted">
          {t(lang, 'admin.idp.secretKeep')}
        </p>
      )}
      {error('clientSecret')}
    </>
  );
  return (
    <AdminLayout lang={lang} tenant={tenant} user={user} csrf={csrf} section="identities" title={title}>
      {notice && <p role="status">{notice}</p>}
      <p>
        <a href={base}>{t(lang, 'admin.idp.back')}</a>
      </p>
      {error('form')}
      <form method="post" action={action} enctype={kind === 'saml' ? 'multipart/form-data' : undefined}>
        <Csrf value={csrf} />
        {text('displayName', 'admin.idp.name')}
        {kind === 'saml' && !provider && (
          <>
            <label for="protocol">{t(lang, 'admin.idp.protocol')}</label>
            <select id="protocol" name="protocol">
              <option value="saml" selected={form.protocol === 'saml'}>
                {t(lang, 'admin.idp.protocol.saml')}
              </option>
              <option value="wsfed" selected={form.protocol === 'wsfed'}>
                {t(lang, 'admin.idp.protocol.wsfed')}
              </option>
            </select>
          </>
        )}
        {kind === 'saml' && provider && (
          <p>
            {t(lang, 'admin.idp.protocol')}:{' '}
            {t(lang, form.protocol === 'wsfed' ? 'admin.idp.protocol.wsfed' : 'admin.idp.protocol.saml')}
          </p>
        )}
        {kind === 'google' ? (
          <p class="muted">{t(lang, 'admin.idp.googleDomains')}</p>
        ) : (
          area('domains', 'admin.idp.domains', 3)
        )}
        {kind === 'saml' && (
          <fieldset>
            <legend>{t(lang, 'admin.idp.source')}</legend>
            {radio('metadata', 'admin.idp.source.metadata')}
            {area('metadataXml', 'admin.idp.metadataXml', 6, 'metadata')}
            <label for="metadataFile">{t(lang, 'admin.idp.metadataFile')}</label>
            <input
              id="metadataFile"
              name="metadataFile"
              type="file"
              accept=".xml,application/samlmetadata+xml,application/xml,text/xml"
              aria-invalid={errors.metadata ? 'true' : undefined}
              aria-describedby={described('metadata')}
            />
            <label for="metadataUrl">{t(lang, 'admin.idp.metadataUrl')}</label>
            <input
              id="metadataUrl"
              name="metadataUrl"
              type="text"
              inputmode="url"
              value={form.metadataUrl}
              aria-invalid={errors.metadata ? 'true' : undefined}
              aria-describedby={described('metadata')}
            />
            {error('metadata')}
            {radio('manual', 'admin.idp.source.manual')}
            {text('issuerUri', 'admin.idp.issuerUri')}
            {text('passiveSignInUri', 'admin.idp.signInUrl', { url: true })}
            {area('signingCertificate', 'admin.idp.certificate', 6)}
          </fieldset>
        )}
        {kind === 'oidc' && text('issuer', 'admin.idp.issuer', { url: true, required: !provider })}
        {kind !== 'saml' && text('clientId', 'admin.idp.clientId', { required: true })}
        {kind !== 'saml' && secret}
        {kind !== 'google' && (
          <Choice id="mfaTrusted" checked={form.mfaTrusted}>
            {t(lang, 'admin.ca.idpMfaTrusted')}
          </Choice>
        )}
        <Submit label={t(lang, provider ? 'admin.idp.save' : 'admin.idp.create')} />
      </form>
      <h2>{t(lang, kind === 'saml' ? 'admin.idp.sp' : 'admin.idp.redirectUri')}</h2>
      <Properties rows={registration.map((r) => [t(lang, r.label), <code>{r.value}</code>] as const)} />
      {provider && (
        <p>
          <a href={`${base}/providers/${provider.id}/remove`}>{t(lang, 'admin.idp.remove')}</a>
        </p>
      )}
    </AdminLayout>
  );
}

/** The removal confirmation: a plain form, so removing needs no JavaScript and never happens on a GET. */
export function RemoveProviderPage({
  lang,
  tenant,
  user,
  csrf,
  provider,
}: Shell & {
  provider: IdentityProvider;
}) {
  const base = `/admin/${tenant.id}/identities`;
  return (
    <PageLayout
      page={{ lang, tenant, user, csrf }}
      section="identities"
      title={t(lang, 'admin.idp.removeTitle', { name: provider.displayName })}
    >
      <p>{t(lang, 'admin.idp.removeConfirm', { name: provider.displayName, domains: provider.domains.join(', ') })}</p>
      <form method="post" action={`${base}/providers/${provider.id}/remove`}>
        <Csrf value={csrf} />
        <Submit
          label={t(lang, 'admin.idp.removeSubmit')}
          back={{ href: `${base}/providers/${provider.id}`, label: t(lang, 'admin.idp.cancel') }}
          class="secondary danger"
        />
      </form>
    </PageLayout>
  );
}
