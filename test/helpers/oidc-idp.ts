// Real upstream OpenID Connect identity providers for federation tests, listening on loopback in-process.
// startOidcIdp: a genuine oidc-provider with its built-in dev login page (any password works).
// startRogueIdp: a small hand-written IdP that auto-approves and can be told to issue subtly wrong ID tokens.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import Provider, { type Configuration } from 'oidc-provider';

import { freePort } from './net.ts';
import { CookieJar, follow, formAction, postForm } from './signin.ts';

export interface UpstreamAccount {
  sub: string;
  email: string;
  email_verified: boolean;
  name?: string;
  /** RFC 8176 amr of the ID token (the rogue IdP sends it when set), e.g. ['pwd', 'mfa'] */
  amr?: string[];
}

export interface OidcIdp {
  issuer: string;
  discoveryUrl: string;
  clientId: string;
  clientSecret: string;
  /** accounts by login name: the dev login form's "login" field picks one; unknown logins get { sub: login, email: login, email_verified: true } */
  accounts: Map<string, UpstreamAccount>;
  close(): Promise<void>;
}

export type Misbehaviour =
  'none' | 'wrong-iss' | 'wrong-aud' | 'no-nonce' | 'wrong-nonce' | 'email-unverified' | 'expired';

export interface RogueIdp {
  issuer: string;
  discoveryUrl: string;
  clientId: string;
  clientSecret: string;
  /** Read at each token request, so a test can change it between sign-ins. */
  behaviour: Misbehaviour;
  account: UpstreamAccount;
  authorizeRequests: URLSearchParams[];
  close(): Promise<void>;
}

const SCOPES = 'openid email profile';

async function signingKey(): Promise<{ privateKey: CryptoKey; publicJwk: JWK; privateJwk: JWK }> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const meta = { kid: randomUUID(), alg: 'RS256', use: 'sig' };
  return {
    privateKey,
    publicJwk: { ...(await exportJWK(publicKey)), ...meta },
    privateJwk: { ...(await exportJWK(privateKey)), ...meta },
  };
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(body));
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

async function serve(port: number, listener: RequestListener): Promise<() => Promise<void>> {
  const server: Server = createServer(listener);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      // fetch keeps connections alive; without this close() waits for them to time out.
      server.closeAllConnections();
    });
}

