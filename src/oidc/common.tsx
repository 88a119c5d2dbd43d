// Entra's common endpoints: `/common/v2.0`, `/organizations/v2.0` and `/consumers/v2.0`, for multi-tenant apps that
// do not know their user's tenant in advance. Each is an OpenID provider front with no tokens of its own:
//  - its discovery document names Entra's issuer template `<base>/{tenantid}/v2.0` (MSAL replaces `{tenantid}`; a
//    token's `iss` is always the tenant that signed the person in) and this front's endpoints;
//  - its JWKS is every tenant's ID-token signing keys (Entra's common key set signs every tenant's tokens; Portico's
//    tenants sign with their own keys, so the common set is their union: public keys only, and a relying party that
//    knows the token's `tid` can use that tenant's own JWKS instead);
//  - `/consumers` is the personal accounts realm's (oidc/consumers.ts): its discovery names that realm's issuer and keys;
//  - its authorize endpoint asks for the person's address (or, under "Sign-in options", an organization's domain,
//    the seed's "Sign in to an organization" for guests), finds their home realm (a tenant by the address's domain; at
//    no tenant's domain, the personal accounts realm when the app admits personal accounts), and continues the very same request
//    (client_id, redirect_uri, PKCE, state, nonce: nothing is changed but a login_hint added) at that tenant's own
//    provider, so the code and the tokens are that tenant's;
//  - its token endpoint hands a code or refresh token to the tenant that issued it, found by the artifact's id in the
//    store (oidc_payloads, migration 0019's index); the tenant's provider then checks everything as usual.
import type { HttpBindings } from '@hono/node-server';
import { Hono, type Context } from 'hono';

import { allowsOrganizations, allowsOtherTenants, allowsPersonal } from '../apps/audience.ts';
import { findRegistration, type TenantApp } from '../apps/service-principals.ts';
import { addressError } from '../directory/address.ts';
import { isDomainName, resolveTenant } from '../directory/tenants.ts';
import { clientIp } from '../http/client-ip.ts';
import { createRateLimiter } from '../http/rate-limit.ts';
import { pickLang, t, type Lang } from '../i18n/index.ts';
import { AddressField } from '../pages/fields.tsx';
import { ErrorPage, Layout } from '../pages/layout.tsx';
import type { Services } from '../services.ts';
import { normalize } from '../store/json.ts';
import { artifactId } from './artifact-ids.ts';
import { CONSUMER_TENANT_ID, consumerIssuer, consumerKeys } from './consumers.ts';
import { everyTenantsKeys, ID_TOKEN_ALG, publicJwk } from './keys.ts';
import { handOff } from './mount.ts';
import type { ProviderPool } from './pool.ts';
import { apiAudience, issuerFor } from './urls.ts';

type Env = { Bindings: HttpBindings };

export const COMMON_REALMS = ['common', 'organizations', 'consumers'] as const;
export type CommonRealm = (typeof COMMON_REALMS)[number];
const REALM = `:realm{${COMMON_REALMS.join('|')}}`;

/** Entra's issuer template: MSAL and Microsoft.Identity.Web put the token's `tid` in place of `{tenantid}`. */
export const issuerTemplate = (baseUrl: string) => issuerFor(baseUrl, '{tenantid}');

/** The longest authorization request carried through the common pages (a browser's URL limit is about this). */
const MAX_REQUEST = 8192;

/**
 * Home-realm discovery for the common endpoints, as Entra's tells no more than a domain's realm: the tenant whose
 * domain (initial or verified) the address is at. Not a member's mail on a domain no tenant verified (that would say
 * who is a member where), and not whether a personal account has the address: an address at no tenant's domain goes
 * to the personal accounts realm's sign-in (whose wrong-password answer is the same for an unknown address) when the
 * app admits personal accounts, and gets the same refusal otherwise, whether or not any account has it.
 */
export async function homeTenantOf(services: Services, realm: CommonRealm, email: string): Promise<string | undefined> {
  if (realm === 'consumers') return undefined;
  const address = normalize(email);
  return (await resolveTenant(services.store.db, address.slice(address.lastIndexOf('@') + 1)))?.id;
}

/** Whether the app's audience lets accounts of `tenantId` sign in. */
export const appAllowsTenant = (app: TenantApp, tenantId: string): boolean =>
  app.tenantId === tenantId ? allowsOrganizations(app.signInAudience) : allowsOtherTenants(app.signInAudience);

