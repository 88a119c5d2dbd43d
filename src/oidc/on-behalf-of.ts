// On-behalf-of (Entra's OBO, as Microsoft.Identity.Web and MSAL's acquireTokenOnBehalfOf use it): an API holding a
// user's access token for itself exchanges it for a token to another API, for the same user.
//   grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer, requested_token_use=on_behalf_of,
//   assertion=<the user's token>, scope=<the downstream API's scopes> (mapped to a resource by resources.ts)
// The caller authenticates as a confidential client. The assertion must be a user's access token (header
// typ at+jwt, a `scp` claim: never an ID token, whose aud is the app too) this tenant signed for the caller
// (aud = its appId) and not expired; the downstream scopes are checked as for a sign-in (type Admin needs
// admin consent to the caller). The token is issued like the code flow's: a JWT for the downstream API.
// Conditional Access applies as at a sign-in, for the calling app and the downstream API: a block refuses (AADSTS53003),
// and a policy that requires MFA refuses an assertion whose sign-in did none (AADSTS50076, which MSAL's OBO callers
// turn into an interactive sign-in). The sign-in's MFA is the assertion's own `amr` claim (`accessTokenAmr`: every
// user's access token carries the amr of the sign-in it came from, as Entra's v1 access tokens do), signed by this
// tenant, so it is read from the token rather than from state that could have changed since.
import { createLocalJWKSet, decodeJwt, jwtVerify, type JWK } from 'jose';
import type Provider from 'oidc-provider';
import type { Account, CanBePromise, KoaContextWithOIDC } from 'oidc-provider';

import { hashSecret } from '../secrets.ts';
import type { Db } from '../store/index.ts';
import { ID_TOKEN_ALG, publicJwk } from './keys.ts';
import { apiResourceServer, EntraError, OBO_GRANT } from './resources.ts';

export interface OnBehalfOfOptions {
  db: Db;
  tenantId: string;
  issuer: string;
  keys: JWK[];
  ttl: number;
  /** the provider's findAccount: enabled users of the tenant */
  findAccount: (ctx: KoaContextWithOIDC, sub: string) => CanBePromise<Account | undefined>;
  /** what Conditional Access policies in force decide for the user at an app (conditional-access/decision.ts) */
  access?: (userId: string, clientId: string) => Promise<{ block: boolean; mfaRequired: boolean }>;
}

/**
 * The `amr` an access token carries (provider.ts extraTokenClaims): the amr of the sign-in the token comes from, as
 * the authorization code, refresh token or device code being redeemed recorded it (the oidc-provider session's, which
 * the MFA step's login result set, sessions/amr.ts), or, for an on-behalf-of token, the assertion's (this request's
 * handler verified it before issuing). Undefined when the request redeems none of them (client credentials).
 */
export function accessTokenAmr(ctx: KoaContextWithOIDC): string[] | undefined {
  const entities = ctx.oidc.entities as Record<string, { amr?: unknown } | undefined>;
  const source = entities.AuthorizationCode ?? entities.RefreshToken ?? entities.DeviceCode;
  let amr: unknown = source?.amr;
  const params = ctx.oidc.params as Record<string, unknown> | undefined;
  if (!source && params?.grant_type === OBO_GRANT && typeof params.assertion === 'string')
    amr = decodeJwt(params.assertion).amr;
  return Array.isArray(amr) ? amr.filter((v): v is string => typeof v === 'string') : undefined;
}

export function registerOnBehalfOf(provider: Provider, opts: OnBehalfOfOptions): void {
  const jwks = createLocalJWKSet({ keys: opts.keys.map(publicJwk) });
  const refuse = (code: number, message: string) => new EntraError('invalid_grant', code, message);

  provider.registerGrantType(
    OBO_GRANT,
    async (ctx: KoaContextWithOIDC) => {
      const params = ctx.oidc.params as Record<string, string | undefined>;
      const client = ctx.oidc.client!;
      if (params.requested_token_use !== 'on_behalf_of')
        throw new EntraError(
          'invalid_request',
          900144,
          "The request body must contain 'requested_token_use=on_behalf_of'.",
        );
      if (!client.clientSecret)
        throw new EntraError(
          'invalid_client',
          7000218,
          'On-behalf-of needs a confidential client: send its credentials.',
        );
      if (!params.assertion)
        throw new EntraError('invalid_request', 900144, "The request body must contain 'assertion'.");
      let payload;
      try {
        ({ payload } = await jwtVerify(params.assertion, jwks, {
          issuer: opts.issuer,
          audience: client.clientId,
          algorithms: [ID_TOKEN_ALG],
          // Access tokens only (oidc-provider's JWT access tokens carry typ at+jwt): an ID token is for the app
          // itself and grants no API access; jose refuses any other typ.
          typ: 'at+jwt',
        }));
      } catch (error) {
        const why =
          (error as { code?: string }).code === 'ERR_JWT_EXPIRED'
            ? 'it has expired'
            : 'it is not a token of this tenant for this application';
        throw refuse(50013, `Assertion failed validation: ${why}.`);
      }
      if (payload.idtyp === 'app' || typeof payload.oid !== 'string' || typeof payload.scp !== 'string')
        throw refuse(50013, "Assertion failed validation: on-behalf-of needs a user's access token.");
      const account = await opts.findAccount(ctx, payload.oid);
      if (!account)
        throw refuse(50034, 'The user account of the assertion does not exist in this tenant or is disabled.');

      const resource = params.resource;
      if (!resource || Array.isArray(resource) || !params.scope)
        throw new EntraError(
          'invalid_scope',
          70011,
          "The provided value for the input parameter 'scope' is not valid: name the downstream API's scopes.",
        );
      const info = await apiResourceServer({
        db: opts.db,
        tenantId: opts.tenantId,
        ctx,
        resource,
        clientId: client.clientId,
        ttl: opts.ttl,
      });
      // A user blocked (since their token was issued) at the calling app or at the downstream API gets nothing on it;
      // one whose sign-in did no MFA gets nothing where a policy requires it.
      const apps = new Set([client.clientId, ...(typeof info.audience === 'string' ? [info.audience] : [])]);
      const decisions = opts.access
        ? await Promise.all([...apps].map((app) => opts.access!(account.accountId, app)))
        : [];
      if (decisions.some((d) => d.block))
        throw refuse(
          53003,
          'Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.',
        );
      const didMfa = Array.isArray(payload.amr) && payload.amr.includes('mfa');
      if (!didMfa && decisions.some((d) => d.mfaRequired))
        throw refuse(
          50076,
          'Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access this application.',
        );
      const offered = new Set(info.scope.split(' '));
      const scope = params.scope
        .split(' ')
        .filter((s) => offered.has(s))
        .join(' ');

      // One grant per user, caller and downstream API, saved again (the same row) at each call: not a new row per call.
      const jti = `obo_${hashSecret(`${account.accountId}\n${client.clientId}\n${resource}`)}`;
      const grant = new provider.Grant({ accountId: account.accountId, clientId: client.clientId });
      grant.jti = jti;
      grant.addResourceScope(resource, scope);
      const grantId = await grant.save();
      ctx.oidc.entity('Account', account);
      ctx.oidc.entity('Grant', grant);
      const at = new provider.AccessToken({ accountId: account.accountId, client, grantId, gty: OBO_GRANT, scope });
      at.resourceServer = new provider.ResourceServer(resource, info);
      ctx.oidc.entity('AccessToken', at);
      const value = await at.save();
      ctx.body = { access_token: value, token_type: at.tokenType, expires_in: at.expiration, scope };
    },
    ['assertion', 'requested_token_use', 'scope', 'resource'],
  );
}
