// The sign-in log misses nothing (issue #19): every redemption through the invitation link, by each discovery answer,
// and every refusal on the way writes exactly one entry, with the method and Entra's error code, read back through
// /v1.0/auditLogs/signIns; a member of another Portico tenant's attempts are in their home tenant's log too, under
// the same id; the user's signInActivity follows. Everything is reached as a person would: invitations through the
// API, redemptions through the pages over HTTP, codes from the real SMTP peer, policies through the API.
import assert from 'node:assert/strict';
import { before, it } from 'node:test';

import { inviteGuest, tenantWithApi, type Api, type GraphObject, type TenantApi } from '../helpers/api.ts';
import { mailedCode, openLink, redeemedGuest, submit } from '../helpers/redeem.ts';
import { CookieJar, follow, formAction, postForm } from '../helpers/signin.ts';
import { suite } from '../helpers/suite.ts';

const PASSWORD = 'correct-horse-battery';
const blocked = {
  usersAndGroups: { accessType: 'blocked', targets: [{ target: 'AllUsers', targetType: 'user' }] },
  applications: { accessType: 'allowed', targets: [{ target: 'AllApplications', targetType: 'application' }] },
};

suite(
  'every sign-in attempt is logged once',
  { clock: 'manual', runWorker: false, tenant: 'Contoso' },
  ({ s, t, clock }) => {
    let fabrikam: TenantApi;
    let n = 0;
    before(async () => {
      fabrikam = await tenantWithApi(s, 'Fabrikam', {
        domain: 'fabrikam.example',
        adminEmail: 'admin@fabrikam.example',
      });
    });

    const signIns = async (api: Api = t.api): Promise<GraphObject[]> => {
      const res = await api('GET', '/v1.0/auditLogs/signIns?$top=999');
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return res.body.value as GraphObject[];
    };
    /** Runs `act` and returns the entries it added to `api`'s log (newest first). */
    const added = async (act: () => Promise<unknown>, api: Api = t.api): Promise<GraphObject[]> => {
      const before = new Set((await signIns(api)).map((e) => e.id));
      clock.advance(1000);
      await act();
      return (await signIns(api)).filter((e) => !before.has(e.id));
    };
    const summary = (e: GraphObject) => {
      const status = e.status as { errorCode: number };
      const details = e.authenticationDetails as { authenticationMethod: string; succeeded: boolean }[];
      return {
        userId: e.userId,
        signInMethod: e.signInMethod,
        authenticationMethod: details[0]!.authenticationMethod,
        succeeded: details[0]!.succeeded,
        errorCode: status.errorCode,
      };
    };
    const activity = async (id: string, api: Api = t.api) => {
      const res = await api('GET', `/v1.0/users/${id}?$select=id,signInActivity`);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const { lastSignInDateTime, lastSuccessfulSignInDateTime } = res.body.signInActivity;
      return { lastSignInDateTime, lastSuccessfulSignInDateTime };
    };
    /** A new member of Fabrikam with a password. */
    const fabrikamMember = async () => {
      const upn = `person${++n}@fabrikam.example`;
      const res = await fabrikam.api('POST', '/v1.0/users', {
        accountEnabled: true,
        displayName: `Person ${n}`,
        mailNickname: `person${n}`,
        userPrincipalName: upn,
        passwordProfile: { password: PASSWORD },
      });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      return { upn, id: res.body.id as string };
    };

    it("a guest's passcode sign-in through My Apps: one entry, Email one-time passcode, not a session reuse", async () => {
      const email = 'myapps@partner.example';
      const { id } = await redeemedGuest(s, t.api, email);
      const jar = new CookieJar();
      const entries = await added(async () => {
        const start = await follow(jar, `${s.baseUrl}/myapps?tenantid=${t.tenantId}`, s.baseUrl);
        const typed = await postForm(
          jar,
          new URL(formAction(await start.res!.text(), '/identifier'), s.baseUrl).toString(),
          {
            login: email,
          },
        );
        const codePage = await follow(jar, new URL(typed.headers.get('location')!, s.baseUrl).toString(), s.baseUrl);
        const page = await codePage.res!.text();
        assert.match(page, /Enter code/);
        const done = await submit(
          s,
          { jar, csrf: /name="csrf" value="([^"]+)"/.exec(page)![1]!, page, status: 200 },
          '/redeem/passcode',
          { code: await mailedCode(s, email) },
        );
        const landed = await follow(jar, done.location!, s.baseUrl);
        assert.ok(landed.url.startsWith(`${s.baseUrl}/myapps`), landed.url);
      });
      assert.equal(entries.length, 1);
      assert.deepEqual(summary(entries[0]!), {
        userId: id,
        signInMethod: 'passcode',
        authenticationMethod: 'Email one-time passcode',
        succeeded: true,
        errorCode: 0,
      });
      assert.ok(entries[0]!.appId, 'completed with the My Apps client it signed in to');
    });

    it('a disabled guest typing their address at the sign-in page: one failed entry (50057)', async () => {
      const email = 'disabled@partner.example';
      const { id } = await redeemedGuest(s, t.api, email);
      assert.equal((await t.api('PATCH', `/v1.0/users/${id}`, { accountEnabled: false })).status, 204);
      const jar = new CookieJar();
      const entries = await added(async () => {
        const start = await follow(jar, `${s.baseUrl}/myapps?tenantid=${t.tenantId}`, s.baseUrl);
        const typed = await postForm(
          jar,
          new URL(formAction(await start.res!.text(), '/identifier'), s.baseUrl).toString(),
          { login: email },
        );
        assert.equal(typed.status, 400);
      });
      assert.deepEqual(
        entries.map((e) => [e.userId, summary(e).errorCode, summary(e).succeeded]),
        [[id, 50057, false]],
      );
    });

    it('a passcode redemption through the invitation link: one entry, Email one-time passcode, and signInActivity', async () => {
      const email = 'otp1@partner.example';
      const { id, redeemUrl } = await inviteGuest(t.api, email);
      assert.deepEqual(await activity(id), { lastSignInDateTime: null, lastSuccessfulSignInDateTime: null });
      const codePage = await submit(s, await openLink(s, redeemUrl), '/redeem/start');
      const consent = await submit(s, codePage, '/redeem/passcode', { code: await mailedCode(s, email) });
      assert.match(consent.page, /Review permissions/);
      const entries = await added(async () => {
        const done = await submit(s, consent, '/redeem/consent', { decision: 'accept' });
        assert.equal(done.status, 303);
      });
      assert.equal(entries.length, 1);
      assert.deepEqual(summary(entries[0]!), {
        userId: id,
        signInMethod: 'passcode',
        authenticationMethod: 'Email one-time passcode',
        succeeded: true,
        errorCode: 0,
      });
      assert.deepEqual(
        [
          entries[0]!.crossTenantAccessType,
          entries[0]!.homeTenantId,
          entries[0]!.resourceTenantId,
          entries[0]!.appId,
          entries[0]!.isInteractive,
        ],
        ['b2bCollaboration', t.tenantId, t.tenantId, null, true],
      );
      const at = clock.now().toISOString();
      assert.deepEqual(await activity(id), { lastSignInDateTime: at, lastSuccessfulSignInDateTime: at });
    });

    it('a wrong passcode, then an expired one: one failed entry each (50126), and the time of the last attempt', async () => {
      const email = 'otp2@partner.example';
      const { id, redeemUrl } = await inviteGuest(t.api, email);
      const codePage = await submit(s, await openLink(s, redeemUrl), '/redeem/start');
      const code = await mailedCode(s, email);
      const wrong = await added(async () =>
        assert.equal(
          (await submit(s, codePage, '/redeem/passcode', { code: code === '000000' ? '111111' : '000000' })).status,
          400,
        ),
      );
      assert.deepEqual(wrong.map(summary), [
        {
          userId: id,
          signInMethod: 'passcode',
          authenticationMethod: 'Email one-time passcode',
          succeeded: false,
          errorCode: 50126,
        },
      ]);
      clock.advance(11 * 60_000);
      const expired = await added(async () =>
        assert.equal((await submit(s, codePage, '/redeem/passcode', { code })).status, 400),
      );
      assert.equal(expired.length, 1);
      assert.equal(summary(expired[0]!).errorCode, 50126);
      assert.equal(
        (expired[0]!.status as { failureReason: string }).failureReason,
        'The one-time passcode has expired.',
      );
      assert.deepEqual(await activity(id), {
        lastSignInDateTime: clock.now().toISOString(),
        lastSuccessfulSignInDateTime: null,
      });
    });

    it('declining the consent at redemption: one failed entry (65004), nothing redeemed', async () => {
      const email = 'otp3@partner.example';
      const { id, redeemUrl } = await inviteGuest(t.api, email);
      const codePage = await submit(s, await openLink(s, redeemUrl), '/redeem/start');
      const consent = await submit(s, codePage, '/redeem/passcode', { code: await mailedCode(s, email) });
      const entries = await added(() => submit(s, consent, '/redeem/consent', { decision: 'cancel' }));
      assert.deepEqual(entries.map(summary), [
        {
          userId: id,
          signInMethod: 'passcode',
          authenticationMethod: 'Email one-time passcode',
          succeeded: false,
          errorCode: 65004,
        },
      ]);
      assert.equal((await t.api('GET', `/v1.0/users/${id}`)).body.externalUserState, 'PendingAcceptance');
    });

    it("a member of another tenant redeems with their home password: one entry in each tenant's log, same id", async () => {
      const member = await fabrikamMember();
      const inv = await t.api('POST', '/v1.0/invitations', {
        invitedUserEmailAddress: member.upn,
        inviteRedirectUrl: 'https://apps.example/',
      });
      assert.equal(inv.status, 201, JSON.stringify(inv.body));
      const guestId = inv.body.invitedUser.id as string;
      const signIn = await submit(s, await openLink(s, inv.body.inviteRedeemUrl), '/redeem/start');

      // A wrong password at home: refused once, in both logs.
      const homeBefore = new Set((await signIns(fabrikam.api)).map((e) => e.id));
      const wrong = await added(async () =>
        assert.equal((await submit(s, signIn, '/redeem/home', { password: 'not-the-password' })).status, 400),
      );
      const wrongAtHome = (await signIns(fabrikam.api)).filter((e) => !homeBefore.has(e.id));
      assert.deepEqual(wrong.map(summary), [
        {
          userId: guestId,
          signInMethod: 'password',
          authenticationMethod: 'Password',
          succeeded: false,
          errorCode: 50126,
        },
      ]);
      assert.deepEqual(
        wrongAtHome.map((e) => [e.id, e.userId, (e.status as { errorCode: number }).errorCode]),
        [[wrong[0]!.id, member.id, 50126]],
      );

      const consent = await submit(s, signIn, '/redeem/home', { password: PASSWORD });
      assert.match(consent.page, /Review permissions/);
      const homeBefore2 = new Set((await signIns(fabrikam.api)).map((e) => e.id));
      const entries = await added(() => submit(s, consent, '/redeem/consent', { decision: 'accept' }));
      const atHome = (await signIns(fabrikam.api)).filter((e) => !homeBefore2.has(e.id));
      assert.equal(entries.length, 1);
      assert.equal(atHome.length, 1);
      const [here, home] = [entries[0]!, atHome[0]!];
      assert.deepEqual(summary(here), {
        userId: guestId,
        signInMethod: 'federated',
        authenticationMethod: 'Federated',
        succeeded: true,
        errorCode: 0,
      });
      assert.deepEqual(
        [here.crossTenantAccessType, here.homeTenantId, here.resourceTenantId, here.appId],
        ['b2bCollaboration', fabrikam.tenantId, t.tenantId, null],
      );
      assert.deepEqual(
        [
          home.id,
          home.userId,
          home.userPrincipalName,
          home.homeTenantId,
          home.resourceTenantId,
          home.crossTenantAccessType,
        ],
        [here.id, member.id, member.upn, fabrikam.tenantId, t.tenantId, 'b2bCollaboration'],
      );
      const at = clock.now().toISOString();
      assert.equal((await activity(guestId)).lastSuccessfulSignInDateTime, at);
    });

    it("blocked by the cross-tenant access settings at redemption: one failed entry (500213) in both tenants' logs", async () => {
      const member = await fabrikamMember();
      const inv = await t.api('POST', '/v1.0/invitations', {
        invitedUserEmailAddress: member.upn,
        inviteRedirectUrl: 'https://apps.example/',
      });
      const partner = await t.api('POST', '/v1.0/policies/crossTenantAccessPolicy/partners', {
        tenantId: fabrikam.tenantId,
        b2bCollaborationInbound: blocked,
      });
      assert.equal(partner.status, 201, JSON.stringify(partner.body));
      const signIn = await submit(s, await openLink(s, inv.body.inviteRedeemUrl), '/redeem/start');
      const homeBefore = new Set((await signIns(fabrikam.api)).map((e) => e.id));
      const entries = await added(async () =>
        assert.equal((await submit(s, signIn, '/redeem/home', { password: PASSWORD })).status, 403),
      );
      const atHome = (await signIns(fabrikam.api)).filter((e) => !homeBefore.has(e.id));
      assert.deepEqual(
        entries.map((e) => [summary(e).errorCode, e.signInMethod]),
        [[500213, 'federated']],
      );
      assert.deepEqual(
        atHome.map((e) => [e.id, e.userId]),
        [[entries[0]!.id, member.id]],
      );
    });
  },
);