/** `port` lets a test name the issuer before the IdP can start (Portico's Google issuer is read at its start). */
export async function startOidcIdp(options: {
  redirectUris: string[];
  issuerPath?: string;
  clientId?: string;
  clientSecret?: string;
  port?: number;
}): Promise<OidcIdp> {
  const port = options.port ?? (await freePort());
  const prefix = options.issuerPath ? `/${options.issuerPath.replace(/^\/+|\/+$/g, '')}` : '';
  const issuer = `http://127.0.0.1:${port}${prefix}`;
  const clientId = options.clientId ?? `client-${randomUUID()}`;
  const clientSecret = options.clientSecret ?? randomBytes(24).toString('base64url');
  const accounts = new Map<string, UpstreamAccount>();
  const { privateJwk } = await signingKey();

  const configuration: Configuration = {
    // Passing our own keys and cookie keys avoids the "development-only keys" warning and unsigned cookies.
    jwks: { keys: [privateJwk] as NonNullable<Configuration['jwks']>['keys'] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: options.redirectUris,
        response_types: ['code'],
        grant_types: ['authorization_code'],
        // oidc-provider accepts basic and post interchangeably for a client registered with either one.
        token_endpoint_auth_method: 'client_secret_basic',
        // The default application_type 'web' allows http redirect URIs (only implicit-flow web clients need https);
        // 'native' would also work on loopback but forces a consent prompt on every sign-in.
      },
    ],
    clientAuthMethods: ['client_secret_basic', 'client_secret_post'],
    responseTypes: ['code'],
    pkce: { required: () => true },
    scopes: SCOPES.split(' '),
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    // Otherwise oidc-provider keeps scope-requested claims out of the ID token when an access token is issued.
    conformIdTokenClaims: false,
    ttl: { AccessToken: 300, AuthorizationCode: 60, IdToken: 300, Interaction: 600, Session: 600, Grant: 600 },
    features: { devInteractions: { enabled: true } },
    // Skips the consent page: the only client is the test's own relying party.
    loadExistingGrant: async (ctx) => {
      const { oidc } = ctx;
      if (!oidc.session?.accountId || !oidc.client) return undefined;
      const grant = new oidc.provider.Grant({ clientId: oidc.client.clientId, accountId: oidc.session.accountId });
      grant.addOIDCScope(SCOPES);
      await grant.save();
      return grant;
    },
    // Session account ids are subs (see logIn below), and unknown logins are their own sub.
    findAccount: (_ctx, sub) => {
      const account = [...accounts.values()].find((a) => a.sub === sub) ?? { sub, email: sub, email_verified: true };
      return { accountId: sub, claims: () => ({ ...account }) };
    },
  };
  const provider = new Provider(issuer, configuration);
  const callback = provider.callback();

  // oidc-provider always makes the ID token's sub the session's account id, and the dev login page's own handler
  // would use the login name as that id. So the fixture takes the login form's POST itself and finishes the
  // interaction with the account's sub, through interactionFinished (the API real login pages use).
  async function logIn(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const form = await readForm(req);
    const login = form.get('login');
    if (form.get('prompt') !== 'login' || !login) {
      res.writeHead(400, { 'content-type': 'text/plain' }).end('expected the dev login form (consent is automatic)');
      return;
    }
    const accountId = accounts.get(login)?.sub ?? login;
    await provider.interactionFinished(req, res, { login: { accountId } }, { mergeWithLastSubmission: false });
  }

  // Mounted like express's app.use(prefix, ...): oidc-provider derives its mount path from originalUrl vs url.
  const close = await serve(port, (req, res) => {
    if (prefix) {
      const original = req.url ?? '/';
      if (original !== prefix && !original.startsWith(`${prefix}/`) && !original.startsWith(`${prefix}?`)) {
        res.writeHead(404).end();
        return;
      }
      (req as IncomingMessage & { originalUrl?: string }).originalUrl = original;
      const rest = original.slice(prefix.length);
      req.url = rest.startsWith('/') ? rest : `/${rest}`;
    }
    if (req.method === 'POST' && /^\/interaction\/[^/?]+(\?|$)/.test(req.url ?? '')) {
      logIn(req, res).catch((err: unknown) => {
        if (!res.headersSent) res.writeHead(400, { 'content-type': 'text/plain' }).end(String(err));
      });
      return;
    }
    void callback(req, res);
  });

  return {
    issuer,
    discoveryUrl: `${issuer}/.well-known/openid-configuration`,
    clientId,
    clientSecret,
    accounts,
    close,
  };
}

// ---- the rogue IdP ----

interface PendingCode {
  nonce?: string;
  codeChallenge?: string;
  redirectUri: string;
  clientId: string;
}

/** client_id/client_secret from HTTP Basic (RFC 6749 2.3.1: form-encoded, then base64) or from the body. */
function clientCredentials(req: IncomingMessage, form: URLSearchParams): { id?: string; secret?: string } {
  const auth = req.headers.authorization;
  if (auth?.toLowerCase().startsWith('basic ')) {
    const decoded = Buffer.from(auth.slice(6), 'base64').toString('utf8');
    const i = decoded.indexOf(':');
    const unform = (s: string) => decodeURIComponent(s.replace(/\+/g, ' '));
    return i < 0 ? {} : { id: unform(decoded.slice(0, i)), secret: unform(decoded.slice(i + 1)) };
  }
  return { id: form.get('client_id') ?? undefined, secret: form.get('client_secret') ?? undefined };
}

