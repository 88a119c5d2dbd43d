// The sign-in log misses nothing, proven per path (issue #19; every-attempt.test.ts proves the passcode and home
// tenant answers, and the passcode, consent and cross-tenant refusals): each other answer of the redemption's
// discovery (a SAML and a WS-Federation IdP, an OpenID Connect IdP, Google, a personal account signed up and signed
// in, the account picker, a direct link through an app) writes exactly one entry with its method and code 0, and
// each other failure kind (a wrong password, a name nobody has, a locked account, a wrong personal password,
// declined terms at the redemption and at an app's sign-in) exactly one failed entry with Entra's code. Everything is
// reached as a person would: invitations and terms through the API, a personal account through its sign-up pages,
// redemptions and sign-ins through the pages over HTTP against the test IdPs (test/helpers/saml-idp.ts,
// oidc-idp.ts), codes from the real SMTP peer; the log is read back through GET /v1.0/auditLogs/signIns with a
// $filter.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';

import { newUserBody, tenantWithApi, type Api, type GraphObject, type TenantApi } from '../helpers/api.ts';
import { setTenantSettings } from '../helpers/cli.ts';
import { readForm, relyingParty, startPartners, typeAddress, type Partners } from '../helpers/federation.ts';
import { freePort } from '../helpers/net.ts';
import { atIdp, type OidcIdp } from '../helpers/oidc-idp.ts';
import { mailedCode, openLink, submit, type Redeemer } from '../helpers/redeem.ts';
import type { SamlIdp } from '../helpers/saml-idp.ts';
import { CookieJar, follow, formAction, postForm } from '../helpers/signin.ts';
import { suite } from '../helpers/suite.ts';
import { Browser } from '../personal/client.ts';

const PASSWORD = 'correct-horse-battery'; // newUserBody's
const TERMS = {
  displayName: 'Northwind guest terms',
  isViewingBeforeAcceptanceRequired: false,
  // Asked of members too (new terms ask only guests by default): the app sign-in test below declines them as one.
  appliesTo: { users: 'allUsers', groupIds: [], includeAdministrators: false },
  file: {
    localizations: [
      {
        fileName: 'terms.txt',
        language: 'en-US',
        isDefault: true,
        fileData: { data: Buffer.from('Be nice.').toString('base64') },
      },
    ],
  },
};

interface Entry extends GraphObject {
  status: { errorCode: number; failureReason: string | null };
  authenticationDetails: { authenticationMethod: string; succeeded: boolean }[];
}

