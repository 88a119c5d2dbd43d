// My Apps: the person's apps at one organization as tiles, the organizations they belong to as a switcher, sign
// out; and, with no organization named, the sign-in options of the common endpoint.
import type { App } from '../apps/apps.ts';
import type { Tenant } from '../directory/tenants.ts';
import { t, type Lang } from '../i18n/index.ts';
import { Submit } from '../pages/fields.tsx';
import { Layout } from '../pages/layout.tsx';
import { LookupForm, OrgBox } from '../pages/org-box.tsx';
import type { Organization } from './organizations.ts';

/** Where a tile sends the person: the app's home page, which signs them in there. */
export const launchUrl = (app: App): string => app.homepageUrl ?? new URL(app.redirectUris[0]!).origin;

export function MyAppsPage({
  lang,
  tenant,
  name,
  apps,
  orgs,
  leave,
}: {
  lang: Lang;
  tenant: Tenant;
  name: string;
  apps: App[];
  orgs: Organization[];
  /** where a guest leaves this organization (deleted/leave.ts), when they may */
  leave?: string;
}) {
  return (
    <Layout lang={lang} title={t(lang, 'myapps.title')} tenant={tenant}>
      <h1>{t(lang, 'myapps.title')}</h1>
      <p class="muted">{t(lang, 'myapps.hello', { name })}</p>
      <h2>{t(lang, 'myapps.apps')}</h2>
      {apps.length === 0 ? (
        <p>{t(lang, 'myapps.none', { tenant: tenant.displayName })}</p>
      ) : (
        <ul class="tiles">
          {apps.map((app) => (
            <li>
              <a href={`/myapps/launch/${app.clientId}?tenantid=${tenant.id}`}>
                {app.logoUrl ? (
                  <img src={app.logoUrl} alt="" />
                ) : (
                  <span class="initial" aria-hidden="true">
                    {app.displayName.slice(0, 1).toUpperCase()}
                  </span>
                )}
                <span>{app.displayName}</span>
              </a>
            </li>
          ))}
        </ul>
      )}
      <p>
        <a href={`/myapps/invite?tenantid=${tenant.id}`}>{t(lang, 'myapps.invite')}</a> ·{' '}
        <a href={`/myapps/people?tenantid=${tenant.id}`}>{t(lang, 'myapps.people')}</a> ·{' '}
        <a href={`/myapps/security-info?tenantid=${tenant.id}`}>{t(lang, 'myapps.securityInfo')}</a>
      </p>
      <h2>{t(lang, 'myapps.orgs')}</h2>
      <ul class="orgs">
        {orgs.map((o) => {
          const label = t(lang, o.guest ? 'myapps.guestAt' : 'myapps.home', { tenant: o.displayName });
          return (
            <li>
              {o.tenantId === tenant.id ? (
                <span aria-current="page">
                  {label} {t(lang, 'myapps.current')}
                </span>
              ) : (
                <a href={`/myapps?tenantid=${o.tenantId}`}>{label}</a>
              )}
            </li>
          );
        })}
      </ul>
      {leave && (
        <p>
          <a href={leave}>{t(lang, 'myapps.leave.action')}</a>
        </p>
      )}
      <form method="post" action="/myapps/signout">
        <input type="hidden" name="tenantid" value={tenant.id} />
        <Submit label={t(lang, 'myapps.signOut')} class="secondary" />
      </form>
    </Layout>
  );
}

export function SignInOptionsPage({
  lang,
  domain,
  error,
  address,
  addressError,
}: {
  lang: Lang;
  domain?: string;
  error?: string;
  /** the address box: what was typed, and why it led nowhere */
  address?: string;
  addressError?: string;
}) {
  return (
    <Layout lang={lang} title={t(lang, 'myapps.title')}>
      <h1>{t(lang, 'myapps.signIn')}</h1>
      <p>{t(lang, 'myapps.signInIntro')}</p>
      {/* The person's address finds their organization by its domain (myapps/routes.tsx /myapps/organization). */}
      <LookupForm
        action="/myapps/organization"
        name="address"
        label={t(lang, 'shell.myapps.address')}
        hint={t(lang, 'shell.myapps.addressHint')}
        submit={t(lang, 'shell.myapps.findOrg')}
        value={address}
        error={addressError}
        type="email"
        autocomplete="username"
      />
      <details open={error !== undefined || domain !== undefined || addressError !== undefined}>
        <summary>{t(lang, 'myapps.options')}</summary>
        <h2>{t(lang, 'myapps.toOrg')}</h2>
        <OrgBox
          lang={lang}
          action="/myapps/organization"
          domain={domain}
          error={error}
          hint={t(lang, 'myapps.domainHint')}
          submit={t(lang, 'myapps.next')}
        />
      </details>
    </Layout>
  );
}
