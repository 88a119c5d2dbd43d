// The consent step of a sign-in to another tenant's multi-tenant app (apps/service-principals.ts): the first time a
// user of this tenant signs in to it, they see what it asks and accept (which creates the app's service principal
// here, if it has none yet) or cancel (the app gets access_denied). When the app asks for permissions only an
// administrator may grant, and no administrator of this tenant has, the step says so and stops.
import { clientAppFor, consentForUser, hasConsented, type TenantApp } from '../apps/service-principals.ts';
import { getTenant } from '../directory/tenants.ts';
import { getUser } from '../directory/users.ts';
import { t } from '../i18n/index.ts';
import { Csrf } from '../pages/csrf.tsx';
import { ErrorPage, Layout } from '../pages/layout.tsx';
import type { Services } from '../services.ts';
import { DONE, type SignIn, type Step } from '../signin/step.ts';

type ConsentSignIn = SignIn & {
  gate: { app: { clientId: string } };
  /** the interaction: its authorization request's parameters */
  s: { details: { params: Record<string, unknown> } };
};
type Foreign = TenantApp & { foreign: NonNullable<TenantApp['foreign']> };

const SCOPE = 'openid profile email offline_access';

/** Whether the app asks to keep access (`offline_access`: a refresh token). */
const asksOffline = (signIn: ConsentSignIn): boolean =>
  String(signIn.s.details.params.scope ?? '')
    .split(' ')
    .includes('offline_access');

export function appConsentStep(services: Services): Step<ConsentSignIn> {
  const { store, clock } = services;
  const foreignApp = async (signIn: ConsentSignIn): Promise<Foreign | undefined> => {
    const app = await clientAppFor(store.db, signIn.tenant.id, signIn.gate.app.clientId);
    return app?.foreign ? (app as Foreign) : undefined;
  };
  const needsAdmin = (app: Foreign) =>
    app.foreign.adminConsentRequired.length > 0 && !app.foreign.servicePrincipal?.adminConsentGranted;

  const step: Step<ConsentSignIn> = {
    name: 'app-consent',
    async pending(signIn) {
      const app = await foreignApp(signIn);
      return app !== undefined && !(await hasConsented(store.db, signIn.tenant.id, app.clientId, signIn.userId));
    },
    async show(c, signIn) {
      const { lang, tenant } = signIn;
      const app = await foreignApp(signIn);
      if (!app) return signIn.render(c);
      const publisher =
        (await getTenant(store.db, app.foreign.ownerTenantId))?.displayName ?? app.foreign.ownerTenantId;
      const p = { app: app.displayName, publisher, tenant: tenant.displayName };
      if (needsAdmin(app))
        return c.html(
          <ErrorPage
            lang={lang}
            tenant={tenant}
            title={t(lang, 'app.adminConsentRequired.title')}
            message={t(lang, 'mt.adminConsent', {
              ...p,
              permissions: app.foreign.adminConsentRequired.join(', '),
              clientId: app.clientId,
            })}
          />,
          403,
        );
      return c.html(
        <Layout lang={lang} title={t(lang, 'mt.consent.title')} tenant={tenant}>
          <h1>{t(lang, 'mt.consent.title')}</h1>
          <p>{t(lang, 'mt.consent.intro', p)}</p>
          <ul>
            <li>{t(lang, 'mt.consent.signIn')}</li>
            {/* A refresh token keeps the app's access (oidc/entra.ts keepOfflineAccess): said, as Entra's page does. */}
            {asksOffline(signIn) && <li>{t(lang, 'mt.consent.offline')}</li>}
            {app.delegatedPermissions.map((permission) => (
              <li>
                <code>{permission}</code>
              </li>
            ))}
          </ul>
          <p class="muted">{t(lang, 'mt.consent.note', p)}</p>
          <form method="post" action={signIn.action('app-consent')}>
            <Csrf value={await signIn.formToken()} />
            <div class="actions">
              <button type="submit" name="decision" value="cancel" class="secondary">
                {t(lang, 'mt.consent.cancel')}
              </button>
              <button type="submit" name="decision" value="accept">
                {t(lang, 'mt.consent.accept')}
              </button>
            </div>
          </form>
        </Layout>,
      );
    },
    posts: {
      async 'app-consent'(c, signIn, form) {
        const app = await foreignApp(signIn);
        // Consented meanwhile (a double submit, another tab): nothing left to answer.
        if (!app || (await hasConsented(store.db, signIn.tenant.id, app.clientId, signIn.userId))) return DONE;
        if (needsAdmin(app)) return step.show(c, signIn);
        if (form.decision !== 'accept')
          return signIn.decline(c, {
            message: t(signIn.lang, 'mt.consent.cancel'),
            description: 'The user declined to consent to access the app.',
            logged: 'consentDeclined',
          });
        const user = await getUser(store.db, signIn.tenant.id, signIn.userId);
        if (!user) return signIn.render(c);
        await store.transaction((tx) => consentForUser(tx, clock, signIn.tenant.id, app, user, SCOPE));
        return DONE;
      },
    },
  };
  return step;
}
