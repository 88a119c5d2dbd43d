// The baseline for `login` and `client-credentials`: a bare oidc-provider 9 in its own process, with Portico's
// signing algorithms (RS256 ID tokens, ES256 JWT access tokens, as the issue states the bare figure), one resource, PKCE, its in-memory storage, one client, and the
// least login a password needs: one form, one argon2id verify at Portico's default cost, consent granted.
// `node --import tsx bench/bare-provider.ts <port>` prints `ready` once listening.
import { createServer } from 'node:http';
import { exportJWK, generateKeyPair } from 'jose';
import Provider, { type Configuration } from 'oidc-provider';

import { defaultPasswordCost, hashPassword, verifyPassword } from '../src/secrets.ts';
import { BARE } from './bare-config.ts';

const port = Number(process.argv[2]);
const issuer = `http://127.0.0.1:${port}`;
const keys = await Promise.all(
  (['RS256', 'ES256'] as const).map(async (alg) => ({
    ...(await exportJWK((await generateKeyPair(alg, { extractable: true })).privateKey)),
    alg,
    use: 'sig',
    kid: `bench-${alg}`,
  })),
);
const passwordHash = await hashPassword(BARE.password, defaultPasswordCost);

const configuration: Configuration = {
  jwks: { keys: keys as never },
  clients: [
    {
      client_id: BARE.clientId,
      client_secret: BARE.clientSecret,
      redirect_uris: [BARE.redirectUri],
      grant_types: ['authorization_code', 'client_credentials'],
      response_types: ['code'],
    },
  ],
  cookies: { keys: ['bench-cookie-key-0123456789abcdef'] },
  pkce: { required: () => true },
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => BARE.resource,
      useGrantedResource: () => true,
      getResourceServerInfo: () => ({
        scope: 'api',
        audience: BARE.resource,
        accessTokenTTL: 3600,
        accessTokenFormat: 'jwt',
        jwt: { sign: { alg: 'ES256' } },
      }),
    },
  },
  interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
  findAccount: (_ctx, sub) => ({ accountId: sub, claims: () => ({ sub }) }),
  loadExistingGrant: async (ctx) => {
    const accountId = ctx.oidc.session?.accountId;
    if (!accountId) return undefined;
    const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client!.clientId, accountId });
    grant.addOIDCScope('openid profile email');
    await grant.save();
    return grant;
  },
};

const provider = new Provider(issuer, configuration);
const form = (uid: string) =>
  `<!doctype html><form method="post" action="/interaction/${uid}/login"><input name="login"><input name="password" type="password"><button>Sign in</button></form>`;

const server = createServer(async (req, res) => {
  const m = /^\/interaction\/([\w-]+)(\/login)?$/.exec(req.url ?? '');
  if (!m) return provider.callback()(req, res);
  try {
    if (!m[2]) {
      await provider.interactionDetails(req, res);
      res.writeHead(200, { 'content-type': 'text/html' }).end(form(m[1]!));
      return;
    }
    let body = '';
    for await (const chunk of req) body += chunk;
    const fields = new URLSearchParams(body);
    if (!(await verifyPassword(fields.get('password') ?? '', passwordHash))) {
      res.writeHead(400, { 'content-type': 'text/html' }).end(form(m[1]!));
      return;
    }
    await provider.interactionFinished(
      req,
      res,
      { login: { accountId: fields.get('login') ?? 'someone' } },
      { mergeWithLastSubmission: false },
    );
  } catch (error) {
    res.writeHead(500).end(String((error as Error).message));
  }
});
server.keepAliveTimeout = 30_000;
server.listen(port, '127.0.0.1', () => console.log('ready'));
// Ends by exit, not by the signal's default, so a --cpu-prof profile (BENCH_CPU_PROF) is written.
process.once('SIGTERM', () => process.exit(0));
