// Entra ID's v2.0 token contract on top of oidc-provider, so apps written with MSAL or Azure Identity work unchanged
// (README, "Apps written for Entra"; docs/entra-apps.md). Kept apart from provider.ts, which wires it in:
// - offline_access is granted whenever an app that may use refresh tokens asks for it (`entraParams`);
// - `client_info` in token responses when the request asks for it (`withClientInfo`);
// - Entra's v2 claims in access tokens (`entraTokenClaims`) and ID tokens (`ver`, provider.ts's claims).
import { decodeJwt } from 'jose';
import type { Client, KoaContextWithOIDC } from 'oidc-provider';

/** The `ver` claim of Entra's v2.0 endpoint, in the access and ID tokens Portico issues. */
export const TOKEN_VERSION = '2.0';

/** Scopes about the sign-in itself, never delegated permissions: `scp` leaves them out, as Entra's does. */
const OIDC_SCOPES = new Set(['openid', 'profile', 'email', 'offline_access']);

/**
 * OpenID Connect lets a provider grant offline_access only with prompt=consent, and oidc-provider drops it from any
 * other authorization request before the app's grant is looked at. Entra grants it whenever the app asks and is
 * consented (apps of the tenant are, provider.ts loadExistingGrant): MSAL asks for `openid profile offline_access` at
 * sign-in and again on every refresh, and cannot refresh otherwise. This puts it back when the request asked for it
 * and the app may use refresh tokens; the code, and the refresh token, then carry it.
 */
async function keepOfflineAccess(ctx: KoaContextWithOIDC, client: Client): Promise<void> {
  const { oidc } = ctx;
  if (oidc.route !== 'authorization' && oidc.route !== 'pushed_authorization_request') return;
  if (!client.grantTypeAllowed('refresh_token')) return;
  if (!askedScopes(ctx).includes('offline_access')) return;
  const scopes = new Set(oidc.params!.scope ? String(oidc.params!.scope).split(' ') : []);
  if (!scopes.has('openid')) return;
  scopes.add('offline_access');
  oidc.params!.scope = [...scopes].join(' ');
}

/** The scopes as the app sent them: the query or form, or the pushed request it refers to. */
function askedScopes(ctx: KoaContextWithOIDC): string[] {
  const pushed = ctx.oidc.entities.PushedAuthorizationRequest as { request?: string } | undefined;
  let raw: unknown;
  if (pushed?.request) raw = decodeJwt(pushed.request).scope;
  else raw = (ctx.oidc.body as Record<string, unknown> | undefined)?.scope ?? ctx.query.scope;
  return typeof raw === 'string' ? raw.split(' ') : [];
}

/**
 * Authorization parameters Entra's apps send beside OpenID's, registered so they reach the sign-in pages
 * (interactions/routes.tsx): `domain_hint` (straight to the domain's identity provider) and `client_info`.
 * oidc-provider runs each validator on every authorization request, right after its scope check: the one point
 * where `keepOfflineAccess` can undo that check's removal of offline_access, so it rides on `client_info`'s.
 */
export const entraParams = {
  domain_hint: null,
  client_info: (ctx: KoaContextWithOIDC, _value: string | undefined, client: Client) => keepOfflineAccess(ctx, client),
};

/** What an access token for a user says about them, as Entra's do (from the account's claims, provider.ts). */
const USER_CLAIMS = ['idp', 'acct', 'preferred_username', 'name'] as const;

/**
 * Entra's v2 claims of an access token: `ver`, `azp` (the app the token was issued to), `scp` (the delegated scopes,
 * space-separated; none in an app's own token) and, for a user's token, `idp`, `acct`, `preferred_username` and
 * `name`. `tid`, `oid`, `roles` and `idtyp` are provider.ts's (a user's app roles for an API: oidc/resources.ts).
 */
export async function entraTokenClaims(
  ctx: KoaContextWithOIDC,
  token: { kind: string; clientId?: string; scope?: string },
): Promise<Record<string, unknown>> {
  const scp = (token.scope ?? '')
    .split(' ')
    .filter((s) => s && !OIDC_SCOPES.has(s))
    .join(' ');
  const claims: Record<string, unknown> = { ver: TOKEN_VERSION, ...(token.clientId && { azp: token.clientId }) };
  if (token.kind === 'ClientCredentials') return claims;
  if (scp) claims.scp = scp;
  const account = ctx.oidc.account;
  if (!account) return claims;
  const about = await account.claims('userinfo', 'openid profile', {}, []);
  for (const name of USER_CLAIMS) if (about[name] !== undefined) claims[name] = about[name];
  return claims;
}

/**
 * `client_info` of a token response (Entra's, for MSAL): base64url JSON `{uid, utid}`, the user's object id and
 * tenant, from which MSAL makes `account.homeAccountId` `<oid>.<tid>`. Only when the request asked (`client_info=1`)
 * and the token is a user's.
 */
export function clientInfo(oid: string, tid: string): string {
  return Buffer.from(JSON.stringify({ uid: oid, utid: tid })).toString('base64url');
}

/**
 * Adds `client_info` to the token endpoint's answer: oidc-provider has no hook for extra token response members, so
 * this wraps its token route as koa middleware (provider.use) and adds the member to the JSON body it built.
 */
export function withClientInfo(tenantId: string) {
  return async (ctx: KoaContextWithOIDC, next: () => Promise<void>): Promise<void> => {
    await next();
    if (ctx.oidc?.route !== 'token' || ctx.status !== 200) return;
    const asked = (ctx.oidc.body as Record<string, unknown> | undefined)?.client_info;
    const accountId = ctx.oidc.account?.accountId;
    const body = ctx.body as Record<string, unknown> | undefined;
    if (asked !== '1' || !accountId || !body || typeof body !== 'object') return;
    body.client_info = clientInfo(accountId, tenantId);
  };
}