export async function startRogueIdp(options: {
  redirectUris: string[];
  clientId?: string;
  clientSecret?: string;
}): Promise<RogueIdp> {
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const { privateKey, publicJwk } = await signingKey();
  const codes = new Map<string, PendingCode>();

  const idp: RogueIdp = {
    issuer,
    discoveryUrl: `${issuer}/.well-known/openid-configuration`,
    clientId: options.clientId ?? `client-${randomUUID()}`,
    clientSecret: options.clientSecret ?? randomBytes(24).toString('base64url'),
    behaviour: 'none',
    account: { sub: 'rogue-user-1', email: 'rogue.user@upstream.test', email_verified: true, name: 'Rogue User' },
    authorizeRequests: [],
    close: async () => {},
  };

  async function idToken(pending: PendingCode): Promise<string> {
    const b = idp.behaviour;
    const now = Math.floor(Date.now() / 1000);
    const iat = b === 'expired' ? now - 20 * 60 : now;
    const exp = b === 'expired' ? now - 10 * 60 : now + 5 * 60;
    const nonce =
      b === 'no-nonce' ? undefined : b === 'wrong-nonce' ? randomBytes(16).toString('base64url') : pending.nonce;
    return new SignJWT({
      sub: idp.account.sub,
      email: idp.account.email,
      email_verified: b === 'email-unverified' ? false : idp.account.email_verified,
      ...(idp.account.name ? { name: idp.account.name } : {}),
      ...(idp.account.amr ? { amr: idp.account.amr } : {}),
      ...(nonce ? { nonce } : {}),
      iat,
      exp,
    })
      .setProtectedHeader({ alg: 'RS256', kid: publicJwk.kid, typ: 'JWT' })
      .setIssuer(b === 'wrong-iss' ? 'http://127.0.0.1:1/not-the-issuer' : issuer)
      .setAudience(b === 'wrong-aud' ? 'someone-else' : pending.clientId)
      .sign(privateKey);
  }

  async function token(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const form = await readForm(req);
    const client = clientCredentials(req, form);
    if (client.id !== idp.clientId || client.secret !== idp.clientSecret)
      return json(res, 401, { error: 'invalid_client' });
    if (form.get('grant_type') !== 'authorization_code') return json(res, 400, { error: 'unsupported_grant_type' });
    const code = form.get('code') ?? '';
    const pending = codes.get(code);
    codes.delete(code);
    if (!pending || pending.clientId !== client.id)
      return json(res, 400, { error: 'invalid_grant', error_description: 'unknown or used code' });
    if (form.get('redirect_uri') !== pending.redirectUri)
      return json(res, 400, { error: 'invalid_grant', error_description: 'redirect_uri mismatch' });
    const verifier = form.get('code_verifier') ?? '';
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    if (!pending.codeChallenge || challenge !== pending.codeChallenge)
      return json(res, 400, { error: 'invalid_grant', error_description: 'PKCE verification failed' });
    json(res, 200, {
      access_token: randomBytes(24).toString('base64url'),
      token_type: 'Bearer',
      expires_in: 300,
      id_token: await idToken(pending),
    });
  }

  function authorize(url: URL, res: ServerResponse): void {
    const q = url.searchParams;
    idp.authorizeRequests.push(new URLSearchParams(q));
    const redirectUri = q.get('redirect_uri') ?? '';
    if (q.get('client_id') !== idp.clientId || !options.redirectUris.includes(redirectUri)) {
      res.writeHead(400, { 'content-type': 'text/plain' }).end('unknown client_id or redirect_uri');
      return;
    }
    const code = randomBytes(24).toString('base64url');
    codes.set(code, {
      nonce: q.get('nonce') ?? undefined,
      codeChallenge: q.get('code_challenge') ?? undefined,
      redirectUri,
      clientId: idp.clientId,
    });
    const target = new URL(redirectUri);
    target.searchParams.set('code', code);
    const state = q.get('state');
    if (state !== null) target.searchParams.set('state', state);
    res.writeHead(302, { location: target.toString() }).end();
  }

  const discovery = {
    issuer,
    authorization_endpoint: `${issuer}/authorize`,
    token_endpoint: `${issuer}/token`,
    jwks_uri: `${issuer}/jwks`,
    response_types_supported: ['code'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['RS256'],
    code_challenge_methods_supported: ['S256'],
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
  };

  idp.close = await serve(port, (req, res) => {
    const url = new URL(req.url ?? '/', issuer);
    const route = `${req.method} ${url.pathname}`;
    if (route === 'GET /.well-known/openid-configuration') return json(res, 200, discovery);
    if (route === 'GET /jwks') return json(res, 200, { keys: [publicJwk] });
    if (route === 'GET /authorize') return authorize(url, res);
    if (route === 'POST /token') {
      token(req, res).catch((err: unknown) =>
        json(res, 500, { error: 'server_error', error_description: String(err) }),
      );
      return;
    }
    json(res, 404, { error: 'not_found' });
  });
  return idp;
}

/** Signs in at a real (oidc-provider) IdP's dev login form; returns the URL it sends the browser back to. */
export async function atIdp(idp: OidcIdp, authorizeUrl: string, login: string): Promise<string> {
  const jar = new CookieJar();
  const origin = new URL(idp.issuer).origin;
  const loginPage = await follow(jar, authorizeUrl, origin);
  const action = formAction(await loginPage.res!.text(), '/interaction/');
  const posted = await postForm(jar, new URL(action, origin).toString(), {
    prompt: 'login',
    login,
    password: 'anything',
  });
  return (await follow(jar, new URL(posted.headers.get('location')!, origin).toString(), origin)).url;
}