/** Whether an app may be signed in to through this common endpoint at all (Entra: AADSTS50194 otherwise). */
const realmAllows = (realm: CommonRealm, app: TenantApp): boolean =>
  realm === 'consumers'
    ? allowsPersonal(app.signInAudience)
    : realm === 'organizations'
      ? allowsOtherTenants(app.signInAudience)
      : app.signInAudience !== 'AzureADMyOrg';

type Checked = { params: URLSearchParams; app: TenantApp } | { refusal: string; status: 400 | 404 };

/**
 * The authorization request as the common endpoint can judge it before the tenant's provider does: a known client,
 * whose audience this endpoint serves, and a registered redirect URI (no redirect to an unregistered one, ever).
 */
async function checkRequest(services: Services, lang: Lang, realm: CommonRealm, query: string): Promise<Checked> {
  const bad = (reason: string): Checked => ({ refusal: t(lang, 'common.badRequest', { reason }), status: 400 });
  if (query.length > MAX_REQUEST) return bad('the request is too long.');
  const params = new URLSearchParams(query);
  const clientId = params.get('client_id') ?? '';
  const app = clientId ? await findRegistration(services.store.db, clientId) : undefined;
  if (!app || app.isManagement || !app.grantTypes.includes('authorization_code'))
    return {
      refusal: t(lang, 'common.badRequest', { reason: `no application has the client id '${clientId.slice(0, 64)}'.` }),
      status: 404,
    };
  if (!realmAllows(realm, app))
    return {
      refusal: t(lang, realm === 'consumers' ? 'common.notForPersonal' : 'common.notMultiTenant', {
        app: app.displayName,
      }),
      status: 400,
    };
  const redirectUri = params.get('redirect_uri') ?? '';
  if (!app.redirectUris.includes(redirectUri)) return bad(`redirect_uri is not registered for ${app.displayName}.`);
  if (params.get('response_type') !== 'code') return bad("response_type must be 'code'.");
  return { params, app };
}

function CommonSignInPage(p: {
  lang: Lang;
  realm: CommonRealm;
  app: TenantApp;
  request: string;
  value?: string;
  error?: string;
}) {
  const { lang, realm } = p;
  return (
    <Layout lang={lang} title={t(lang, 'common.title')}>
      <h1>{t(lang, 'common.title')}</h1>
      <p class="muted">{t(lang, 'common.to', { app: p.app.displayName })}</p>
      {realm !== 'organizations' && (
        <p class="muted">{t(lang, realm === 'consumers' ? 'common.personalOnly' : 'common.personalToo')}</p>
      )}
      <form method="post" action={`/${realm}/v2.0/auth`} novalidate>
        <input type="hidden" name="request" value={p.request} />
        <AddressField lang={lang} value={p.value} error={p.error} />
        <div class="actions">
          <span />
          <button type="submit">{t(lang, 'signin.next')}</button>
        </div>
      </form>
      {realm !== 'consumers' && (
        <nav aria-label={t(lang, 'common.options')}>
          <p class="muted">{t(lang, 'common.options')}</p>
          <ul>
            <li>
              <a href={`/${realm}/v2.0/auth/organization?${p.request}`}>{t(lang, 'common.toOrg')}</a>
            </li>
          </ul>
        </nav>
      )}
    </Layout>
  );
}

function OrganizationPage(p: { lang: Lang; realm: CommonRealm; request: string; value?: string; error?: string }) {
  const { lang } = p;
  return (
    <Layout lang={lang} title={t(lang, 'common.toOrg')}>
      <h1>{t(lang, 'common.toOrg')}</h1>
      <p class="muted">{t(lang, 'common.toOrgIntro')}</p>
      <form method="post" action={`/${p.realm}/v2.0/auth/organization`} novalidate>
        <input type="hidden" name="request" value={p.request} />
        <label for="domain">{t(lang, 'myapps.domain')}</label>
        <input
          id="domain"
          name="domain"
          required
          autofocus
          value={p.value ?? ''}
          aria-invalid={p.error ? 'true' : undefined}
          aria-describedby="domain-hint"
        />
        <p id="domain-hint" class={p.error ? 'error' : 'muted'} role={p.error ? 'alert' : undefined}>
          {p.error ?? t(lang, 'myapps.domainHint')}
        </p>
        <div class="actions">
          <a href={`/${p.realm}/v2.0/auth?${p.request}`}>{t(lang, 'signin.back')}</a>
          <button type="submit">{t(lang, 'myapps.next')}</button>
        </div>
      </form>
    </Layout>
  );
}

/**
 * The artifact's tenant (or the personal accounts realm, oidc/consumers.ts), when exactly one of them holds one with
 * this id.
 */
