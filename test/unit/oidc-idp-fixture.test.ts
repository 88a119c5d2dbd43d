// Self-check of the upstream IdP fixtures, driven by openid-client as an ordinary relying party would drive them.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as client from 'openid-client';

import { freePort } from '../helpers/net.ts';
import { startOidcIdp, startRogueIdp, type Misbehaviour, type OidcIdp, type RogueIdp } from '../helpers/oidc-idp.ts';
import { CookieJar, follow, postForm } from '../helpers/signin.ts';

type Idp = Pick<OidcIdp, 'issuer' | 'clientId' | 'clientSecret'>;

// openid-client refuses http:// endpoints unless told otherwise.
const relyingParty = (idp: Idp, auth?: client.ClientAuth) =>
  client.discovery(new URL(idp.issuer), idp.clientId, idp.clientSecret, auth, {
    execute: [client.allowInsecureRequests],
  });

async function authorizationRequest(config: client.Configuration, redirectUri: string) {
  const pkceCodeVerifier = client.randomPKCECodeVerifier();
  const expectedState = client.randomState();
  const expectedNonce = client.randomNonce();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope: 'openid email profile',
    code_challenge: await client.calculatePKCECodeChallenge(pkceCodeVerifier),
    code_challenge_method: 'S256',
    state: expectedState,
    nonce: expectedNonce,
  });
  return { url, checks: { pkceCodeVerifier, expectedState, expectedNonce, idTokenExpected: true } };
}

const unescapeHtml = (s: string) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
const attr = (tag: string, name: string) => {
  const m = new RegExp(`\\s${name}="([^"]*)"`).exec(tag);
  return m ? unescapeHtml(m[1]!) : undefined;
};

function parseForm(html: string): { action: string; hidden: Record<string, string>; inputs: string[] } {
  const form = /<form[^>]*action="([^"]+)"[^>]*>([\s\S]*?)<\/form>/.exec(html);
  if (!form) throw new Error(`no form in page:\n${html.slice(0, 2000)}`);
  const tags = form[2]!.match(/<input[^>]*>/g) ?? [];
  const hidden = Object.fromEntries(
    tags.filter((t) => attr(t, 'type') === 'hidden').map((t) => [attr(t, 'name')!, attr(t, 'value') ?? '']),
  );
  return { action: unescapeHtml(form[1]!), hidden, inputs: tags.map((t) => attr(t, 'name')!).filter(Boolean) };
}

/** Authorize → dev login form → (no consent page) → the redirect_uri, over plain HTTP. */
async function devLogin(authorizationUrl: URL, login: string): Promise<URL> {
  const jar = new CookieJar();
  const origin = authorizationUrl.origin;
  const page = await follow(jar, authorizationUrl.href, origin);
  assert.equal(page.res?.status, 200, 'expected the login page');
  const form = parseForm(await page.res.text());
  assert.deepEqual(form.inputs, ['prompt', 'login', 'password']);
  const submitted = await postForm(jar, new URL(form.action, page.url).href, {
    ...form.hidden,
    login,
    password: 'any password works',
  });
  const location = submitted.headers.get('location');
  assert.ok(submitted.status >= 300 && submitted.status < 400 && location, `login post answered ${submitted.status}`);
  const done = await follow(jar, new URL(location, page.url).href, origin);
  assert.equal(done.res, undefined, `stopped at the IdP on ${done.url} instead of reaching the redirect_uri`);
  return new URL(done.url);
}

