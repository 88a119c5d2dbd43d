// Google and generic OpenID Connect federation over HTTP on both stores: a second oidc-provider acts as Google
// (its issuer is Portico's PORTICO_GOOGLE_ISSUER) and as a tenant's OIDC IdP; a deliberately misbehaving IdP
// proves each ID-token check; embedded web views are refused for Google.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { addProvider, relyingParty, typeAddress } from '../helpers/federation.ts';
import { freePort } from '../helpers/net.ts';
import {
  atIdp,
  startOidcIdp,
  startRogueIdp,
  type Misbehaviour,
  type OidcIdp,
  type RogueIdp,
} from '../helpers/oidc-idp.ts';
import { openLink, submit, type Redeemer } from '../helpers/redeem.ts';
import { CookieJar, follow, formAction, postForm, request } from '../helpers/signin.ts';
import { suite } from '../helpers/suite.ts';

const ANDROID_WEBVIEW =
  'Mozilla/5.0 (Linux; Android 14; Pixel 8 Build/UQ1A; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/120.0.6099.230 Mobile Safari/537.36';
const IOS_WKWEBVIEW =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148';

suite('Google and OpenID Connect federation', { tenant: 'Contoso' }, ({ s, t, prepare }) => {
  let google: OidcIdp;
  let corp: OidcIdp;
  let rogue: RogueIdp;
  let googlePort: number;
  prepare(async () => {
    googlePort = await freePort();
    return { runWorker: false, env: { PORTICO_GOOGLE_ISSUER: `http://127.0.0.1:${googlePort}` } };
  });
  before(async () => {
    const callback = `${s.baseUrl}/${t.tenantId}/federation/oidc/callback`;
    google = await startOidcIdp({ redirectUris: [callback], port: googlePort });
    corp = await startOidcIdp({ redirectUris: [callback], issuerPath: 'realms/corp' });
    rogue = await startRogueIdp({ redirectUris: [callback] });
    await addProvider(s, t.tenantId, 'google', { clientId: google.clientId, clientSecret: google.clientSecret });
    await addProvider(s, t.tenantId, 'oidc', {
      displayName: 'Corp IdP',
      issuerUri: corp.issuer,
      clientId: corp.clientId,
      clientSecret: corp.clientSecret,
      domains: ['corp.test'],
    });
    await addProvider(s, t.tenantId, 'oidc', {
      displayName: 'Rogue IdP',
      discoveryUrl: rogue.discoveryUrl,
      clientId: rogue.clientId,
      clientSecret: rogue.clientSecret,
      domains: ['rogue.test'],
    });
    await addProvider(s, t.tenantId, 'oidc', {
      displayName: 'Offline IdP',
      issuerUri: 'http://127.0.0.1:1',
      clientId: 'x',
      clientSecret: 'y',
      domains: ['offline.test'],
    });
  });
  after(async () => {
    await google?.close();
    await corp?.close();
    await rogue?.close();
  });

  const invite = async (email: string) =>
    (
      await t.api('POST', '/v1.0/invitations', {
        invitedUserEmailAddress: email,
        inviteRedirectUrl: 'https://myapps.example/',
      })
    ).body as { inviteRedeemUrl: string; invitedUser: { id: string } };
  const user = async (id: string) => (await t.api('GET', `/v1.0/users/${id}`)).body;

  /** Back at Portico's callback with the guest's cookies: follows Portico's redirects to the page reached. */
  async function backAtPortico(r: Redeemer, callback: string) {
    const reached = await follow(r.jar, callback, s.baseUrl);
    const page = reached.res ? await reached.res.text() : '';
    return {
      status: reached.res?.status ?? 303,
      page,
      r: { ...r, csrf: /name="csrf" value="([^"]+)"/.exec(page)?.[1] ?? r.csrf },
    };
  }

  async function begin(email: string, userAgent?: string) {
    const inv = await invite(email);
    const landing = await openLink(s, inv.inviteRedeemUrl);
    if (userAgent) {
      let res = await request(landing.jar, `${s.baseUrl}/redeem/start`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': userAgent },
        body: new URLSearchParams({ csrf: landing.csrf }).toString(),
      });
      // A page the POST answers with is shown at its results address (post/redirect/get), with its status.
      const shown = res.headers.get('location');
      if (res.status === 303 && shown && new URL(shown, s.baseUrl).pathname.startsWith('/redeem/results/'))
        res = await request(landing.jar, new URL(shown, s.baseUrl).toString(), {
          headers: { 'user-agent': userAgent },
        });
      return {
        inv,
        r: landing,
        status: res.status,
        location: res.headers.get('location') ?? undefined,
        page: await res.text(),
      };
    }
    const started = await submit(s, landing, '/redeem/start');
    return { inv, r: started as Redeemer, status: started.status, location: started.location, page: started.page };
  }

  async function redeemThrough(idp: OidcIdp, email: string, login: string) {
    const b = await begin(email);
    assert.equal(b.status, 303);
    assert.ok(b.location!.startsWith(idp.issuer), b.location);
    const authorize = new URL(b.location!);
    for (const p of ['state', 'nonce', 'code_challenge']) assert.ok(authorize.searchParams.get(p), `${p} is sent`);
    assert.equal(authorize.searchParams.get('code_challenge_method'), 'S256');
    const consent = await backAtPortico(b.r, await atIdp(idp, b.location!, login));
    assert.match(consent.page, /Review permissions/);
    const done = await submit(s, consent.r, '/redeem/consent', { decision: 'accept' });
    assert.ok(done.location!.startsWith(`${s.baseUrl}/myapps`));
    return user(b.inv.invitedUser.id);
  }

  async function signInAgain(idp: OidcIdp, email: string, login: string) {
    const app = await relyingParty(s, t.tenantId);
    const { url, claims } = await app.authorize();
    const jar = new CookieJar();
    const toIdp = await typeAddress(s.baseUrl, jar, url, email);
    assert.ok(toIdp.url.startsWith(idp.issuer), toIdp.url);
    const callback = await follow(jar, await atIdp(idp, toIdp.url, login), s.baseUrl);
    assert.ok(callback.url.startsWith(app.redirectUri), callback.url);
    return claims(callback.url);
  }

  it('Google: a gmail.com guest redeems at Google (issuer google.com) and signs in again there', async () => {
    google.accounts.set('gina', {
      sub: 'google-sub-gina',
      email: 'gina@gmail.com',
      email_verified: true,
      name: 'Gina',
    });
    const u = await redeemThrough(google, 'gina@gmail.com', 'gina');
    assert.equal(u.externalUserState, 'Accepted');
    assert.deepEqual(u.identities, [
      { signInType: 'federated', issuer: 'google.com', issuerAssignedId: 'google-sub-gina' },
    ]);
    assert.equal((await signInAgain(google, 'gina@gmail.com', 'gina')).oid, u.id);
  });

  it("OIDC: an address in the IdP's domain redeems there (issuer = the IdP) and signs in again there", async () => {
    corp.accounts.set('carl', { sub: 'corp-carl', email: 'carl@corp.test', email_verified: true });
    const u = await redeemThrough(corp, 'carl@corp.test', 'carl');
    assert.deepEqual(u.identities, [{ signInType: 'federated', issuer: corp.issuer, issuerAssignedId: 'corp-carl' }]);
    assert.equal((await signInAgain(corp, 'carl@corp.test', 'carl')).oid, u.id);
  });

  it('OIDC: an identity with another address is bound only after the invited address is proven', async () => {
    corp.accounts.set('cora', { sub: 'corp-cora', email: 'cora.alias@corp.test', email_verified: true });
    const b = await begin('cora@corp.test');
    const proof = await backAtPortico(b.r, await atIdp(corp, b.location!, 'cora'));
    assert.match(proof.page, /Enter code/);
    assert.equal((await user(b.inv.invitedUser.id)).externalUserState, 'PendingAcceptance');
  });

  it('Google is refused in embedded web views with how to open the system browser; a normal browser goes on', async () => {
    for (const ua of [ANDROID_WEBVIEW, IOS_WKWEBVIEW]) {
      const b = await begin(`webview${ua.length}@gmail.com`, ua);
      assert.equal(b.status, 403);
      assert.match(b.page, /Open this page in your browser/);
      assert.match(b.page, /Open in browser/);
    }
    const chrome = await begin(
      'desktop@gmail.com',
      'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36',
    );
    assert.equal(chrome.status, 303);
    assert.ok(chrome.location!.startsWith(google.issuer));
    // Signing in later by typing the address at the tenant's sign-in page refuses the same way.
    const app = await relyingParty(s, t.tenantId);
    const jar = new CookieJar();
    const identifier = await follow(jar, (await app.authorize()).url, s.baseUrl);
    const typed = await postForm(
      jar,
      new URL(formAction(await identifier.res!.text(), '/identifier'), s.baseUrl).toString(),
      { login: 'gina@gmail.com' },
    );
    const refused = await request(jar, new URL(typed.headers.get('location')!, s.baseUrl).toString(), {
      headers: { 'user-agent': ANDROID_WEBVIEW },
    });
    assert.equal(refused.status, 403);
    assert.match(await refused.text(), /Open this page in your browser/);
  });

  describe('ID tokens and answers that must be refused', () => {
    const cases: [Misbehaviour, RegExp][] = [
      ['wrong-iss', /refused: .*iss/i],
      ['wrong-aud', /refused: .*aud/i],
      ['no-nonce', /refused: .*nonce/i],
      ['wrong-nonce', /refused: .*nonce/i],
      ['expired', /refused: .*exp/i],
      ['email-unverified', /has not verified that ron\d*@rogue\.test belongs to you/],
    ];
    let n = 0;
    for (const [behaviour, reason] of cases) {
      it(behaviour, async () => {
        const email = `ron${++n}@rogue.test`;
        rogue.behaviour = behaviour;
        rogue.account = { sub: `rogue-${n}`, email, email_verified: true };
        const b = await begin(email);
        assert.ok(b.location!.startsWith(rogue.issuer));
        const cb = await fetch(b.location!, { redirect: 'manual' });
        const asked = rogue.authorizeRequests.at(-1)!;
        assert.ok(asked.get('state') && asked.get('nonce') && asked.get('code_challenge_method') === 'S256');
        const res = await backAtPortico(b.r, cb.headers.get('location')!);
        assert.equal(res.status, 400);
        assert.match(res.page, /Sign-in not accepted/);
        assert.match(res.page.replace(/&quot;/g, '"').replace(/&#39;/g, "'"), reason);
        assert.equal((await user(b.inv.invitedUser.id)).externalUserState, 'PendingAcceptance');
      });
    }

    it("an email outside the provider's domains", async () => {
      rogue.behaviour = 'none';
      rogue.account = { sub: 'rogue-x', email: 'ron@elsewhere.test', email_verified: true };
      const b = await begin('ronx@rogue.test');
      const cb = await fetch(b.location!, { redirect: 'manual' });
      const res = await backAtPortico(b.r, cb.headers.get('location')!);
      assert.equal(res.status, 400);
      assert.match(res.page, /not in a domain Rogue IdP serves/);
    });

    it('a state that does not match the request (or none), and an error answer', async () => {
      rogue.behaviour = 'none';
      rogue.account = { sub: 'rogue-s', email: 'rons@rogue.test', email_verified: true };
      const b = await begin('rons@rogue.test');
      const cb = new URL((await fetch(b.location!, { redirect: 'manual' })).headers.get('location')!);
      for (const state of ['someone-elses-state', '']) {
        const wrong = new URL(cb);
        wrong.searchParams.set('state', state);
        const res = await request(b.r.jar, wrong.toString());
        assert.equal(res.status, 400);
        assert.match(await res.text(), /took too long or was already completed/);
      }
      const denied = new URL(cb);
      denied.search = new URLSearchParams({
        error: 'access_denied',
        error_description: 'User cancelled',
        state: cb.searchParams.get('state')!,
      }).toString();
      const res = await backAtPortico(b.r, denied.toString());
      assert.equal(res.status, 400);
      assert.match(res.page, /access_denied/);
      assert.equal((await user(b.inv.invitedUser.id)).externalUserState, 'PendingAcceptance');
    });

    it('an unreachable provider gives a clear page', async () => {
      const b = await begin('olga@offline.test');
      assert.equal(b.status, 502);
      assert.match(b.page, /Offline IdP cannot be reached/);
      // The flow stays: its page offers to try again.
      const retry = await request(b.r.jar, `${s.baseUrl}/redeem/flow`);
      assert.match(await retry.text(), /Continue to Offline IdP/);
    });
  });
});