suite('every redemption path and failure is logged once', { tenant: 'Contoso' }, ({ s, t, prepare }) => {
  let saml: SamlIdp;
  let google: OidcIdp;
  let corp: OidcIdp;
  let partners: Partners | undefined;
  let googlePort: number;
  let fabrikam: TenantApi;
  let northwind: TenantApi;
  prepare(async () => {
    googlePort = await freePort();
    return { runWorker: false, env: { PORTICO_GOOGLE_ISSUER: `http://127.0.0.1:${googlePort}` } };
  });
  before(async () => {
    ({ saml, google, corp } = partners = await startPartners(s, t.tenantId, {
      googlePort,
      wsfedDomain: 'wsfed.test',
      wsfedCertificate: 'pem',
      corpIssuerPath: 'realms/corp',
    }));
    fabrikam = await tenantWithApi(s, 'Fabrikam', { domain: 'fabrikam.example', adminEmail: 'admin@fabrikam.example' });
    northwind = await tenantWithApi(s, 'Northwind', {
      domain: 'northwind.example',
      adminEmail: 'admin@northwind.example',
    });
    const terms = await northwind.api('POST', '/v1.0/identityGovernance/termsOfUse/agreements', TERMS);
    assert.equal(terms.status, 201, JSON.stringify(terms.body));
  });
  after(async () => partners?.close());

  /** The entries of `userId` (or of a typed name) in `api`'s log, read with a $filter. */
  const logOf = async (filter: string, api: Api = t.api): Promise<Entry[]> => {
    const res = await api('GET', `/v1.0/auditLogs/signIns?$top=999&$filter=${encodeURIComponent(filter)}`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body.value as Entry[];
  };
  const ofUser = (id: string, api: Api = t.api) => logOf(`userId eq '${id}'`, api);
  /** What the issue asks of each entry. */
  const shape = (e: Entry) => ({
    userId: e.userId,
    identityProvider: e.identityProvider,
    signInMethod: e.signInMethod,
    authenticationMethod: e.authenticationDetails[0]!.authenticationMethod,
    succeeded: e.authenticationDetails[0]!.succeeded,
    errorCode: e.status.errorCode,
    appId: e.appId,
    resourceTenantId: e.resourceTenantId,
    homeTenantId: e.homeTenantId,
    crossTenantAccessType: e.crossTenantAccessType,
  });
  /** A guest of `tenantId` signing in by `how`, as its entry should read. */
  const guestEntry = (
    userId: string,
    identityProvider: string,
    how: 'federated' | 'password' | 'passcode',
    extra: Partial<ReturnType<typeof shape>> = {},
    tenantId = t.tenantId,
  ) => ({
    userId,
    identityProvider,
    signInMethod: how,
    authenticationMethod: { federated: 'Federated', password: 'Password', passcode: 'Email one-time passcode' }[how],
    succeeded: true,
    errorCode: 0,
    appId: null,
    resourceTenantId: tenantId,
    homeTenantId: tenantId,
    crossTenantAccessType: 'b2bCollaboration',
    ...extra,
  });

  const invite = async (email: string, api: Api = t.api) => {
    const res = await api('POST', '/v1.0/invitations', {
      invitedUserEmailAddress: email,
      inviteRedirectUrl: 'https://myapps.example/',
      sendInvitationMessage: false,
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return { id: res.body.invitedUser.id as string, link: res.body.inviteRedeemUrl as string };
  };

  /** Follows Portico's redirects with the guest's cookies from `url` to the page reached. */
  async function reach(r: Redeemer, url: string) {
    const reached = await follow(r.jar, url, s.baseUrl);
    const page = reached.res ? await reached.res.text() : '';
    return {
      ...r,
      status: reached.res?.status ?? 303,
      page,
      csrf: /name="csrf" value="([^"]+)"/.exec(page)?.[1] ?? r.csrf,
    } as Redeemer;
  }

  /** Invites `email` and redeems through the SAML or WS-Federation IdP the start sends the guest to. */
  async function redeemAtSamlIdp(email: string, nameId: string) {
    const inv = await invite(email);
    saml.user = { nameId, email };
    const started = await submit(s, await openLink(s, inv.link), '/redeem/start');
    assert.equal(started.status, 303);
    const form = readForm(await (await fetch(started.location!)).text());
    const back = await postForm(started.jar, form.action, form.fields);
    assert.equal(back.status, 303, await back.text());
    const consent = await reach(started, new URL(back.headers.get('location')!, s.baseUrl).toString());
    assert.match(consent.page, /Review permissions/);
    const done = await submit(s, consent, '/redeem/consent', { decision: 'accept' });
    assert.equal(done.status, 303, done.page);
    return inv.id;
  }

  async function redeemAtOidcIdp(idp: OidcIdp, email: string, login: string) {
    const inv = await invite(email);
    const started = await submit(s, await openLink(s, inv.link), '/redeem/start');
    assert.ok(started.location!.startsWith(idp.issuer), started.location);
    const consent = await reach(started, await atIdp(idp, started.location!, login));
    assert.match(consent.page, /Review permissions/);
    const done = await submit(s, consent, '/redeem/consent', { decision: 'accept' });
    assert.equal(done.status, 303, done.page);
    return inv.id;
  }

  it('a SAML IdP: one entry, Federated, code 0, the IdP as identity provider', async () => {
    const id = await redeemAtSamlIdp('sam@partner.test', 'sam-0001');
    assert.deepEqual((await ofUser(id)).map(shape), [guestEntry(id, saml.issuer, 'federated')]);
  });

  it('a WS-Federation IdP: one entry, Federated, code 0', async () => {
    const id = await redeemAtSamlIdp('wes@wsfed.test', 'wes-0002');
    assert.deepEqual((await ofUser(id)).map(shape), [guestEntry(id, saml.issuer, 'federated')]);
  });

  it('an OpenID Connect IdP: one entry, Federated, code 0', async () => {
    corp.accounts.set('carl', { sub: 'corp-carl', email: 'carl@corp.test', email_verified: true });
    const id = await redeemAtOidcIdp(corp, 'carl@corp.test', 'carl');
    assert.deepEqual((await ofUser(id)).map(shape), [guestEntry(id, corp.issuer, 'federated')]);
  });

  it('Google: one entry, Federated, code 0, google.com as identity provider', async () => {
    google.accounts.set('gina', { sub: 'google-gina', email: 'gina@gmail.com', email_verified: true, name: 'Gina' });
    const id = await redeemAtOidcIdp(google, 'gina@gmail.com', 'gina');
    assert.deepEqual((await ofUser(id)).map(shape), [guestEntry(id, 'google.com', 'federated')]);
  });

  it('a personal account signed up at the redemption, then signed in at another tenant (a wrong password first): one entry each', async () => {
    const email = 'pia@personal.example';
    await setTenantSettings(s, t.tenantId, 'emailPasscodeEnabled=false');
    let id = '';
    try {
      const inv = await invite(email);
      id = inv.id;
      const signup = await submit(s, await openLink(s, inv.link), '/redeem/start');
      assert.match(signup.page, /Create your account/);
      const proof = await submit(s, signup, '/redeem/signup', { displayName: 'Pia', password: 'a-long-personal-pass' });
      const consent = await submit(s, proof, '/redeem/proof', { code: await mailedCode(s, email) });
      assert.match(consent.page, /Review permissions/);
      assert.equal((await submit(s, consent, '/redeem/consent', { decision: 'accept' })).status, 303);
    } finally {
      await setTenantSettings(s, t.tenantId, 'emailPasscodeEnabled=true');
    }
    assert.deepEqual((await ofUser(id)).map(shape), [guestEntry(id, 'personal', 'password')]);

    // At Fabrikam, discovery finds the personal account: a wrong password, then the right one.
    const there = await invite(email, fabrikam.api);
    const signIn = await submit(s, await openLink(s, there.link), '/redeem/start');
    assert.match(signIn.page, /Sign in with your personal account/);
    assert.equal((await submit(s, signIn, '/redeem/personal', { password: 'not-the-password' })).status, 400);
    const wrong = await ofUser(there.id, fabrikam.api);
    assert.deepEqual(wrong.map(shape), [
      guestEntry(there.id, 'personal', 'password', { succeeded: false, errorCode: 50126 }, fabrikam.tenantId),
    ]);
    const consent = await submit(s, signIn, '/redeem/personal', { password: 'a-long-personal-pass' });
    assert.equal((await submit(s, consent, '/redeem/consent', { decision: 'accept' })).status, 303);
    const both = await ofUser(there.id, fabrikam.api);
    assert.equal(both.length, 2);
    assert.deepEqual(shape(both[0]!), guestEntry(there.id, 'personal', 'password', {}, fabrikam.tenantId));
    assert.equal(both[1]!.id, wrong[0]!.id, 'the failed attempt is the older entry, unchanged');
    // The log's filters by user, status and time: the failure, the success, and nothing after the last.
    const ids = async (filter: string) =>
      (await logOf(`userId eq '${there.id}' and ${filter}`, fabrikam.api)).map((e) => e.id);
    assert.deepEqual(await ids('status/errorCode ne 0'), [wrong[0]!.id]);
    assert.deepEqual(await ids('status/errorCode eq 0'), [both[0]!.id]);
    const last = both[0]!.createdDateTime as string;
    assert.ok((await ids(`createdDateTime ge ${last}`)).includes(both[0]!.id as string));
    assert.deepEqual(await ids(`createdDateTime ge ${new Date(Date.parse(last) + 1).toISOString()}`), []);
    assert.deepEqual((await ofUser(id)).length, 1, "nothing added to Contoso's log");
  });

  it("the account picker, work account chosen: one entry in each tenant's log, the same id", async () => {
    // A member of Fabrikam who also signed up for a personal account with the same address, at the personal pages.
    const { upn, id: memberId } = await newMember('kai', fabrikam.api, fabrikam.domain);
    const b = new Browser(s);
    const signedUp = await b.submit('/personal/signup', {
      email: upn,
      displayName: 'Kai',
      password: 'kai-personal-pass',
    });
    assert.equal(signedUp.post.location, '/personal/verify');
    assert.match((await b.post('/personal/verify', { code: await mailedCode(s, upn) })).html, /Email address verified/);

    const inv = await invite(upn);
    const picker = await submit(s, await openLink(s, inv.link), '/redeem/start');
    assert.match(picker.page, /Pick an account/);
    const signIn = await submit(s, picker, '/redeem/pick', { choice: 'work' });
    const consent = await submit(s, signIn, '/redeem/home', { password: PASSWORD });
    assert.match(consent.page, /Review permissions/);
    assert.equal((await submit(s, consent, '/redeem/consent', { decision: 'accept' })).status, 303);
    const here = await ofUser(inv.id);
    const home = await ofUser(memberId, fabrikam.api);
    // The identity provider is the home tenant's issuer.
    const issuer = String(here[0]?.identityProvider);
    assert.match(issuer, new RegExp(`/${fabrikam.tenantId}/`));
    const crossTenant = { homeTenantId: fabrikam.tenantId };
    assert.deepEqual(here.map(shape), [guestEntry(inv.id, issuer, 'federated', crossTenant)]);
    assert.deepEqual(home.map(shape), [guestEntry(memberId, issuer, 'federated', crossTenant)]);
    assert.equal(home[0]!.id, here[0]!.id);
  });

  it('a direct link (the app first, no invitation email): one entry, with the app, Email one-time passcode', async () => {
    const app = await relyingParty(s, t.tenantId);
    const clientId = app.rp.clientMetadata().client_id;
    const { id } = await invite('dora@partner.example');
    const jar = new CookieJar();
    const authorization = await app.authorize();
    const reached = await typeAddress(s.baseUrl, jar, authorization.url, 'dora@partner.example');
    const html = reached.res ? await reached.res.text() : '';
    const codePage: Redeemer = {
      jar,
      csrf: /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? '',
      page: html,
      status: 200,
    };
    assert.match(codePage.page, /Enter code/);
    const consent = await submit(s, codePage, '/redeem/passcode', {
      code: await mailedCode(s, 'dora@partner.example'),
    });
    const accepted = await postForm(jar, `${s.baseUrl}/redeem/consent`, { csrf: consent.csrf, decision: 'accept' });
    const landed = await follow(jar, new URL(accepted.headers.get('location')!, s.baseUrl).toString(), s.baseUrl);
    assert.ok(landed.url.startsWith(app.redirectUri), landed.url);
    assert.equal((await authorization.claims(landed.url)).oid, id);
    assert.deepEqual((await ofUser(id)).map(shape), [guestEntry(id, 'mail', 'passcode', { appId: clientId })]);
    assert.deepEqual(
      (await logOf(`appId eq '${clientId}'`)).map((e) => e.userId),
      [id],
      'the app filter finds it',
    );
  });

  /** A new member of the tenant `api` manages, with a password. */
  const newMember = async (name: string, api: Api, domain: string) => {
    const res = await api('POST', '/v1.0/users', newUserBody(`${name}@${domain}`));
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return { upn: res.body.userPrincipalName as string, id: res.body.id as string };
  };
  /** The tenant's sign-in page for `app`, up to the password form of `login`. */
  async function passwordForm(app: Awaited<ReturnType<typeof relyingParty>>, login: string) {
    const jar = new CookieJar();
    const start = await follow(jar, (await app.authorize()).url, s.baseUrl);
    const typed = await postForm(
      jar,
      new URL(formAction(await start.res!.text(), '/identifier'), s.baseUrl).toString(),
      {
        login,
      },
    );
    const page = await typed.text();
    return { jar, typed, page };
  }
  const postPassword = async (form: Awaited<ReturnType<typeof passwordForm>>, login: string, password: string) =>
    postForm(form.jar, new URL(formAction(form.page, '/password'), s.baseUrl).toString(), { login, password });

  it("a member's wrong password at the sign-in page: one failed entry (50126) with the app", async () => {
    const app = await relyingParty(s, t.tenantId);
    const { upn, id } = await newMember('wendy', t.api, t.domain);
    const form = await passwordForm(app, upn);
    assert.equal((await postPassword(form, upn, 'not-the-password')).status, 400);
    const entries = await ofUser(id);
    assert.deepEqual(
      entries.map((e) => [e.signInMethod, e.status.errorCode, e.appId, e.userType, e.crossTenantAccessType]),
      [['password', 50126, app.rp.clientMetadata().client_id, 'member', 'none']],
    );
  });

  it('a name nobody has, typed at the sign-in page: one failed entry (50034) naming what was typed', async () => {
    const app = await relyingParty(s, t.tenantId);
    const typed = 'nobody.here@elsewhere.example';
    const form = await passwordForm(app, typed);
    assert.equal(form.typed.status, 400);
    assert.match(form.page, /couldn(&#39;|')t find an account/);
    const entries = await logOf(`userPrincipalName eq '${typed}'`);
    assert.deepEqual(
      entries.map((e) => [e.userId, e.status.errorCode, e.appId, e.authenticationDetails[0]!.succeeded]),
      [[null, 50034, app.rp.clientMetadata().client_id, false]],
    );
  });

  it('a locked account: ten wrong passwords (50126 each), then one entry (50053) for the eleventh attempt', async () => {
    const app = await relyingParty(s, t.tenantId);
    const { upn, id } = await newMember('larry', t.api, t.domain);
    const form = await passwordForm(app, upn);
    for (let i = 0; i < 10; i++) assert.equal((await postPassword(form, upn, `wrong-${i}-password`)).status, 400);
    assert.equal((await postPassword(form, upn, PASSWORD)).status, 429, 'the right password while locked');
    const codes = (await ofUser(id)).map((e) => e.status.errorCode);
    assert.deepEqual(codes, [50053, ...Array<number>(10).fill(50126)]);
  });

  it('declining the terms at the redemption: one failed entry (53003), nothing redeemed', async () => {
    const email = 'tess@partner.example';
    const inv = await invite(email, northwind.api);
    const codePage = await submit(s, await openLink(s, inv.link), '/redeem/start');
    const consent = await submit(s, codePage, '/redeem/passcode', { code: await mailedCode(s, email) });
    const terms = await submit(s, consent, '/redeem/consent', { decision: 'accept' });
    assert.match(terms.page, /Northwind guest terms/);
    const declined = await submit(s, terms, '/redeem/terms', { decision: 'decline' });
    assert.equal(declined.status, 200);
    assert.deepEqual((await ofUser(inv.id, northwind.api)).map(shape), [
      guestEntry(inv.id, 'mail', 'passcode', { succeeded: false, errorCode: 53003 }, northwind.tenantId),
    ]);
    assert.equal((await northwind.api('GET', `/v1.0/users/${inv.id}`)).body.externalUserState, 'PendingAcceptance');
  });

  it("declining the terms at an app's sign-in: one failed entry (53003) with the app, and the app gets access_denied", async () => {
    const app = await relyingParty(s, northwind.tenantId);
    const { upn, id } = await newMember('nora', northwind.api, northwind.domain);
    const form = await passwordForm(app, upn);
    const signedIn = await postPassword(form, upn, PASSWORD);
    const page =
      signedIn.status === 303
        ? await (
            await follow(form.jar, new URL(signedIn.headers.get('location')!, s.baseUrl).toString(), s.baseUrl)
          ).res!.text()
        : await signedIn.text();
    assert.match(page, /Northwind guest terms/);
    assert.deepEqual(await ofUser(id, northwind.api), [], 'nothing logged while the terms are shown');
    const action = new URL(formAction(page, '/terms'), s.baseUrl).toString();
    const csrf = /name="csrf" value="([^"]+)"/.exec(page)![1]!;
    const declined = await postForm(form.jar, action, { csrf, decision: 'decline', version: '1' });
    const back = await follow(form.jar, new URL(declined.headers.get('location')!, s.baseUrl).toString(), s.baseUrl);
    assert.equal(new URL(back.url).searchParams.get('error'), 'access_denied', back.url);
    const entries = await ofUser(id, northwind.api);
    assert.deepEqual(
      entries.map((e) => [e.signInMethod, e.status.errorCode, e.status.failureReason, e.appId]),
      [['password', 53003, 'The user declined the terms of use.', app.rp.clientMetadata().client_id]],
    );
  });
});