describe('startOidcIdp (oidc-provider with dev interactions)', () => {
  let redirectUri: string;
  let plain: OidcIdp;
  let nested: OidcIdp;
  before(async () => {
    redirectUri = `http://127.0.0.1:${await freePort()}/cb`;
    plain = await startOidcIdp({ redirectUris: [redirectUri] });
    nested = await startOidcIdp({
      redirectUris: [redirectUri],
      issuerPath: '/tenants/acme/v2',
      clientId: 'portico',
      clientSecret: 's3cret',
    });
    plain.accounts.set('alice', {
      sub: 'upstream-alice',
      email: 'alice@fabrikam.test',
      email_verified: true,
      name: 'Alice Fabrikam',
    });
  });
  after(async () => {
    await plain?.close();
    await nested?.close();
  });

  it('signs a known account in with client_secret_post; email claims are in the ID token', async () => {
    const config = await relyingParty(plain);
    const { url, checks } = await authorizationRequest(config, redirectUri);
    const callback = await devLogin(url, 'alice');
    assert.equal(callback.origin + callback.pathname, redirectUri);
    const tokens = await client.authorizationCodeGrant(config, callback, checks);
    const claims = tokens.claims()!;
    assert.equal(claims.iss, plain.issuer);
    assert.equal(claims.sub, 'upstream-alice');
    assert.equal(claims.email, 'alice@fabrikam.test');
    assert.equal(claims.email_verified, true);
    assert.equal(claims.name, 'Alice Fabrikam');
  });

  it('serves an issuer with a path, authenticates with client_secret_basic, and makes up unknown logins', async () => {
    assert.equal(nested.discoveryUrl, `${nested.issuer}/.well-known/openid-configuration`);
    const config = await relyingParty(nested, client.ClientSecretBasic(nested.clientSecret));
    assert.ok(config.serverMetadata().authorization_endpoint!.startsWith(`${nested.issuer}/`));
    const { url, checks } = await authorizationRequest(config, redirectUri);
    const tokens = await client.authorizationCodeGrant(config, await devLogin(url, 'bob@contoso.test'), checks);
    const claims = tokens.claims()!;
    assert.equal(claims.sub, 'bob@contoso.test');
    assert.equal(claims.email, 'bob@contoso.test');
    assert.equal(claims.email_verified, true);
  });
});

describe('startRogueIdp', () => {
  let redirectUri: string;
  let idp: RogueIdp;
  let config: client.Configuration;
  before(async () => {
    redirectUri = `http://127.0.0.1:${await freePort()}/cb`;
    idp = await startRogueIdp({ redirectUris: [redirectUri] });
    config = await relyingParty(idp);
  });
  after(async () => {
    await idp?.close();
  });

  /** The rogue IdP auto-approves: the authorization endpoint redirects straight to the callback. */
  async function signIn(behaviour: Misbehaviour, cfg = config) {
    idp.behaviour = behaviour;
    const { url, checks } = await authorizationRequest(cfg, redirectUri);
    const res = await fetch(url, { redirect: 'manual' });
    assert.equal(res.status, 302);
    const callback = new URL(res.headers.get('location')!);
    return { callback, checks, grant: () => client.authorizationCodeGrant(cfg, callback, checks) };
  }

  it('issues a correct ID token when behaving, with either client authentication, and codes are single use', async () => {
    const { grant } = await signIn('none');
    const claims = (await grant()).claims()!;
    assert.equal(claims.sub, idp.account.sub);
    assert.equal(claims.email, idp.account.email);
    assert.equal(claims.email_verified, true);
    await assert.rejects(grant(), { error: 'invalid_grant' });
    assert.equal(idp.authorizeRequests.at(-1)?.get('code_challenge_method'), 'S256');

    const basic = await relyingParty(idp, client.ClientSecretBasic(idp.clientSecret));
    assert.equal((await (await signIn('none', basic)).grant()).claims()!.sub, idp.account.sub);
  });

  it('refuses unregistered redirect URIs and wrong client secrets', async () => {
    const { url } = await authorizationRequest(config, 'http://127.0.0.1:1/elsewhere');
    assert.equal((await fetch(url, { redirect: 'manual' })).status, 400);
    const wrongSecret = await relyingParty({ ...idp, clientSecret: 'nope' });
    await assert.rejects((await signIn('none', wrongSecret)).grant(), { error: 'invalid_client' });
  });

  const rejections: [Misbehaviour, RegExp][] = [
    ['wrong-iss', /"iss" \(issuer\) claim value/],
    ['wrong-aud', /"aud" \(audience\) claim value/],
    ['no-nonce', /"nonce" \(nonce\) claim missing/],
    ['wrong-nonce', /"nonce" claim value/],
    ['expired', /"exp" \(expiration time\)/],
  ];
  for (const [behaviour, message] of rejections) {
    it(`${behaviour}: openid-client rejects the ID token`, async () => {
      // openid-client's own message is generic; the oauth4webapi error it wraps names the claim.
      await assert.rejects((await signIn(behaviour)).grant(), (e: Error) =>
        message.test((e.cause as Error | undefined)?.message ?? ''),
      );
    });
  }

  it('email-unverified: accepted by the library, but the claim says false', async () => {
    const claims = (await (await signIn('email-unverified')).grant()).claims()!;
    assert.equal(claims.email, idp.account.email);
    assert.equal(claims.email_verified, false);
  });
});
