// The consent step of a sign-in (Entra's consent page), in the tenant's sign-in table:
// - another tenant's multi-tenant app (apps/service-principals.ts): the first time a user of this tenant signs in to
//   it, they see what it asks and accept (which creates the app's service principal here, if it has none yet);
// - the tenant's own app asking for delegated scopes (type User) of an API of the tenant that neither an
//   administrator nor the user granted yet (apps/user-grants.ts): the page lists the scopes, and accepting records
//   the user's grant (oauth2PermissionGrant, consentType Principal);
// - `prompt=consent`: the page is shown again even when everything is granted, and the user consents again.
// Cancel answers the app access_denied (AADSTS65004). When the tenant does not let users consent (its `userConsent`
// setting) or the app asks for what only an administrator may grant, the step says an administrator must consent
// (AADSTS65001) and stops.
import type { PermissionScope } from '../apps/api-exposure.ts';
import { clientAppFor, consentForUser, hasConsented, type TenantApp } from '../apps/service-principals.ts';
import { apiConsentFor, grantUserScopes, usersMayConsent, type ApiConsent } from '../apps/user-grants.ts';
import { getTenant } from '../directory/tenants.ts';
import { getUser } from '../directory/users.ts';
import { t, type Lang } from '../i18n/index.ts';
import { ErrorPage, Layout } from '../pages/layout.tsx';
import type { Services } from '../services.ts';
import { DecisionForm } from '../signin/decision-form.tsx';
import { DONE, type Ctx, type SignIn, type Step } from '../signin/step.ts';

type ConsentSignIn = SignIn & {
  gate: { app: { clientId: string; id?: string } };
  /** the interaction: its authorization request's parameters */
  s: { details: { params: Record<string, unknown> } };
};
type Foreign = TenantApp & { foreign: NonNullable<TenantApp['foreign']> };

const SCOPE = 'openid profile email offline_access';
const NAME = 'app-consent';

/** Whether the app asks to keep access (`offline_access`: a refresh token). */
const asksOffline = (signIn: ConsentSignIn): boolean =>
  String(signIn.s.details.params.scope ?? '')
    .split(' ')
    .includes('offline_access');

/** prompt=consent: the page again, once per sign-in, whatever was granted before. */
const reconsentAsked = (signIn: ConsentSignIn): boolean =>
  String(signIn.s.details.params.prompt ?? '')
    .split(' ')
    .includes('consent') && signIn.memo(NAME) !== true;

/** What the step asks about at this sign-in, or undefined when it has nothing to ask. */
type Need = { kind: 'foreign'; app: Foreign; consented: boolean } | { kind: 'own'; app: TenantApp; api?: ApiConsent };

const scopeName = (s: PermissionScope) => s.userConsentDisplayName ?? s.adminConsentDisplayName;
const scopeText = (s: PermissionScope) => s.userConsentDescription ?? s.adminConsentDescription;

