// Where upstream identity providers send their answers, per tenant: the SAML assertion consumer service, the
// WS-Federation reply URL and the OpenID Connect redirect URI, plus the tenant's SP metadata. Each answer is
// verified, recorded once against the request its state names, and the browser is sent back to the redemption
// flow or sign-in that started it (which checks that it is the same browser).
import type { HttpBindings } from '@hono/node-server';
import { Hono, type Context } from 'hono';

import { getTenant, type Tenant } from '../directory/tenants.ts';
import { pickLang, t } from '../i18n/index.ts';
import { ErrorPage, errorResponse } from '../pages/layout.tsx';
import type { Services } from '../services.ts';
import { oidcCallbackUrl, verifyOidcCallback } from './oidc.ts';
import { getProvider, type IdentityProvider, type ProviderKind } from './providers.ts';
import { FederationRefused } from './refusal.ts';
import { pendingRequest, recordAnswer, type FederatedIdentity, type PendingRequest } from './requests.ts';
import { spMetadata, spUrls, verifySamlResponse } from './saml.ts';
import { returnUrl } from './start.ts';
import { verifyWsFedResult } from './wsfed.ts';

type Env = { Bindings: HttpBindings };

export function federationRoutes(services: Services) {
  const { store, clock, config, log: logger } = services;
  const app = new Hono<Env>();
  const langOf = (c: Context<Env>) => pickLang(c.req.header('accept-language'));

  app.use('/:tenant/federation/*', async (c, next) => {
    await next();
    c.header('Cache-Control', 'no-store');
    c.header('Referrer-Policy', 'no-referrer');
  });

  app.get('/:tenant/federation/saml/metadata', async (c) => {
    const tenant = await getTenant(store.db, c.req.param('tenant'));
    if (!tenant) return c.notFound();
    return c.body(spMetadata(spUrls(config.baseUrl, tenant.id)), 200, {
      'content-type': 'application/samlmetadata+xml; charset=utf-8',
    });
  });

  /** Refusal page: what went wrong with the answer and what to do. */
  function refused(c: Context<Env>, tenant: Tenant | undefined, idp: string, reason: string, status: 400 | 502 = 400) {
    const lang = langOf(c);
    const message = t(lang, 'federation.refused', { idp, reason, tenant: tenant?.displayName ?? '' });
    return c.html(
      <ErrorPage lang={lang} tenant={tenant} title={t(lang, 'federation.refused.title')} message={message} />,
      status,
    );
  }

  function expired(c: Context<Env>, tenant: Tenant | undefined) {
    const lang = langOf(c);
    return errorResponse(c, lang, tenant, t(lang, 'federation.expired'), 400);
  }

  /** The shared path of every answer: find the request, verify with `check`, record once, send the browser back. */
  async function answer(
    c: Context<Env>,
    state: string | undefined,
    kinds: ProviderKind[],
    check: (provider: IdentityProvider, request: PendingRequest) => Promise<FederatedIdentity>,
  ) {
    const tenant = await getTenant(store.db, c.req.param('tenant')!);
    const request = tenant && (await pendingRequest(store.db, clock, tenant.id, state));
    if (!tenant || !request) return expired(c, tenant);
    const provider = await getProvider(store.db, tenant.id, request.providerId);
    if (!provider || !kinds.includes(provider.kind)) return expired(c, tenant);
    let identity: FederatedIdentity;
    try {
      identity = await check(provider, request);
    } catch (error) {
      if (!(error instanceof FederationRefused)) throw error;
      logger.warn(
        { tenantId: tenant.id, providerId: provider.id, kind: error.kind, reason: error.reason },
        'federated sign-in refused',
      );
      return refused(c, tenant, provider.displayName, error.reason, error.kind === 'unavailable' ? 502 : 400);
    }
    if (!(await recordAnswer(store.db, clock, request, identity))) return expired(c, tenant);
    return c.redirect(returnUrl(request.data.returnTo, state!), 303);
  }

  app.post('/:tenant/federation/saml/acs', async (c) => {
    const form = await c.req.parseBody();
    const samlResponse = typeof form.SAMLResponse === 'string' ? form.SAMLResponse : '';
    return answer(c, typeof form.RelayState === 'string' ? form.RelayState : undefined, ['saml'], (provider, request) =>
      verifySamlResponse(store.db, clock, provider, spUrls(config.baseUrl, provider.tenantId), samlResponse, {
        requestId: request.data.samlRequestId,
        createdAt: request.createdAt,
      }),
    );
  });

  app.post('/:tenant/federation/wsfed', async (c) => {
    const form = await c.req.parseBody();
    if (form.wa !== 'wsignin1.0') return expired(c, await getTenant(store.db, c.req.param('tenant')));
    const wresult = typeof form.wresult === 'string' ? form.wresult : '';
    return answer(c, typeof form.wctx === 'string' ? form.wctx : undefined, ['wsfed'], (provider) =>
      verifyWsFedResult(store.db, clock, provider, spUrls(config.baseUrl, provider.tenantId), wresult),
    );
  });

  app.get('/:tenant/federation/oidc/callback', async (c) => {
    const query = new URL(c.req.url).search;
    return answer(c, c.req.query('state'), ['oidc', 'google'], (provider, request) =>
      verifyOidcCallback(
        store.db,
        config,
        provider,
        new URL(`${oidcCallbackUrl(config.baseUrl, provider.tenantId)}${query}`),
        {
          state: c.req.query('state')!,
          codeVerifier: request.data.codeVerifier ?? '',
          nonce: request.data.nonce ?? '',
        },
      ),
    );
  });

  return app;
}
