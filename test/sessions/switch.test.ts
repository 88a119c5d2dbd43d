// "Already signed in as someone else" over HTTP on both stores (sessions/switch.ts): the invitation link and an
// app's sign-in or a direct link, opened by a browser that holds another person's Portico session. The page names
// who is signed in; "use another account" really ends that session (the old cookie no longer names anyone, and the
// tenant's apps ask again), "continue as" goes on as them only where the table allows it, and a forged or missing
// CSRF value changes nothing.
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import * as client from 'openid-client';

import { registerApp } from '../../src/apps/apps.ts';
import { liveSession, sessionCookieName } from '../../src/sessions/sessions.ts';
import { newUserBody, tenantWithApi, type TenantApi } from '../helpers/api.ts';
import { setTenantSettings } from '../helpers/cli.ts';
import { mailedCode, openLink, submit, type Redeemer } from '../helpers/redeem.ts';
import { CookieJar, follow, postForm, request, signIn } from '../helpers/signin.ts';
import { suite } from '../helpers/suite.ts';

const PASSWORD = 'correct-horse-battery';
const REDIRECT = 'http://127.0.0.1:1/callback';

/** The value of a cookie the jar holds. */
const cookieIn = (jar: CookieJar, name: string) =>
  new Map(
    jar
      .header()
      .split('; ')
      .map((p) => [p.slice(0, p.indexOf('=')), p.slice(p.indexOf('=') + 1)]),
  ).get(name);