async function tenantOfArtifact(services: Services, model: string, id: string): Promise<string | undefined> {
  if (!id || id.length > 512) return undefined;
  const rows = [];
  for (const table of ['oidc_payloads', 'consumer_oidc_payloads'] as const)
    rows.push(
      ...(await services.store.db
        .selectFrom(table as 'oidc_payloads')
        .select('tenant_id')
        .where('model', '=', model)
        .where('id', '=', artifactId(model, id))
        .limit(2)
        .execute()),
    );
  return rows.length === 1 ? rows[0]!.tenant_id : undefined;
}

export function commonRoutes(services: Services, pool: ProviderPool) {
  const { store, config } = services;
  const app = new Hono<Env>();
  const base = config.baseUrl;
  const identifiersPerIp = createRateLimiter(store, services.clock, {
    name: 'common-id-ip',
    limit: 50,
    windowMs: 15 * 60_000,
  });
  const langOf = (c: Context<Env>) => pickLang(c.req.header('accept-language'));
  const realmOf = (c: Context<Env>) => c.req.param('realm') as CommonRealm;

  app.get(`/${REALM}/v2.0/.well-known/openid-configuration`, (c) => {
    const realm = realmOf(c);
    const at = `${base}/${realm}/v2.0`;
    return c.json({
      // Entra's /consumers names the consumers tenant's issuer; /common and /organizations the template.
      issuer: realm === 'consumers' ? consumerIssuer(base) : issuerTemplate(base),
      authorization_endpoint: `${at}/auth`,
      token_endpoint: `${at}/token`,
      jwks_uri: `${at}/jwks`,
      response_types_supported: ['code'],
      response_modes_supported: ['query', 'fragment', 'form_post'],
      grant_types_supported: ['authorization_code', 'refresh_token'],
      subject_types_supported: ['pairwise'],
      id_token_signing_alg_values_supported: [ID_TOKEN_ALG],
      token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic', 'none'],
      code_challenge_methods_supported: ['S256'],
      scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
      claims_supported: [
        'sub',
        'iss',
        'aud',
        'exp',
        'iat',
        'tid',
        'oid',
        'idp',
        'acct',
        'amr',
        'name',
        'preferred_username',
        'email',
      ],
      tenant_region_scope: null,
      cloud_instance_name: new URL(base).host,
    });
  });

  const jwks = async (c: Context<Env>) => {
    const realm = realmOf(c);
    // /consumers: the personal accounts realm's keys; /common: every tenant's and that realm's; /organizations:
    // every tenant's.
    const tenants = realm === 'consumers' ? [] : await everyTenantsKeys(store.db);
    const all = realm === 'organizations' ? tenants : [...tenants, ...(await consumerKeys(services))];
    const keys = all.filter((k) => k.alg === ID_TOKEN_ALG);
    c.header('cache-control', 'public, max-age=300');
    return c.json({ keys: keys.map(publicJwk) });
  };
  app.get(`/${REALM}/v2.0/jwks`, jwks);
  // Entra's URL shape, for apps that hard-code it (as at a tenant: oidc/mount.ts ENTRA_PATHS).
  app.get(`/${REALM}/discovery/v2.0/keys`, jwks);

  const refuse = (c: Context<Env>, lang: Lang, message: string, status: 400 | 403 | 404) =>
    c.html(<ErrorPage lang={lang} title={t(lang, 'error.title')} message={message} />, status);

  /** The request a page carries (the query of a GET, the `request` field of a POST), checked; or the refusal page. */
  async function carried(c: Context<Env>, form?: Record<string, unknown>) {
    const lang = langOf(c);
    const realm = realmOf(c);
    const request = form ? String(form.request ?? '') : new URL(c.req.url).search.slice(1);
    const checked = await checkRequest(services, lang, realm, request);
    if ('refusal' in checked) return refuse(c, lang, checked.refusal, checked.status);
    return { lang, realm, request, ...checked };
  }

  /** The same request, at the tenant's own provider. */
  const continueAt = (c: Context<Env>, tenantId: string, params: URLSearchParams, loginHint?: string) => {
    const next = new URLSearchParams(params);
    if (loginHint) next.set('login_hint', loginHint);
    return c.redirect(`${issuerFor(base, tenantId)}/auth?${next.toString()}`, 303);
  };

  const authorize = async (c: Context<Env>) => {
    const r = await carried(c);
    if (r instanceof Response) return r;
    return c.html(
      <CommonSignInPage
        lang={r.lang}
        realm={r.realm}
        app={r.app}
        request={r.request}
        value={r.params.get('login_hint') ?? undefined}
      />,
    );
  };
  app.get(`/${REALM}/v2.0/auth`, authorize);
  app.get(`/${REALM}/oauth2/v2.0/authorize`, authorize);

  app.post(`/${REALM}/v2.0/auth`, async (c) => {
    const form = await c.req.parseBody();
    const checked = await carried(c, form);
    if (checked instanceof Response) return checked;
    const { lang, realm, request } = checked;
    const login = String(form.login ?? '').trim();
    const page = (error: string, status: 400 | 403 | 429 = 400) =>
      c.html(
        <CommonSignInPage lang={lang} realm={realm} app={checked.app} request={request} value={login} error={error} />,
        status,
      );
    const wrong = addressError(lang, login);
    if (wrong) return page(wrong);
    if (!(await identifiersPerIp.hit(clientIp(c)))) return page(t(lang, 'signin.throttled'), 429);
    const home = await homeTenantOf(services, realm, login);
    // At no tenant's domain (and every address at /consumers): the personal accounts realm's sign-in, when the app
    // admits personal accounts; else Entra's AADSTS50020. Neither tells whether a personal account has the address.
    if (!home) {
      if (realm !== 'organizations' && allowsPersonal(checked.app.signInAudience))
        return continueAt(c, CONSUMER_TENANT_ID, checked.params, login);
      return page(t(lang, 'common.unknown', { address: login, app: checked.app.displayName }));
    }
    const tenant = await resolveTenant(store.db, home);
    if (!tenant || !appAllowsTenant(checked.app, tenant.id))
      return page(
        t(lang, 'common.notForOrg', { app: checked.app.displayName, tenant: tenant?.displayName ?? login }),
        403,
      );
    return continueAt(c, tenant.id, checked.params, login);
  });

  // "Sign-in options" → "Sign in to an organization": a guest names the organization they are a guest of.
  app.get(`/${REALM}/v2.0/auth/organization`, async (c) => {
    const r = await carried(c);
    if (r instanceof Response) return r;
    return c.html(<OrganizationPage lang={r.lang} realm={r.realm} request={r.request} />);
  });

  app.post(`/${REALM}/v2.0/auth/organization`, async (c) => {
    const form = await c.req.parseBody();
    const checked = await carried(c, form);
    if (checked instanceof Response) return checked;
    const { lang, realm, request } = checked;
    const domain = normalize(String(form.domain ?? '')).replace(/^.*@/, '');
    const page = (error: string, status: 400 | 403 | 404 = 400) =>
      c.html(<OrganizationPage lang={lang} realm={realm} request={request} value={domain} error={error} />, status);
    if (!isDomainName(domain)) return page(t(lang, 'myapps.badDomain'));
    const tenant = await resolveTenant(store.db, domain);
    if (!tenant) return page(t(lang, 'myapps.unknownDomain', { domain }), 404);
    if (!appAllowsTenant(checked.app, tenant.id))
      return page(t(lang, 'common.notForOrg', { app: checked.app.displayName, tenant: tenant.displayName }), 403);
    return continueAt(c, tenant.id, checked.params);
  });

  const token = async (c: Context<Env>) => {
    const body = new URLSearchParams(await c.req.text());
    const grant = body.get('grant_type');
    const oauthError = (error: string, description: string) =>
      c.json({ error, error_description: description }, 400, { 'cache-control': 'no-store' });
    const artifact =
      grant === 'authorization_code'
        ? { model: 'AuthorizationCode', id: body.get('code') ?? '' }
        : grant === 'refresh_token'
          ? { model: 'RefreshToken', id: body.get('refresh_token') ?? '' }
          : undefined;
    if (!artifact)
      return oauthError(
        'unsupported_grant_type',
        `AADSTS90002: the ${realmOf(c)} endpoint redeems authorization codes and refresh tokens; use the tenant's own token endpoint for ${grant ?? 'this grant'}.`,
      );
    const tenantId = await tenantOfArtifact(services, artifact.model, artifact.id);
    if (!tenantId)
      return oauthError('invalid_grant', 'AADSTS70000: the provided grant is invalid, expired or already used.');
    // The tenant's provider sees the request as sent to its own token endpoint, whichever path it came by.
    c.env.incoming.url = `/${realmOf(c)}/v2.0/token`;
    return handOff(c, pool, tenantId, `/${realmOf(c)}/v2.0`, apiAudience(base), {
      db: store.db,
      clock: services.clock,
      scopes: true,
    });
  };
  app.post(`/${REALM}/v2.0/token`, token);
  app.post(`/${REALM}/oauth2/v2.0/token`, token);

  return app;
}
