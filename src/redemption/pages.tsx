// The guest's pages during redemption, in the inviting tenant's layout (the home-tenant sign-in page in the home
// tenant's). Every form carries the flow's CSRF value.
import type { Tenant } from '../directory/tenants.ts';
import { t, type Lang } from '../i18n/index.ts';
import { Csrf } from '../pages/csrf.tsx';
import { Alert, CodeField, Submit } from '../pages/fields.tsx';
import { ErrorPage, Layout } from '../pages/layout.tsx';
import { PasswordForm } from '../pages/password-page.tsx';
import { DecisionForm } from '../signin/decision-form.tsx';

type TenantView = Pick<Tenant, 'id' | 'displayName' | 'branding' | 'privacyStatementUrl'>;

export function LandingPage({
  lang,
  tenant,
  inviter,
  email,
  csrf,
}: {
  lang: Lang;
  tenant: TenantView;
  inviter: string;
  email: string;
  csrf: string;
}) {
  return (
    <Layout lang={lang} title={t(lang, 'redeem.title')} tenant={tenant}>
      <h1>{t(lang, 'redeem.title')}</h1>
      <p>{t(lang, 'redeem.invited', { inviter, tenant: tenant.displayName })}</p>
      <p class="identity">{t(lang, 'redeem.as', { email })}</p>
      <form method="post" action="/redeem/start">
        <Csrf value={csrf} />
        <Submit label={t(lang, 'redeem.start')} autofocus />
      </form>
    </Layout>
  );
}

export function InvalidInvitationPage({ lang, tenant }: { lang: Lang; tenant?: TenantView }) {
  return (
    <ErrorPage
      lang={lang}
      tenant={tenant}
      title={t(lang, 'redeem.invalid.title')}
      message={tenant ? t(lang, 'redeem.invalid', { tenant: tenant.displayName }) : t(lang, 'redeem.invalidUnknown')}
    />
  );
}

/** A code mailed to `email`: the passcode sign-in (action /redeem/passcode) or the proof of the invited address (/redeem/proof). */
export function PasscodePage({
  lang,
  tenant,
  email,
  minutes,
  csrf,
  error,
  action = '/redeem/passcode',
}: {
  lang: Lang;
  tenant: TenantView;
  email: string;
  minutes: number;
  csrf: string;
  error?: string;
  action?: string;
}) {
  return (
    <Layout lang={lang} title={t(lang, 'redeem.passcode.title')} tenant={tenant}>
      <h1>{t(lang, 'redeem.passcode.title')}</h1>
      <p>{t(lang, 'redeem.passcode.sent', { email, minutes: String(minutes) })}</p>
      <form method="post" action={action}>
        <Csrf value={csrf} />
        <CodeField label={t(lang, 'redeem.passcode.label')} error={error} digits maxLength={8} />
        <Submit label={t(lang, 'redeem.passcode.submit')} />
      </form>
      <form method="post" action={`${action}/resend`}>
        <Csrf value={csrf} />
        <button type="submit" class="secondary">
          {t(lang, 'redeem.passcode.resend')}
        </button>
      </form>
    </Layout>
  );
}

/** What a page of the invitation flow about the invited address shows: the address, the form token, a refusal. */
interface AddressForm {
  lang: Lang;
  tenant: TenantView;
  email: string;
  csrf: string;
  error?: string;
}

export function HomeSignInPage({ lang, home, tenant, email, csrf, error }: AddressForm & { home: TenantView }) {
  return (
    <PasswordForm
      lang={lang}
      tenant={home}
      title={t(lang, 'redeem.home.title', { home: home.displayName })}
      intro={t(lang, 'redeem.home.intro', { home: home.displayName, tenant: tenant.displayName })}
      identity={email}
      action="/redeem/home"
      csrf={csrf}
      error={error}
    />
  );
}

export function ConsentPage({ lang, tenant, csrf }: { lang: Lang; tenant: TenantView; csrf: string }) {
  const p = { tenant: tenant.displayName };
  return (
    <Layout lang={lang} title={t(lang, 'redeem.consent.title')} tenant={tenant}>
      <h1>{t(lang, 'redeem.consent.title')}</h1>
      <p>{t(lang, 'redeem.consent.intro', p)}</p>
      <ul>
        <li>{t(lang, 'redeem.consent.share')}</li>
      </ul>
      <p>{t(lang, 'redeem.consent.privacy', p)}</p>
      <p>
        {tenant.privacyStatementUrl ? (
          <a href={tenant.privacyStatementUrl} rel="noopener noreferrer">
            {t(lang, 'redeem.consent.privacyLink', p)}
          </a>
        ) : (
          t(lang, 'redeem.consent.noPrivacy', p)
        )}
      </p>
      <DecisionForm
        action="/redeem/consent"
        csrf={csrf}
        name="decision"
        no={['cancel', t(lang, 'redeem.consent.cancel')]}
        yes={['accept', t(lang, 'redeem.consent.accept')]}
        autofocus
      />
    </Layout>
  );
}