const text = (html: string) => html.replace(/&#39;/g, "'").replace(/&quot;/g, '"');

suite('already signed in as someone else', { runWorker: false }, ({ s }) => {
  let contoso: TenantApi;
  let fabrikam: TenantApi;
  let relaxed: TenantApi;
  const rps = new Map<string, client.Configuration>();

  before(async () => {
    contoso = await tenantWithApi(s, 'Contoso', { domain: 'contoso.example', adminEmail: 'admin@contoso.example' });
    fabrikam = await tenantWithApi(s, 'Fabrikam', { domain: 'fabrikam.example', adminEmail: 'admin@fabrikam.example' });
    relaxed = await tenantWithApi(s, 'Relaxed');
    const { store, clock } = s.portico.services;
    await setTenantSettings(s, relaxed.tenantId, 'requireInvitedAddressProof=false');
    for (const t of [contoso, fabrikam, relaxed]) {
      const { app, clientSecret } = await store.transaction((tx) =>
        registerApp(tx, clock, t.tenantId, {
          displayName: `${t.tenant.displayName} app`,
          grantTypes: ['authorization_code'],
          redirectUris: [REDIRECT],
        }),
      );
      rps.set(
        t.tenantId,
        await client.discovery(new URL(`${s.baseUrl}/${t.tenantId}/v2.0`), app.clientId, clientSecret!, undefined, {
          execute: [client.allowInsecureRequests],
        }),
      );
    }
  });

  /** An authorization request of the tenant's app, and the claims its code brings. */
  async function authorize(tenantId: string) {
    const rp = rps.get(tenantId)!;
    const verifier = client.randomPKCECodeVerifier();
    const url = client
      .buildAuthorizationUrl(rp, {
        redirect_uri: REDIRECT,
        scope: 'openid email profile',
        state: 'st',
        code_challenge: await client.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
      })
      .toString();
    return {
      url,
      claims: async (callback: string) =>
        (
          await client.authorizationCodeGrant(rp, new URL(callback), {
            pkceCodeVerifier: verifier,
            expectedState: 'st',
          })
        ).claims()!,
    };
  }

  /** Opens the app with the browser's cookies: the callback it returns to, or the page it stops at. */
  async function openApp(jar: CookieJar, url: string): Promise<{ callback?: string; status: number; page: string }> {
    const reached = await follow(jar, url, s.baseUrl);
    return reached.res
      ? { status: reached.res.status, page: text(await reached.res.text()) }
      : { callback: reached.url, status: 303, page: '' };
  }

  const member = async (t: TenantApi, name: string, extra: Record<string, unknown> = {}) => {
    const res = await t.api('POST', '/v1.0/users', {
      ...newUserBody(
        `${name}@${t === fabrikam ? 'fabrikam.example' : 'contoso.example'}`,
        name[0]!.toUpperCase() + name.slice(1),
      ),
      ...extra,
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body.id as string;
  };

  /**
   * A browser signed in with a password at the tenant (through its app): the jar, the Portico session cookie's
   * secret and the tenant's oidc-provider session cookies (`portico_s_…` and its signature) as a Cookie header.
   */
  async function signedIn(t: TenantApi, email: string) {
    const { callback, jar } = await signIn((await authorize(t.tenantId)).url, s.baseUrl, email, PASSWORD);
    assert.ok(callback.startsWith(REDIRECT), callback);
    const secret = cookieIn(jar, sessionCookieName(t.tenantId));
    assert.ok(secret, 'a Portico session cookie');
    const oidc = jar
      .header()
      .split('; ')
      .filter((c) => c.startsWith(`portico_s_${t.tenantId.replace(/-/g, '').slice(0, 12)}`));
    assert.equal(oidc.length, 2, 'the oidc-provider session cookie and its signature');
    return { jar, secret, oidc: oidc.join('; ') };
  }

  const invite = async (t: TenantApi, email: string) =>
    (
      await t.api('POST', '/v1.0/invitations', {
        invitedUserEmailAddress: email,
        inviteRedirectUrl: REDIRECT,
        sendInvitationMessage: false,
      })
    ).body as { inviteRedeemUrl: string; invitedUser: { id: string } };
  const userOf = async (t: TenantApi, id: string) => (await t.api('GET', `/v1.0/users/${id}`)).body;
  const live = (tenantId: string, secret: string) =>
    liveSession(s.portico.services.store.db, s.portico.services.clock, tenantId, secret);

  /** The switch page: who it names, and whether it offers to continue. */
  function assertSwitchPage(
    r: { status: number; page: string },
    who: { name: string; email: string; org: string },
    canContinue: boolean,
  ) {
    assert.equal(r.status, 200, r.page.slice(0, 500));
    const page = text(r.page);
    assert.match(page, /You're already signed in/);
    assert.ok(page.includes(`You're signed in as ${who.name} (${who.email}) at ${who.org}.`), page);
    assert.equal(page.includes(`Continue as ${who.name}`), canContinue, 'continue is offered exactly when allowed');
    assert.match(page, /Use another account/);
  }

  /** The sign-out took: the old cookies name no one, and the tenant's app asks for a sign-in again. */
  async function assertSignedOut(t: TenantApi, jar: CookieJar, { secret, oidc }: { secret: string; oidc: string }) {
    assert.equal(await live(t.tenantId, secret), undefined, 'the old session cookie no longer names the user');
    const replayed = await fetch((await authorize(t.tenantId)).url, { redirect: 'manual', headers: { cookie: oidc } });
    assert.equal(replayed.status, 303);
    assert.match(
      replayed.headers.get('location')!,
      /\/interaction\//,
      "the old oidc-provider session cookie no longer signs in at the tenant's apps",
    );
    assert.equal(cookieIn(jar, sessionCookieName(t.tenantId)), undefined, 'the browser dropped the cookie');
    const myApps = await request(new CookieJar(), `${s.baseUrl}/myapps?tenantid=${t.tenantId}`, {
      headers: { cookie: `${sessionCookieName(t.tenantId)}=${secret}` },
    });
    assert.equal(myApps.status, 303, 'My Apps with the old cookie sends the browser to sign in');
    const again = await openApp(jar, (await authorize(t.tenantId)).url);
    assert.equal(
      again.callback,
      undefined,
      `the tenant's app asks again (its oidc-provider session ended too), got ${again.callback}`,
    );
    assert.match(again.page, /name="login"/);
  }

  it('invitation for another address: the page names the member; forged or missing CSRF changes nothing; another account signs them out and the passcode redeems', async () => {
    await member(fabrikam, 'raj');
    const signedInAs = await signedIn(fabrikam, 'raj@fabrikam.example');
    const { jar, secret } = signedInAs;
    const inv = await invite(contoso, 'pat@partner.example');
    const page = await openLink(s, inv.inviteRedeemUrl, jar);
    assertSwitchPage(page, { name: 'Raj', email: 'raj@fabrikam.example', org: 'Fabrikam' }, true);
    assert.match(text(page.page), /This invitation from Contoso is for pat@partner\.example\./);
    assert.match(
      text(page.page),
      /we'll first send a code to pat@partner\.example/,
      'continuing as Raj would need proof of the invited address',
    );

    for (const fields of [
      { csrf: 'forged', choice: 'another' },
      { choice: 'another' },
      { csrf: page.csrf.slice(1), choice: 'continue' },
    ] as Record<string, string>[]) {
      const res = await postForm(jar, `${s.baseUrl}/redeem/switch`, fields);
      assert.equal(res.status, 403, JSON.stringify(fields));
      assert.match(text(await res.text()), /nothing was changed/);
      assert.ok(await live(fabrikam.tenantId, secret), 'Raj is still signed in');
      assert.equal(cookieIn(jar, 'portico_flow'), undefined, 'no flow started');
    }

    const landing = await submit(s, page, '/redeem/switch', { choice: 'another' });
    assert.equal(landing.status, 200);
    assert.match(landing.page, /action="\/redeem\/start"/, "back at the same invitation's landing");
    await assertSignedOut(fabrikam, jar, signedInAs);

    const code = await submit(s, landing, '/redeem/start');
    const consent = await submit(s, code, '/redeem/passcode', { code: await mailedCode(s, 'pat@partner.example') });
    const done = await submit(s, consent, '/redeem/consent', { decision: 'accept' });
    assert.equal(done.location, REDIRECT);
    const guest = await userOf(contoso, inv.invitedUser.id);
    assert.equal(guest.externalUserState, 'Accepted');
    assert.equal(guest.identities[0].issuer, 'mail');
  });

  it("the member's own address: continue as them redeems with their organization account and keeps their session", async () => {
    const rajId = (await userOf(fabrikam, 'raj@fabrikam.example')).id;
    const { jar, secret } = await signedIn(fabrikam, 'raj@fabrikam.example');
    const inv = await invite(contoso, 'raj@fabrikam.example');
    const page = await openLink(s, inv.inviteRedeemUrl, jar);
    assertSwitchPage(page, { name: 'Raj', email: 'raj@fabrikam.example', org: 'Fabrikam' }, true);
    assert.doesNotMatch(text(page.page), /send a code/, 'no proof needed for their own address');

    const forged = await postForm(jar, `${s.baseUrl}/redeem/switch`, {
      csrf: 'x'.repeat(page.csrf.length),
      choice: 'continue',
    });
    assert.equal(forged.status, 403);
    assert.equal((await userOf(contoso, inv.invitedUser.id)).externalUserState, 'PendingAcceptance');
    assert.equal(cookieIn(jar, 'portico_flow'), undefined);

    const consent = await submit(s, page, '/redeem/switch', { choice: 'continue' });
    assert.equal(consent.status, 200);
    assert.match(consent.page, /Review permissions/, 'straight to consent: no password asked');
    const done = await submit(s, consent, '/redeem/consent', { decision: 'accept' });
    assert.equal(done.location, REDIRECT);
    const guest = await userOf(contoso, inv.invitedUser.id);
    assert.equal(guest.externalUserState, 'Accepted');
    assert.deepEqual(
      [guest.identities[0].issuer, guest.identities[0].issuerAssignedId],
      [`${s.baseUrl}/${fabrikam.tenantId}/v2.0`, rajId],
    );
    assert.ok(await live(fabrikam.tenantId, secret), 'Raj is still signed in at Fabrikam');
  });

  it('another address with proof required: continuing mails a code to the invited address first', async () => {
    const { jar } = await signedIn(fabrikam, 'raj@fabrikam.example');
    const inv = await invite(contoso, 'raj.private@partner.example');
    const page = await openLink(s, inv.inviteRedeemUrl, jar);
    const proof = await submit(s, page, '/redeem/switch', { choice: 'continue' });
    assert.match(proof.page, /action="\/redeem\/proof"/);
    assert.match(proof.page, /raj\.private@partner\.example/);
    const consent = await submit(s, proof, '/redeem/proof', {
      code: await mailedCode(s, 'raj.private@partner.example'),
    });
    const done = await submit(s, consent, '/redeem/consent', { decision: 'accept' });
    assert.equal(done.location, REDIRECT);
    assert.equal(
      (await userOf(contoso, inv.invitedUser.id)).identities[0].issuer,
      `${s.baseUrl}/${fabrikam.tenantId}/v2.0`,
    );
  });

  it('another address where proof is relaxed: no continue, and posting it anyway changes nothing', async () => {
    const { jar, secret } = await signedIn(fabrikam, 'raj@fabrikam.example');
    const inv = await invite(relaxed, 'kim@partner.example');
    const page = await openLink(s, inv.inviteRedeemUrl, jar);
    assertSwitchPage(page, { name: 'Raj', email: 'raj@fabrikam.example', org: 'Fabrikam' }, false);
    assert.match(text(page.page), /Raj can't be used to accept this invitation for kim@partner\.example/);
    const refused = await submit(s, page, '/redeem/switch', { choice: 'continue' });
    assert.equal(refused.status, 403);
    assert.match(text(refused.page), /You're already signed in/);
    assert.equal((await userOf(relaxed, inv.invitedUser.id)).externalUserState, 'PendingAcceptance');
    assert.equal(cookieIn(jar, 'portico_flow'), undefined);
    assert.ok(await live(fabrikam.tenantId, secret));
  });

  it("signed in at the inviting tenant itself: no continue; another account ends that session and the invitation's landing follows", async () => {
    await member(contoso, 'ada');
    const signedInAs = await signedIn(contoso, 'ada@contoso.example');
    const { jar } = signedInAs;
    const inv = await invite(contoso, 'lou@partner.example');
    const page = await openLink(s, inv.inviteRedeemUrl, jar);
    assertSwitchPage(page, { name: 'Ada', email: 'ada@contoso.example', org: 'Contoso' }, false);
    const landing = await submit(s, page, '/redeem/switch', { choice: 'another' });
    assert.match(landing.page, /action="\/redeem\/start"/);
    await assertSignedOut(contoso, jar, signedInAs);
  });

  it("an app where the member is a guest: continue signs in as that guest; another account signs the member out and shows the app's sign-in", async () => {
    const guestId = (await contoso.api('GET', `/v1.0/users?$filter=mail eq 'raj@fabrikam.example'`)).body.value[0]
      .id as string;

    const first = await signedIn(fabrikam, 'raj@fabrikam.example');
    const app = await authorize(contoso.tenantId);
    const page = await openApp(first.jar, app.url);
    assertSwitchPage(page, { name: 'Raj', email: 'raj@fabrikam.example', org: 'Fabrikam' }, true);
    assert.match(page.page, /You're signing in to Contoso app at Contoso, where Raj has an account\./);
    const csrf = /name="csrf" value="([^"]+)"/.exec(page.page)![1]!;
    const action = new URL(/action="([^"]+\/switch)"/.exec(page.page)![1]!, s.baseUrl).toString();

    for (const fields of [{ csrf: `${csrf}x`, choice: 'continue' }, { choice: 'another' }] as Record<
      string,
      string
    >[]) {
      const res = await postForm(first.jar, action, fields);
      assert.equal(res.status, 403, JSON.stringify(fields));
      assert.equal(
        cookieIn(first.jar, sessionCookieName(contoso.tenantId)),
        undefined,
        'no session started at Contoso',
      );
      assert.ok(await live(fabrikam.tenantId, first.secret), 'Raj is still signed in at Fabrikam');
    }

    const go = await postForm(first.jar, action, { csrf, choice: 'continue' });
    assert.equal(go.status, 303);
    const landed = await follow(first.jar, new URL(go.headers.get('location')!, s.baseUrl).toString(), s.baseUrl);
    assert.ok(landed.url.startsWith(`${REDIRECT}?code=`), landed.url);
    const claims = await app.claims(landed.url);
    assert.equal(claims.oid, guestId);
    assert.equal(claims.tid, contoso.tenantId);
    assert.equal(claims.idp, `${s.baseUrl}/${fabrikam.tenantId}/v2.0`);
    assert.ok(await live(fabrikam.tenantId, first.secret), 'continuing keeps the session at Fabrikam');
    assert.equal(
      (await live(contoso.tenantId, cookieIn(first.jar, sessionCookieName(contoso.tenantId))!))?.userId,
      guestId,
    );

    // A direct link to Contoso's My Apps in another browser signed in as Raj: the same page; another account.
    const second = await signedIn(fabrikam, 'raj@fabrikam.example');
    const direct = await openApp(second.jar, `${s.baseUrl}/myapps/contoso.example`);
    assertSwitchPage(direct, { name: 'Raj', email: 'raj@fabrikam.example', org: 'Fabrikam' }, true);
    const uidPage = new URL(/action="([^"]+)\/switch"/.exec(direct.page)![1]!, s.baseUrl).toString();
    const another = await postForm(second.jar, `${uidPage}/switch`, {
      csrf: /name="csrf" value="([^"]+)"/.exec(direct.page)![1]!,
      choice: 'another',
    });
    assert.equal(another.status, 303);
    assert.equal(
      new URL(another.headers.get('location')!, s.baseUrl).toString(),
      uidPage,
      'back to the same sign-in (the interaction survives)',
    );
    const signInPage = await request(second.jar, uidPage);
    assert.equal(signInPage.status, 200);
    assert.match(await signInPage.text(), /name="login"/);
    await assertSignedOut(fabrikam, second.jar, second);
  });

  it("an accepted guest signed in at the tenant opens its app: no page; a member who isn't a user there gets the sign-in page and keeps their session", async () => {
    const inv = await invite(contoso, 'sam@partner.example');
    const landing: Redeemer = await openLink(s, inv.inviteRedeemUrl);
    const code = await submit(s, landing, '/redeem/start');
    const consent = await submit(s, code, '/redeem/passcode', { code: await mailedCode(s, 'sam@partner.example') });
    await submit(s, consent, '/redeem/consent', { decision: 'accept' });
    const app = await authorize(contoso.tenantId);
    const reached = await openApp(landing.jar, app.url);
    assert.ok(reached.callback?.startsWith(`${REDIRECT}?code=`), reached.page.slice(0, 300));
    assert.equal((await app.claims(reached.callback!)).oid, inv.invitedUser.id);

    await member(fabrikam, 'noor');
    const noor = await signedIn(fabrikam, 'noor@fabrikam.example');
    const page = await openApp(noor.jar, (await authorize(contoso.tenantId)).url);
    assert.match(page.page, /name="login"/);
    assert.doesNotMatch(page.page, /already signed in/);
    assert.ok(await live(fabrikam.tenantId, noor.secret));
  });
});
