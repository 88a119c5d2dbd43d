// An identity provider trusted for MFA (issue #20), over HTTP on both stores, with real SAML and OpenID Connect
// upstreams: Contoso requires MFA of everyone. A SAML provider it trusts for MFA sends an assertion whose
// AuthnContextClassRef says MFA (Entra's multipleauthn): the redemption asks no second factor, the session did MFA
// (amr fed), the sign-in log says the external provider's claim met the requirement; an assertion that says only
// password is asked for MFA. Signing in again through the provider (REFEDS MFA) gives the app an ID token with amr
// fed and mfa, without asking. An OIDC provider's ID token with amr mfa counts only when the provider is trusted.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';

import { liveSession, sessionCookieName } from '../../src/sessions/sessions.ts';
import { addProvider, readForm, relyingParty, typeAddress } from '../helpers/federation.ts';
import { requireMfa } from '../helpers/mfa.ts';
import { startRogueIdp, type RogueIdp } from '../helpers/oidc-idp.ts';
import { openLink, submit, type Redeemer } from '../helpers/redeem.ts';
import { startSamlIdp, type SamlIdp } from '../helpers/saml-idp.ts';
import { CookieJar, follow, postForm } from '../helpers/signin.ts';
import { suite } from '../helpers/suite.ts';

const MULTIPLE_AUTHN = 'http://schemas.microsoft.com/claims/multipleauthn';
const REFEDS_MFA = 'https://refeds.org/profile/mfa';
const PASSWORD_CONTEXT = 'urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport';

