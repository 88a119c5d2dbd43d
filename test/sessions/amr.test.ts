// How a person signed in (amr) travels from the sign-in to the app's ID token, over HTTP on both stores with
// openid-client as the app and a real OpenID Connect IdP upstream: ["pwd"] for a member's password, ["otp"] for a
// passcode guest, ["fed"] for a guest who redeemed at their IdP, the same on silent re-authorization; and an app
// that accepts only some methods refuses the others with a page and an AADSTS53003 sign-in log entry, also when the
// browser would otherwise have been signed in silently. The API and the CLI set those methods.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';

import { requireApp } from '../../src/apps/apps.ts';
import { SESSION_HOURS } from '../../src/sessions/sessions.ts';
import { assertGraphError, newUserBody } from '../helpers/api.ts';
import { appClient, reach, REDIRECT, type AppClient } from '../helpers/app-client.ts';
import { addProvider } from '../helpers/federation.ts';
import { startOidcIdp, type OidcIdp } from '../helpers/oidc-idp.ts';
import { mailedCode, openLink, submit, type Redeemer } from '../helpers/redeem.ts';
import { TEST_PASSWORD_COST } from '../helpers/server.ts';
import { CookieJar, follow, formAction, postForm, signIn } from '../helpers/signin.ts';
import { runCli } from '../helpers/spawn.ts';
import { suite } from '../helpers/suite.ts';

const METHODS = '@portico.requiredSignInMethods';