export function appConsentStep(services: Services): Step<ConsentSignIn> {
  const { store, clock } = services;

  const need = async (signIn: ConsentSignIn): Promise<Need | undefined> => {
    // Portico's own clients (My Apps, the admin center) are no app registrations: nothing to consent to.
    const app = await clientAppFor(store.db, signIn.tenant.id, signIn.gate.app.clientId);
    if (!app) return undefined;
    if (app.foreign)
      return {
        kind: 'foreign',
        app: app as Foreign,
        consented: await hasConsented(store.db, signIn.tenant.id, app.clientId, signIn.userId),
      };
    const api = await apiConsentFor(store.db, signIn.tenant.id, app.clientId, signIn.userId, signIn.s.details.params);
    return { kind: 'own', app, ...(api && { api }) };
  };
  /** Whether the page must be shown: nothing consented yet, or prompt=consent. */
  const asks = (n: Need | undefined, signIn: ConsentSignIn): boolean =>
    n !== undefined &&
    (reconsentAsked(signIn) || (n.kind === 'foreign' ? !n.consented : (n.api?.missing.length ?? 0) > 0));
  /** The permissions only an administrator may grant that stop this user, if any. */
  const adminOnly = (n: Need, signIn: ConsentSignIn): string[] | undefined => {
    if (n.kind === 'foreign') {
      const sp = n.app.foreign.servicePrincipal;
      if (n.app.foreign.adminConsentRequired.length && !sp?.adminConsentGranted)
        return n.app.foreign.adminConsentRequired;
      if (!n.consented && !usersMayConsent(signIn.tenant.settings, true)) return [t(signIn.lang, 'mt.consent.signIn')];
      return undefined;
    }
    if (n.api?.missing.length && !usersMayConsent(signIn.tenant.settings, false))
      return n.api.missing.map((s) => `${n.api!.api.displayName}: ${s.value}`);
    return undefined;
  };

  const adminPage = async (c: Ctx, signIn: ConsentSignIn, n: Need, permissions: string[]) => {
    const { lang, tenant } = signIn;
    const p = { app: n.app.displayName, tenant: tenant.displayName, permissions: permissions.join(', ') };
    const message =
      n.kind === 'foreign' && n.app.foreign.adminConsentRequired.length
        ? t(lang, 'mt.adminConsent', { ...p, publisher: await publisherOf(n.app), clientId: n.app.clientId })
        : t(lang, 'uc.adminNeeded', p);
    const title = n.kind === 'foreign' ? t(lang, 'app.adminConsentRequired.title') : t(lang, 'uc.adminNeeded.title');
    return c.html(<ErrorPage lang={lang} tenant={tenant} title={title} message={message} />, 403);
  };
  const publisherOf = async (app: Foreign) =>
    (await getTenant(store.db, app.foreign.ownerTenantId))?.displayName ?? app.foreign.ownerTenantId;

  const step: Step<ConsentSignIn> = {
    name: NAME,
    async pending(signIn) {
      return asks(await need(signIn), signIn);
    },
    async show(c, signIn) {
      const { lang, tenant } = signIn;
      const n = await need(signIn);
      if (!n || !asks(n, signIn)) return signIn.render(c);
      const blocked = adminOnly(n, signIn);
      if (blocked) return adminPage(c, signIn, n, blocked);
      const p = { app: n.app.displayName, tenant: tenant.displayName };
      const scopes = n.kind === 'own' ? (n.api?.requested ?? []) : [];
      return c.html(
        <ConsentPage
          lang={lang}
          signIn={signIn}
          csrf={await signIn.formToken()}
          intro={
            n.kind === 'foreign'
              ? t(lang, 'mt.consent.intro', { ...p, publisher: await publisherOf(n.app) })
              : t(lang, 'uc.intro', p)
          }
          note={n.kind === 'foreign' ? t(lang, 'mt.consent.note', p) : t(lang, 'uc.note', p)}
          delegated={n.kind === 'foreign' ? n.app.delegatedPermissions : []}
          scopes={scopes}
        />,
      );
    },
    posts: {
      async [NAME](c, signIn, form) {
        const n = await need(signIn);
        // Consented meanwhile (a double submit, another tab): nothing left to answer.
        if (!n || !asks(n, signIn)) return DONE;
        if (adminOnly(n, signIn)) return step.show(c, signIn);
        if (form.decision !== 'accept')
          return signIn.decline(c, {
            message: t(signIn.lang, 'mt.consent.cancel'),
            description: t('en-US', 'uc.declined'),
            logged: 'consentDeclined',
          });
        const user = await getUser(store.db, signIn.tenant.id, signIn.userId);
        if (!user) return signIn.render(c);
        await store.transaction(async (tx) => {
          if (n.kind === 'foreign') await consentForUser(tx, clock, signIn.tenant.id, n.app, user, SCOPE);
          else if (n.api?.requested.length)
            await grantUserScopes(tx, clock, signIn.tenant.id, n.api, user, n.api.requested);
        });
        await signIn.remember(NAME, true);
        return DONE;
      },
    },
  };
  return step;
}

function ConsentPage(props: {
  lang: Lang;
  signIn: ConsentSignIn;
  csrf: string;
  intro: string;
  note: string;
  delegated: string[];
  scopes: PermissionScope[];
}) {
  const { lang, signIn } = props;
  return (
    <Layout lang={lang} title={t(lang, 'mt.consent.title')} tenant={signIn.tenant}>
      <h1>{t(lang, 'mt.consent.title')}</h1>
      <p>{props.intro}</p>
      <ul>
        <li>{t(lang, 'mt.consent.signIn')}</li>
        {/* A refresh token keeps the app's access (oidc/entra.ts keepOfflineAccess): said, as Entra's page does. */}
        {asksOffline(signIn) && <li>{t(lang, 'mt.consent.offline')}</li>}
        {props.scopes.map((s) => (
          <li>
            <strong>{scopeName(s)}</strong>
            {scopeText(s) && <span class="muted"> — {scopeText(s)}</span>}
          </li>
        ))}
        {props.delegated.map((permission) => (
          <li>
            <code>{permission}</code>
          </li>
        ))}
      </ul>
      <p class="muted">{props.note}</p>
      <DecisionForm
        action={signIn.action(NAME)}
        csrf={props.csrf}
        name="decision"
        no={['cancel', t(lang, 'mt.consent.cancel')]}
        yes={['accept', t(lang, 'mt.consent.accept')]}
      />
    </Layout>
  );
}
