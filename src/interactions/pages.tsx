// The tenant's own sign-in pages: identifier first (email, or one of the tenant's identity providers), then the
// password. What follows a sign-in (terms, the app's requirements) is the sign-in table's (signin/step.ts).
import type { Tenant } from '../directory/tenants.ts';
import { t, type Lang } from '../i18n/index.ts';
import { Csrf } from '../pages/csrf.tsx';
import { AddressField } from '../pages/fields.tsx';
import { Layout } from '../pages/layout.tsx';
import { PasswordForm } from '../pages/password-page.tsx';

export function IdentifierPage({
  lang,
  tenant,
  uid,
  base,
  clientName,
  value,
  error,
  providers = [],
}: {
  lang: Lang;
  tenant: Tenant;
  uid: string;
  base: string;
  clientName: string;
  value?: string;
  error?: string;
  providers?: { id: string; displayName: string }[];
}) {
  return (
    <Layout lang={lang} title={t(lang, 'signin.title')} tenant={tenant}>
      <h1>{t(lang, 'signin.title')}</h1>
      <p class="muted">{t(lang, 'signin.to', { app: clientName })}</p>
      <form method="post" action={`${base}/interaction/${uid}/identifier`} novalidate>
        <AddressField lang={lang} value={value} error={error} />
        <div class="actions">
          <span />
          <button type="submit">{t(lang, 'signin.next')}</button>
        </div>
      </form>
      {providers.length > 0 && (
        <nav aria-label={t(lang, 'signin.providers')}>
          <p class="muted">{t(lang, 'signin.providers')}</p>
          <ul>
            {providers.map((p) => (
              <li>
                <a href={`${base}/interaction/${uid}/idp/${p.id}`}>
                  {t(lang, 'federation.continue.title', { idp: p.displayName })}
                </a>
              </li>
            ))}
          </ul>
        </nav>
      )}
    </Layout>
  );
}

export function PasswordPage({
  lang,
  tenant,
  uid,
  base,
  login,
  error,
}: {
  lang: Lang;
  tenant: Tenant;
  uid: string;
  base: string;
  login: string;
  error?: string;
}) {
  return (
    <PasswordForm
      lang={lang}
      tenant={tenant}
      title={t(lang, 'signin.title')}
      heading={t(lang, 'signin.password')}
      identity={login}
      action={`${base}/interaction/${uid}/password`}
      hidden={<input type="hidden" name="login" value={login} />}
      aside={<a href={`${base}/interaction/${uid}`}>{t(lang, 'signin.back')}</a>}
      error={error}
    />
  );
}

/** prompt=select_account: the people signed in in this browser who may sign in here, and "use another account". */
export function AccountPickerPage({
  lang,
  tenant,
  action,
  clientName,
  accounts,
  anotherCsrf,
}: {
  lang: Lang;
  tenant: Tenant;
  action: string;
  clientName: string;
  accounts: { key: string; csrf: string; name: string; email: string; org: string }[];
  /** the form token of "use another account" */
  anotherCsrf: string;
}) {
  return (
    <Layout lang={lang} title={t(lang, 'select.title')} tenant={tenant}>
      <h1>{t(lang, 'select.title')}</h1>
      <p class="muted">{t(lang, 'select.to', { app: clientName })}</p>
      <ul class="picker">
        {accounts.map((a) => (
          <li>
            <form method="post" action={action}>
              <Csrf value={a.csrf} />
              <button type="submit" name="account" value={a.key}>
                {t(lang, 'select.account', a)}
              </button>
            </form>
          </li>
        ))}
      </ul>
      <form method="post" action={action}>
        <Csrf value={anotherCsrf} />
        <button type="submit" name="account" value="another" class="secondary">
          {t(lang, 'switch.another')}
        </button>
      </form>
    </Layout>
  );
}
