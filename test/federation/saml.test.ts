// SAML 2.0 and WS-Federation over HTTP on both stores, against a real IdP fixture signing with a test key:
// redemption through each ending Accepted with the IdP's issuer, a later sign-in through each, and every attack
// the issue lists refused with a reason while the guest stays pending.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { addProvider, readForm, relyingParty, typeAddress } from '../helpers/federation.ts';
import { openLink, submit, type Redeemer } from '../helpers/redeem.ts';
import { startSamlIdp, type ResponseOptions, type SamlIdp } from '../helpers/saml-idp.ts';
import { CookieJar, follow, postForm, request } from '../helpers/signin.ts';
import { suite } from '../helpers/suite.ts';

suite('SAML and WS-Federation', { runWorker: false, tenant: 'Contoso' }, ({ s, t }) => {
  let idp: SamlIdp;
  let acs: string;
  before(async () => {
    idp = await startSamlIdp();
    acs = `${s.baseUrl}/${t.tenantId}/federation/saml/acs`;
    await addProvider(s, t.tenantId, 'saml', {
      displayName: 'Partner SSO',
      issuerUri: idp.issuer,
      passiveSignInUri: idp.ssoUrl,
      signingCertificates: [idp.certBase64],
      domains: ['partner.test'],
    });
    await addProvider(s, t.tenantId, 'wsfed', {
      displayName: 'Partner AD FS',
      issuerUri: idp.issuer,
      passiveSignInUri: idp.wsfedUrl,
      signingCertificates: [idp.certPem],
      domains: ['wsfed.test'],
    });
  });
  after(async () => {
    await idp?.close();
  });

  const invite = async (email: string) =>
    (
      await t.api('POST', '/v1.0/invitations', {
        invitedUserEmailAddress: email,
        inviteRedirectUrl: 'https://myapps.example/',
      })
    ).body as { inviteRedeemUrl: string; invitedUser: { id: string } };
  const user = async (id: string) => (await t.api('GET', `/v1.0/users/${id}`)).body;

  /** Invites, starts the redemption (straight to the IdP) and opens the IdP's page. */
  async function begin(email: string) {
    const inv = await invite(email);
    const started = await submit(s, await openLink(s, inv.inviteRedeemUrl), '/redeem/start');
    assert.equal(started.status, 303);
    const idpPage = await fetch(started.location!);
    assert.equal(idpPage.status, 200);
    return { inv, r: started as Redeemer, form: readForm(await idpPage.text()), request: idp.requests.at(-1) };
  }

  /** Posts to an endpoint with the guest's cookies and follows Portico's redirects to the page reached. */
  async function post(r: Redeemer, url: string, fields: Record<string, string>) {
    const res = await postForm(r.jar, url, fields);
    if (res.status !== 303) return { status: res.status, page: await res.text(), r };
    const reached = await follow(r.jar, new URL(res.headers.get('location')!, s.baseUrl).toString(), s.baseUrl);
    const page = reached.res ? await reached.res.text() : '';
    return {
      status: reached.res?.status ?? 303,
      page,
      r: { ...r, csrf: /name="csrf" value="([^"]+)"/.exec(page)?.[1] ?? r.csrf },
      location: reached.url,
    };
  }

  const samlFields = (b: Awaited<ReturnType<typeof begin>>, opts: Partial<ResponseOptions> = {}) => ({
    SAMLResponse: idp.samlResponse({
      acsUrl: acs,
      audience: b.request!.issuer,
      inResponseTo: b.request!.id,
      user: idp.user,
      ...opts,
    }),
    RelayState: b.request!.relayState!,
  });

  it("publishes the tenant's SP metadata with its entity id and assertion consumer service", async () => {
    const res = await fetch(`${s.baseUrl}/${t.tenantId}/federation/saml/metadata`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type')!, /samlmetadata\+xml/);
    const xml = await res.text();
    assert.match(xml, new RegExp(`entityID="${s.baseUrl}/${t.tenantId}/federation/saml"`));
    assert.match(xml, new RegExp(`Location="${acs}"`));
  });

  it('SAML: redeems through the IdP, with a persistent NameID request, consent, and the IdP issuer in identities', async () => {
    idp.user = { nameId: 'alice-0001', email: 'alice@partner.test', displayName: 'Alice Partner' };
    const b = await begin('alice@partner.test');
    assert.equal(b.request!.acsUrl, acs);
    assert.equal(b.request!.nameIdPolicyFormat, 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent');
    assert.equal(b.form.action, acs);
    const consent = await post(b.r, b.form.action, b.form.fields);
    assert.equal(consent.status, 200);
    assert.match(consent.page, /Review permissions/);
    const done = await submit(s, consent.r, '/redeem/consent', { decision: 'accept' });
    assert.ok(done.location!.startsWith(`${s.baseUrl}/myapps`), done.location);
    const u = await user(b.inv.invitedUser.id);
    assert.equal(u.externalUserState, 'Accepted');
    assert.deepEqual(u.identities, [{ signInType: 'federated', issuer: idp.issuer, issuerAssignedId: 'alice-0001' }]);
    // The same answer posted again finds its request already answered.
    const again = await postForm(new CookieJar(), acs, b.form.fields);
    assert.equal(again.status, 400);
  });

  it('SAML: a redeemed guest signs in again through the IdP by typing their address at the sign-in page', async () => {
    const app = await relyingParty(s, t.tenantId);
    const { url, claims } = await app.authorize();
    const jar = new CookieJar();
    const toIdp = await typeAddress(s.baseUrl, jar, url, 'alice@partner.test');
    assert.ok(toIdp.url.startsWith(idp.ssoUrl), toIdp.url);
    const form = readForm(await (await fetch(toIdp.url)).text());
    const back = await postForm(jar, form.action, form.fields);
    assert.equal(back.status, 303);
    const callback = await follow(jar, new URL(back.headers.get('location')!, s.baseUrl).toString(), s.baseUrl);
    assert.ok(callback.url.startsWith(app.redirectUri), callback.url);
    const guest = (await t.api('GET', `/v1.0/users?$filter=mail eq 'alice@partner.test'`)).body.value[0];
    assert.equal((await claims(callback.url)).oid, guest.id);
  });

  it("the sign-in page offers the tenant's identity providers; picking one signs in the guest its identity names", async () => {
    const app = await relyingParty(s, t.tenantId);
    const pick = async (user: { nameId: string; email: string }) => {
      const { url, claims } = await app.authorize();
      const jar = new CookieJar();
      const signIn = await follow(jar, url, s.baseUrl);
      const html = await signIn.res!.text();
      const link = /href="([^"]+\/idp\/[^"]+)"[^>]*>Sign in with Partner SSO</.exec(html)?.[1];
      assert.ok(link, 'the page links to Partner SSO');
      idp.user = user;
      const toIdp = await request(jar, new URL(link.replace(/&amp;/g, '&'), s.baseUrl).toString());
      const form = readForm(await (await fetch(toIdp.headers.get('location')!)).text());
      const back = await postForm(jar, form.action, form.fields);
      return {
        reached: await follow(jar, new URL(back.headers.get('location')!, s.baseUrl).toString(), s.baseUrl),
        claims,
      };
    };
    const known = await pick({ nameId: 'alice-0001', email: 'alice@partner.test' });
    const guest = (await t.api('GET', `/v1.0/users?$filter=mail eq 'alice@partner.test'`)).body.value[0];
    assert.equal((await known.claims(known.reached.url)).oid, guest.id);
    const stranger = await pick({ nameId: 'stranger-9', email: 'stranger@partner.test' });
    assert.equal(stranger.reached.res?.status, 400);
    assert.match(await stranger.reached.res!.text(), /has no account for this identity/);
  });

  it('WS-Federation: redeems with wsignin1.0 and a SAML 2.0 token, then signs in again', async () => {
    idp.user = { nameId: 'wes-0002', email: 'wes@wsfed.test' };
    const b = await begin('wes@wsfed.test');
    assert.ok(b.form.action.endsWith('/federation/wsfed'));
    assert.equal(b.form.fields.wa, 'wsignin1.0');
    const consent = await post(b.r, b.form.action, b.form.fields);
    assert.match(consent.page, /Review permissions/);
    await submit(s, consent.r, '/redeem/consent', { decision: 'accept' });
    const u = await user(b.inv.invitedUser.id);
    assert.equal(u.externalUserState, 'Accepted');
    assert.deepEqual(u.identities, [{ signInType: 'federated', issuer: idp.issuer, issuerAssignedId: 'wes-0002' }]);

    const app = await relyingParty(s, t.tenantId);
    const { url, claims } = await app.authorize();
    const jar = new CookieJar();
    const toIdp = await typeAddress(s.baseUrl, jar, url, 'wes@wsfed.test');
    const form = readForm(await (await fetch(toIdp.url)).text());
    const back = await postForm(jar, form.action, form.fields);
    const callback = await follow(jar, new URL(back.headers.get('location')!, s.baseUrl).toString(), s.baseUrl);
    assert.equal((await claims(callback.url)).oid, u.id);
  });

  it('WS-Federation: a SAML 1.1 token and a token for another realm are refused', async () => {
    idp.user = { nameId: 'wes-0003', email: 'wendy@wsfed.test' };
    const b = await begin('wendy@wsfed.test');
    const reply = b.form.action;
    const saml11 = await post(b.r, reply, {
      ...b.form.fields,
      wresult: idp.wsfedResult({
        acsUrl: reply,
        audience: `${s.baseUrl}/${t.tenantId}/federation/saml`,
        user: idp.user,
        saml11: true,
      }),
    });
    assert.equal(saml11.status, 400);
    assert.match(saml11.page, /SAML 1\.1/);
    const otherRealm = await post(b.r, reply, {
      ...b.form.fields,
      wresult: idp.wsfedResult({ acsUrl: reply, audience: 'urn:someone-else', user: idp.user }),
    });
    assert.equal(otherRealm.status, 400);
    assert.match(otherRealm.page, /meant for another service/);
    assert.equal((await user(b.inv.invitedUser.id)).externalUserState, 'PendingAcceptance');
  });

  describe('attacks on the SAML response are refused and change nothing', () => {
    const minute = 60_000;
    const cases: [string, Partial<ResponseOptions>, RegExp][] = [
      ['an unsigned response', { unsigned: true }, /not signed/],
      ['a signature by another key', { key: 'other' }, /signature is missing or was not made with a certificate/],
      ['a duplicated assertion', { wrap: 'duplicate' }, /exactly one assertion/],
      ['a wrapped assertion (XSW in Extensions)', { wrap: 'extensions' }, /exactly one assertion/],
      [
        'a comment inside the NameID',
        { commentInNameId: true, user: { nameId: 'bob@partner.test.evil.test', email: 'bob@partner.test' } },
        /comments/,
      ],
      ['a comment inside the digest', { commentInDigest: true }, /comments/],
      ['a wrong audience', { audienceOverride: 'https://someone-else.example/sp' }, /meant for another service/],
      ['a wrong destination', { destination: 'https://evil.example/acs' }, /addressed to https:\/\/evil\.example\/acs/],
      ['a wrong recipient', { recipient: 'https://evil.example/acs' }, /another recipient/],
      [
        'an expired assertion',
        {
          notBefore: new Date(Date.now() - 30 * minute),
          notOnOrAfter: new Date(Date.now() - 10 * minute),
          issueInstant: new Date(Date.now() - 30 * minute),
        },
        /expired or not yet valid/,
      ],
      [
        'an assertion not yet valid',
        { notBefore: new Date(Date.now() + 30 * minute), notOnOrAfter: new Date(Date.now() + 40 * minute) },
        /expired or not yet valid/,
      ],
      [
        "an email outside the IdP's domains",
        { user: { nameId: 'mallory-1', email: 'mallory@evil.test' } },
        /not in a domain this identity provider serves/,
      ],
      ['a SHA-1 signature', { sha1: true }, /algorithm .* is not allowed/],
      [
        'another issuer (signed with the trusted key)',
        { issuer: 'https://evil.example/idp' },
        /issued by https:\/\/evil\.example\/idp/,
      ],
      ['an answer to another request', { inResponseTo: '_not-the-request' }, /does not answer the sign-in/],
    ];
    let n = 0;
    for (const [name, opts, reason] of cases) {
      it(name, async () => {
        const email = `bob${++n}@partner.test`;
        idp.user = { nameId: `bob-${n}`, email };
        const b = await begin(email);
        const res = await post(b.r, acs, samlFields(b, { user: idp.user, ...opts }));
        assert.equal(res.status, 400, res.page.slice(0, 500));
        assert.match(res.page, /Sign-in not accepted/);
        assert.match(res.page.replace(/&#39;/g, "'"), reason);
        const u = await user(b.inv.invitedUser.id);
        assert.equal(u.externalUserState, 'PendingAcceptance');
        assert.equal(
          (
            await s.portico.services.store.db
              .selectFrom('external_identities')
              .select('user_id')
              .where('user_id', '=', u.id)
              .execute()
          ).length,
          0,
        );
      });
    }

    it('a replayed assertion (same assertion id, new request)', async () => {
      idp.user = { nameId: 'rita-1', email: 'rita@partner.test' };
      const first = await begin('rita@partner.test');
      const ok = await post(first.r, acs, samlFields(first, { assertionId: '_replayed-assertion-1' }));
      assert.match(ok.page, /Review permissions/);
      idp.user = { nameId: 'rita-2', email: 'rick@partner.test' };
      const second = await begin('rick@partner.test');
      const replay = await post(second.r, acs, samlFields(second, { assertionId: '_replayed-assertion-1' }));
      assert.equal(replay.status, 400);
      assert.match(replay.page, /already used/);
    });

    it('an IdP-initiated response (no RelayState) and an unknown RelayState', async () => {
      idp.user = { nameId: 'ivy-1', email: 'ivy@partner.test' };
      const b = await begin('ivy@partner.test');
      const fields = samlFields(b);
      for (const relay of ['', 'not-a-request']) {
        const res = await postForm(b.r.jar, acs, { SAMLResponse: fields.SAMLResponse, RelayState: relay });
        assert.equal(res.status, 400);
        assert.match(await res.text(), /took too long or was already completed/);
      }
    });

    it('an answer picked up by another browser than the one that started the flow', async () => {
      idp.user = { nameId: 'eve-1', email: 'eve@partner.test' };
      const b = await begin('eve@partner.test');
      const res = await postForm(new CookieJar(), acs, samlFields(b));
      assert.equal(res.status, 303);
      const stolen = await request(new CookieJar(), new URL(res.headers.get('location')!, s.baseUrl).toString());
      assert.equal(stolen.status, 400);
      assert.equal((await user(b.inv.invitedUser.id)).externalUserState, 'PendingAcceptance');
    });
  });
});