export function PersonalSignInPage({ lang, tenant, email, csrf, error }: AddressForm) {
  return (
    <PasswordForm
      lang={lang}
      tenant={tenant}
      title={t(lang, 'redeem.personal.title')}
      intro={t(lang, 'redeem.personal.intro', { email })}
      identity={email}
      action="/redeem/personal"
      csrf={csrf}
      aside={<a href="/personal/reset">{t(lang, 'redeem.personal.forgot')}</a>}
      error={error}
    />
  );
}

export function PersonalSignUpPage({ lang, tenant, email, csrf, error }: AddressForm) {
  return (
    <Layout lang={lang} title={t(lang, 'redeem.signup.title')} tenant={tenant}>
      <h1>{t(lang, 'redeem.signup.title')}</h1>
      <p class="muted">{t(lang, 'redeem.signup.intro', { email, tenant: tenant.displayName })}</p>
      <form method="post" action="/redeem/signup">
        <Csrf value={csrf} />
        <label for="displayName">{t(lang, 'redeem.signup.name')}</label>
        <input id="displayName" name="displayName" type="text" autocomplete="name" required autofocus maxlength={256} />
        <label for="password">{t(lang, 'redeem.signup.password')}</label>
        <input
          id="password"
          name="password"
          type="password"
          autocomplete="new-password"
          required
          minlength={10}
          aria-invalid={error ? 'true' : undefined}
          aria-describedby={error ? 'signup-error' : undefined}
        />
        <Alert id="signup-error" text={error} />
        <Submit label={t(lang, 'redeem.signup.submit')} />
      </form>
    </Layout>
  );
}

export function AccountPickerPage({
  lang,
  tenant,
  home,
  email,
  csrf,
}: {
  lang: Lang;
  tenant: TenantView;
  home: TenantView;
  email: string;
  csrf: string;
}) {
  return (
    <Layout lang={lang} title={t(lang, 'redeem.picker.title')} tenant={tenant}>
      <h1>{t(lang, 'redeem.picker.title')}</h1>
      <p>{t(lang, 'redeem.picker.intro', { email })}</p>
      <form method="post" action="/redeem/pick" class="picker">
        <Csrf value={csrf} />
        <p>
          <button type="submit" name="choice" value="work">
            {t(lang, 'redeem.picker.work', { home: home.displayName })}
          </button>
        </p>
        <p>
          <button type="submit" name="choice" value="personal" class="secondary">
            {t(lang, 'redeem.picker.personal')}
          </button>
        </p>
      </form>
    </Layout>
  );
}

export function ContinuePage({ lang, tenant, csrf }: { lang: Lang; tenant: TenantView; csrf: string }) {
  return (
    <Layout lang={lang} title={t(lang, 'redeem.title')} tenant={tenant}>
      <h1>{t(lang, 'redeem.title')}</h1>
      <form method="post" action="/redeem/complete">
        <Csrf value={csrf} />
        <Submit label={t(lang, 'redeem.continue')} autofocus />
      </form>
    </Layout>
  );
}

/** Discovery found the guest's identity provider: one button to go there (the start POST goes there directly). */
export function FederationPage({
  lang,
  tenant,
  email,
  idp,
  csrf,
}: {
  lang: Lang;
  tenant: TenantView;
  email: string;
  idp: string;
  csrf: string;
}) {
  return (
    <Layout lang={lang} title={t(lang, 'federation.continue.title', { idp })} tenant={tenant}>
      <h1>{t(lang, 'federation.continue.title', { idp })}</h1>
      <p>{t(lang, 'federation.continue', { tenant: tenant.displayName, email, idp })}</p>
      <form method="post" action="/redeem/federation">
        <Csrf value={csrf} />
        <Submit label={t(lang, 'federation.continue.button', { idp })} autofocus />
      </form>
    </Layout>
  );
}