suite('MFA from an identity provider trusted for MFA', { runWorker: false, tenant: 'Contoso' }, ({ s, t }) => {
  let saml: SamlIdp;
  let trusted: RogueIdp;
  let untrusted: RogueIdp;

  before(async () => {
    saml = await startSamlIdp();
    const callback = `${s.baseUrl}/${t.tenantId}/federation/oidc/callback`;
    trusted = await startRogueIdp({ redirectUris: [callback] });
    untrusted = await startRogueIdp({ redirectUris: [callback] });
    await addProvider(s, t.tenantId, 'saml', {
      displayName: 'Partner SSO',
      issuerUri: saml.issuer,
      passiveSignInUri: saml.ssoUrl,
      signingCertificates: [saml.certBase64],
      domains: ['partner.test'],
      isMfaTrusted: true,
    });
    for (const [idp, domain, isMfaTrusted] of [
      [trusted, 'trusted.test', true],
      [untrusted, 'untrusted.test', false],
    ] as const)
      await addProvider(s, t.tenantId, 'oidc', {
        displayName: domain,
        discoveryUrl: idp.discoveryUrl,
        clientId: idp.clientId,
        clientSecret: idp.clientSecret,
        domains: [domain],
        isMfaTrusted,
      });
    await requireMfa(t.api, ['All']);
  });
  after(async () => {
    await saml?.close();
    await trusted?.close();
    await untrusted?.close();
  });

  /** Invites `email` and starts the redemption, which goes straight to the provider: the redirect there. */
  async function begin(email: string) {
    const inv = (
      await t.api('POST', '/v1.0/invitations', {
        invitedUserEmailAddress: email,
        inviteRedirectUrl: 'https://myapps.example/',
      })
    ).body as { inviteRedeemUrl: string; invitedUser: { id: string } };
    const started = await submit(s, await openLink(s, inv.inviteRedeemUrl), '/redeem/start');
    assert.equal(started.status, 303);
    return { inv, r: started as Redeemer, location: started.location! };
  }

  /** Follows Portico's redirects from a URL with the guest's cookies: the page reached (its CSRF value carried on). */
  async function reach(r: Redeemer, url: string) {
    const reached = await follow(r.jar, url, s.baseUrl);
    const page = reached.res ? await reached.res.text() : '';
    return { page, r: { ...r, csrf: /name="csrf" value="([^"]+)"/.exec(page)?.[1] ?? r.csrf } };
  }

  /** Through the SAML provider (its page posts the assertion back), then consent: the page after consent. */
  async function redeemBySaml(email: string) {
    const b = await begin(email);
    const form = readForm(await (await fetch(b.location)).text());
    const res = await postForm(b.r.jar, form.action, form.fields);
    assert.equal(res.status, 303);
    const consent = await reach(b.r, new URL(res.headers.get('location')!, s.baseUrl).toString());
    assert.match(consent.page, /Review permissions/);
    return { inv: b.inv, after: await submit(s, consent.r, '/redeem/consent', { decision: 'accept' }) };
  }

  /** Through an OIDC provider (it approves at once), then consent: the page after consent. */
  async function redeemByOidc(idp: RogueIdp, email: string, amr: string[]) {
    idp.account = { sub: `sub-${email}`, email, email_verified: true, amr };
    const b = await begin(email);
    assert.ok(b.location.startsWith(idp.issuer), b.location);
    const back = await fetch(b.location, { redirect: 'manual' });
    const consent = await reach(b.r, back.headers.get('location')!);
    assert.match(consent.page, /Review permissions/);
    return { inv: b.inv, after: await submit(s, consent.r, '/redeem/consent', { decision: 'accept' }) };
  }

  const state = async (id: string) => (await t.api('GET', `/v1.0/users/${id}`)).body.externalUserState;

  it('SAML: an assertion that says MFA redeems without asking; the session did MFA and the log says how', async () => {
    saml.user = { nameId: 'alice-1', email: 'alice@partner.test', authnContextClassRef: MULTIPLE_AUTHN };
    const { inv, after } = await redeemBySaml('alice@partner.test');
    assert.ok(after.location?.startsWith(`${s.baseUrl}/myapps`), after.page.slice(0, 300));
    assert.equal(await state(inv.invitedUser.id), 'Accepted');
    const { store, clock } = s.portico.services;
    const session = await liveSession(store.db, clock, t.tenantId, after.jar.value(sessionCookieName(t.tenantId)));
    assert.deepEqual(session?.mfa?.amr, ['fed']);
    const log = await t.api('GET', `/v1.0/auditLogs/signIns?$filter=userId eq '${inv.invitedUser.id}'`);
    const [entry] = log.body.value as {
      authenticationRequirement: string;
      authenticationDetails: { authenticationMethod: string; authenticationStepResultDetail?: string }[];
    }[];
    assert.equal(entry!.authenticationRequirement, 'multiFactorAuthentication');
    assert.deepEqual(
      entry!.authenticationDetails.map((d) => [d.authenticationMethod, d.authenticationStepResultDetail]),
      [
        ['Federated', undefined],
        ['Federated', 'MFA requirement satisfied by claim provided by external provider'],
      ],
    );
  });

  it('SAML: an assertion that says only password is asked for MFA', async () => {
    saml.user = { nameId: 'bob-1', email: 'bob@partner.test', authnContextClassRef: PASSWORD_CONTEXT };
    const { inv, after } = await redeemBySaml('bob@partner.test');
    assert.equal(after.status, 200);
    assert.match(after.page, /More information required/);
    assert.equal(await state(inv.invitedUser.id), 'PendingAcceptance');
  });

  /** An app's sign-in in a new browser: the address typed, the SAML provider's answer back: where it ends. */
  async function signInBySaml(authorizeUrl: string) {
    const jar = new CookieJar();
    const toIdp = await typeAddress(s.baseUrl, jar, authorizeUrl, 'alice@partner.test');
    assert.ok(toIdp.url.startsWith(saml.ssoUrl), toIdp.url);
    const form = readForm(await (await fetch(toIdp.url)).text());
    const back = await postForm(jar, form.action, form.fields);
    return follow(jar, new URL(back.headers.get('location')!, s.baseUrl).toString(), s.baseUrl);
  }

  it("SAML: signing in again through the provider with REFEDS MFA: the app's ID token says fed and mfa", async () => {
    const app = await relyingParty(s, t.tenantId);
    saml.user = { nameId: 'alice-1', email: 'alice@partner.test', authnContextClassRef: REFEDS_MFA };
    const { url, claims } = await app.authorize();
    const callback = await signInBySaml(url);
    assert.ok(callback.url.startsWith(app.redirectUri), `no MFA page: ${callback.url}`);
    assert.deepEqual((await claims(callback.url)).amr, ['fed', 'mfa']);

    // The same with a password-only assertion stops at the MFA step.
    saml.user = { nameId: 'alice-1', email: 'alice@partner.test', authnContextClassRef: PASSWORD_CONTEXT };
    const stopped = await signInBySaml((await app.authorize()).url);
    assert.ok(stopped.res, 'a page, not the app');
    assert.match(await stopped.res.text(), /More information required/);
  });

  it('OIDC: an ID token with amr mfa counts from a trusted provider, not from another', async () => {
    const fromTrusted = await redeemByOidc(trusted, 'tia@trusted.test', ['pwd', 'mfa']);
    assert.ok(fromTrusted.after.location?.startsWith(`${s.baseUrl}/myapps`), fromTrusted.after.page.slice(0, 300));
    assert.equal(await state(fromTrusted.inv.invitedUser.id), 'Accepted');

    const withoutMfa = await redeemByOidc(trusted, 'tom@trusted.test', ['pwd']);
    assert.match(withoutMfa.after.page, /More information required/);

    const fromUntrusted = await redeemByOidc(untrusted, 'uma@untrusted.test', ['pwd', 'mfa']);
    assert.match(fromUntrusted.after.page, /More information required/);
    assert.equal(await state(fromUntrusted.inv.invitedUser.id), 'PendingAcceptance');
  });
});