suite(
  'sign-in methods: amr and the apps that require some',
  {
    runWorker: false,
    clock: 'manual',
    tenant: { name: 'Contoso', domain: 'contoso.example', adminEmail: 'admin@contoso.example' },
  },
  ({ s, t, clock }) => {
    let corp: OidcIdp;
    let open: AppClient;
    let fedOnly: AppClient;
    let pwdOnly: AppClient;
    before(async () => {
      corp = await startOidcIdp({
        redirectUris: [`${s.baseUrl}/${t.tenantId}/federation/oidc/callback`],
        issuerPath: 'realms/corp',
      });
      await addProvider(s, t.tenantId, 'oidc', {
        displayName: 'Corp IdP',
        issuerUri: corp.issuer,
        clientId: corp.clientId,
        clientSecret: corp.clientSecret,
        domains: ['corp.test'],
      });
      assert.equal((await t.api('POST', '/v1.0/users', newUserBody('mia@contoso.example'))).status, 201);
      open = await appClient(s, t.tenantId, 'Wiki');
      fedOnly = await appClient(s, t.tenantId, 'Payroll');
      pwdOnly = await appClient(s, t.tenantId, 'Intranet');
      for (const [app, methods] of [
        [fedOnly, ['fed']],
        [pwdOnly, ['pwd']],
      ] as const) {
        assert.equal((await t.api('PATCH', `/v1.0/applications/${app.app.id}`, { [METHODS]: methods })).status, 204);
      }
    });
    after(async () => {
      await corp?.close();
    });

    /** Opens the app with the browser's cookies; expects to be signed in and returns the ID token's amr. */
    async function amrAt(app: AppClient, jar: CookieJar): Promise<unknown> {
      const attempt = await app.start();
      const reached = await reach(s, jar, attempt.url);
      assert.ok(
        reached.callback?.startsWith(REDIRECT),
        `expected the app's callback, got a ${reached.status} page: ${reached.page.slice(0, 300)}`,
      );
      return (await attempt.tokens(reached.callback!)).claims()!.amr;
    }

    async function refusedAt(app: AppClient, jar: CookieJar): Promise<string> {
      const reached = await reach(s, jar, (await app.start()).url);
      assert.equal(reached.callback, undefined, 'the app is not reached');
      assert.equal(reached.status, 403);
      return reached.page.replace(/&#39;/g, "'");
    }

    /** The sign-in log's refusals of a user for their sign-in method (the clock is held still: filtered, not the latest). */
    const methodRefusals = async (userId: string) =>
      (
        await t.api(
          'GET',
          `/v1.0/auditLogs/signIns?$filter=${encodeURIComponent(`userId eq '${userId}' and status/errorCode eq 53003`)}`,
        )
      ).body.value as { appId: string; userPrincipalName: string }[];

    async function passcodeGuest(email: string): Promise<Redeemer & { userId: string }> {
      const inv = (
        await t.api('POST', '/v1.0/invitations', { invitedUserEmailAddress: email, inviteRedirectUrl: REDIRECT })
      ).body;
      const landing = await openLink(s, inv.inviteRedeemUrl);
      const code = await submit(s, landing, '/redeem/start');
      const consent = await submit(s, code, '/redeem/passcode', { code: await mailedCode(s, email) });
      const done = await submit(s, consent, '/redeem/consent', { decision: 'accept' });
      assert.equal(done.location, REDIRECT);
      return { ...landing, userId: inv.invitedUser.id };
    }

    it('a member signing in with a password: ["pwd"], also when signed in again silently; an app requiring pwd admits them', async () => {
      const attempt = await open.start();
      const { callback, jar } = await signIn(attempt.url, s.baseUrl, 'mia@contoso.example', 'correct-horse-battery');
      assert.deepEqual((await attempt.tokens(callback)).claims()!.amr, ['pwd']);
      assert.deepEqual(await amrAt(open, jar), ['pwd']);
      assert.deepEqual(await amrAt(pwdOnly, jar), ['pwd']);
      assert.match(await refusedAt(fedOnly, jar), /Payroll needs another way of signing in/);
    });

    it('a passcode guest: ["otp"] through the session redemption left (not "session"); refused by the app requiring fed, with a page and AADSTS53003', async () => {
      const guest = await passcodeGuest('sam@partner.example');
      assert.deepEqual(await amrAt(open, guest.jar), ['otp']);
      assert.deepEqual(await amrAt(open, guest.jar), ['otp'], 'the same on silent re-authorization');

      const page = await refusedAt(fedOnly, guest.jar);
      assert.match(page, /Payroll needs another way of signing in/);
      assert.match(
        page,
        /Payroll at Contoso accepts only sign-ins with your organization's account\. You signed in with a one-time passcode sent by email\./,
      );
      assert.match(page, /ask Contoso's administrator/);
      const [entry, ...more] = await methodRefusals(guest.userId);
      assert.equal(more.length, 0);
      assert.equal(entry!.appId, fedOnly.app.clientId);
      assert.match(entry!.userPrincipalName, /^sam_partner\.example#EXT#@/);

      // Portico's session ends (8 hours), the tenant's OpenID session lives on: the app that accepts the guest
      // signs them in silently with the method they used, the one that does not still refuses them.
      clock.advance((SESSION_HOURS + 1) * 3_600_000);
      assert.deepEqual(await amrAt(open, guest.jar), ['otp']);
      assert.match(await refusedAt(fedOnly, guest.jar), /Payroll needs another way of signing in/);
      assert.equal((await methodRefusals(guest.userId)).length, 2);
    });

    it('a guest who redeemed at their identity provider: ["fed"], admitted by the app requiring fed, refused by the one requiring pwd', async () => {
      corp.accounts.set('carl', { sub: 'corp-carl', email: 'carl@corp.test', email_verified: true });
      const inv = (
        await t.api('POST', '/v1.0/invitations', {
          invitedUserEmailAddress: 'carl@corp.test',
          inviteRedirectUrl: REDIRECT,
        })
      ).body;
      const landing = await openLink(s, inv.inviteRedeemUrl);
      const started = await submit(s, landing, '/redeem/start');
      assert.ok(started.location?.startsWith(corp.issuer), started.location);
      // At the IdP's own login page (any password), then back at Portico for consent.
      const idpJar = new CookieJar();
      const origin = new URL(corp.issuer).origin;
      const login = await follow(idpJar, started.location!, origin);
      const posted = await postForm(
        idpJar,
        new URL(formAction(await login.res!.text(), '/interaction/'), origin).toString(),
        { prompt: 'login', login: 'carl', password: 'anything' },
      );
      const back = await follow(idpJar, new URL(posted.headers.get('location')!, origin).toString(), origin);
      const consentPage = await follow(landing.jar, back.url, s.baseUrl);
      const html = await consentPage.res!.text();
      assert.match(html, /Review permissions/);
      const done = await submit(
        s,
        { ...landing, csrf: /name="csrf" value="([^"]+)"/.exec(html)![1]!, page: html },
        '/redeem/consent',
        { decision: 'accept' },
      );
      assert.equal(done.location, REDIRECT);

      assert.deepEqual(await amrAt(fedOnly, landing.jar), ['fed']);
      assert.deepEqual(await amrAt(fedOnly, landing.jar), ['fed'], 'the same on silent re-authorization');
      assert.match(await refusedAt(pwdOnly, landing.jar), /Intranet needs another way of signing in/);
    });

    it('the API sets, shows and validates the methods; nothing changes on bad input', async () => {
      const path = `/v1.0/applications/${open.app.id}`;
      for (const bad of [['sms'], [], ['fed', 'fed'], 'fed']) {
        assertGraphError(await t.api('PATCH', path, { [METHODS]: bad }), 400, 'Request_BadRequest');
      }
      assert.equal((await t.api('GET', path)).body[METHODS], null);
      assert.equal((await t.api('PATCH', path, { [METHODS]: ['pwd', 'fed'] })).status, 204);
      assert.deepEqual((await t.api('GET', path)).body[METHODS], ['pwd', 'fed']);
      assert.equal((await t.api('PATCH', path, { [METHODS]: null })).status, 204);
      assert.equal((await t.api('GET', path)).body[METHODS], null);
      const made = await t.api('POST', '/v1.0/applications', {
        displayName: 'Partners',
        web: { redirectUris: [REDIRECT] },
        [METHODS]: ['otp'],
      });
      assert.equal(made.status, 201, JSON.stringify(made.body));
      assert.deepEqual(made.body[METHODS], ['otp']);
      assertGraphError(
        await t.api('POST', '/v1.0/applications', {
          displayName: 'Nothing',
          web: { redirectUris: [REDIRECT] },
          [METHODS]: [],
        }),
        400,
        'Request_BadRequest',
      );
      assert.equal(
        (await t.api('GET', `/v1.0/applications?$filter=displayName eq 'Nothing'`)).body.value.length,
        0,
        'the app is not made',
      );
    });

    it('portico app sign-in-methods sets and clears them, and refuses unknown methods', async () => {
      const env = { PORTICO_DATABASE_URL: s.testStore.url, PORTICO_BASE_URL: s.baseUrl, ...TEST_PASSWORD_COST };
      const cli = (...args: string[]) =>
        runCli(['app', 'sign-in-methods', '--tenant', t.domain, '--app', open.app.clientId, ...args], env);
      const set = await cli('--allow', 'pwd', '--allow', 'fed', '--json');
      assert.equal(set.code, 0, set.stderr);
      assert.deepEqual(JSON.parse(set.stdout).requiredSignInMethods, ['pwd', 'fed']);
      assert.deepEqual((await requireApp(s.portico.services.store.db, t.tenantId, open.app.id)).requiredSignInMethods, [
        'pwd',
        'fed',
      ]);
      const bad = await cli('--allow', 'sms');
      assert.notEqual(bad.code, 0);
      assert.match(bad.stderr, /Unknown sign-in method\(s\): 'sms'/);
      assert.notEqual((await cli()).code, 0, 'neither --allow nor --any');
      const cleared = await cli('--any');
      assert.equal(cleared.code, 0, cleared.stderr);
      assert.match(cleared.stdout, /now accepts every sign-in method/);
      assert.equal(
        (await requireApp(s.portico.services.store.db, t.tenantId, open.app.id)).requiredSignInMethods,
        null,
      );
    });
  },
);
