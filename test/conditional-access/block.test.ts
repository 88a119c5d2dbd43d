// A Conditional Access block at both entry points of the sign-in table: a policy that blocks a member at one app
// refuses that app's sign-in with a page naming AADSTS53003 (no code for the app), lets the same person into another
// app, and the sign-in log (Graph's signIn, read through the API) records the applied policies and the status;
// report-only logs what it would have done without blocking. A guests policy for all apps blocks a redemption.
import assert from 'node:assert/strict';
import { it } from 'node:test';

import { newUserBody, type GraphObject } from '../helpers/api.ts';
import { appClient, reach, REDIRECT } from '../helpers/app-client.ts';
import { mailedCode, openLink, submit } from '../helpers/redeem.ts';
import { CookieJar, formAction, postForm } from '../helpers/signin.ts';
import { suite } from '../helpers/suite.ts';

const POLICIES = '/v1.0/identity/conditionalAccess/policies';
const PASSWORD = 'correct-horse-battery';

type LoggedSignIn = {
  appId: string | null;
  userId: string | null;
  status: { errorCode: number };
  conditionalAccessStatus: string;
  appliedConditionalAccessPolicies: {
    id: string;
    displayName: string;
    result: string;
    enforcedGrantControls: string[];
  }[];
};

suite('Conditional Access blocks a sign-in', { runWorker: false, tenant: 'Contoso' }, ({ s, t }) => {
  /** Password sign-in at the app's authorization URL: the page it stops at, or the app's callback. */
  async function signInTo(authorizationUrl: string, email: string) {
    const jar = new CookieJar();
    const first = await reach(s, jar, authorizationUrl);
    const pw = await postForm(jar, new URL(formAction(first.page, '/identifier'), s.baseUrl).toString(), {
      login: email,
    });
    const done = await postForm(jar, new URL(formAction(await pw.text(), '/password'), s.baseUrl).toString(), {
      login: email,
      password: PASSWORD,
    });
    if (done.status !== 303) return { status: done.status, page: await done.text() };
    return reach(s, jar, new URL(done.headers.get('location')!, s.baseUrl).toString());
  }
  const lastSignIn = async (userId: string): Promise<LoggedSignIn> => {
    const res = await t.api('GET', `/v1.0/auditLogs/signIns?$filter=userId eq '${userId}'&$top=1`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body.value[0] as LoggedSignIn;
  };

  it('refuses the blocked app with AADSTS53003, lets another app in, and logs the applied policies', async () => {
    const user = (await t.api('POST', '/v1.0/users', newUserBody(`blocked@${t.domain}`))).body as GraphObject;
    const payroll = await appClient(s, t.tenantId, 'Payroll');
    const wiki = await appClient(s, t.tenantId, 'Wiki');
    const created = await t.api('POST', POLICIES, {
      displayName: 'Block Payroll',
      state: 'enabled',
      conditions: {
        users: { includeUsers: [user.id] },
        applications: { includeApplications: [payroll.app.clientId] },
      },
      grantControls: { operator: 'OR', builtInControls: ['block'] },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const policyId = created.body.id as string;

    const blocked = await signInTo((await payroll.start()).url, `blocked@${t.domain}`);
    assert.equal(blocked.status, 403);
    assert.equal((blocked as { callback?: string }).callback, undefined, 'the app gets no answer');
    assert.match(blocked.page, /AADSTS53003/);
    assert.match(blocked.page, /Payroll/);
    const refused = await lastSignIn(user.id as string);
    assert.equal(refused.appId, payroll.app.clientId);
    assert.equal(refused.status.errorCode, 53003);
    assert.equal(refused.conditionalAccessStatus, 'failure');
    assert.deepEqual(
      refused.appliedConditionalAccessPolicies.map((p) => [p.id, p.displayName, p.result, p.enforcedGrantControls]),
      [[policyId, 'Block Payroll', 'failure', ['block']]],
    );

    const other = await signInTo((await wiki.start()).url, `blocked@${t.domain}`);
    assert.ok(other.callback?.startsWith(`${REDIRECT}?code=`), JSON.stringify(other).slice(0, 300));
    const allowed = await lastSignIn(user.id as string);
    assert.equal(allowed.appId, wiki.app.clientId);
    assert.equal(allowed.status.errorCode, 0);
    assert.equal(allowed.conditionalAccessStatus, 'notApplied');
    assert.equal(allowed.appliedConditionalAccessPolicies[0]!.result, 'notApplied');

    // Report-only: the sign-in goes through, and the log says the policy would have blocked it.
    assert.equal(
      (await t.api('PATCH', `${POLICIES}/${policyId}`, { state: 'enabledForReportingButNotEnforced' })).status,
      204,
    );
    const reported = await signInTo((await payroll.start()).url, `blocked@${t.domain}`);
    assert.ok(reported.callback?.startsWith(`${REDIRECT}?code=`), JSON.stringify(reported).slice(0, 300));
    const entry = await lastSignIn(user.id as string);
    assert.equal(entry.status.errorCode, 0);
    assert.equal(entry.conditionalAccessStatus, 'notApplied');
    assert.equal(entry.appliedConditionalAccessPolicies[0]!.result, 'reportOnlyFailure');
    assert.equal((await t.api('DELETE', `${POLICIES}/${policyId}`)).status, 204);
  });

  it('blocks a guest’s redemption under a guests policy for all apps, and the guest stays pending', async () => {
    const created = await t.api('POST', POLICIES, {
      displayName: 'Block guests',
      state: 'enabled',
      conditions: {
        users: { includeGuestsOrExternalUsers: { guestOrExternalUserTypes: 'b2bCollaborationGuest' } },
        applications: { includeApplications: ['All'] },
      },
      grantControls: { operator: 'OR', builtInControls: ['block'] },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const inv = (
      await t.api('POST', '/v1.0/invitations', {
        invitedUserEmailAddress: 'blocked@partner.example',
        inviteRedirectUrl: 'https://x.example/',
      })
    ).body;
    const code = await submit(s, await openLink(s, inv.inviteRedeemUrl), '/redeem/start');
    const consent = await submit(s, code, '/redeem/passcode', { code: await mailedCode(s, 'blocked@partner.example') });
    const blocked = await submit(s, consent, '/redeem/consent', { decision: 'accept' });
    assert.equal(blocked.status, 403);
    assert.match(blocked.page, /AADSTS53003/);
    // Completing is refused while the block stands.
    const early = await submit(s, blocked, '/redeem/complete');
    assert.equal(early.status, 403);
    assert.match(early.page, /AADSTS53003/);
    assert.equal((await t.api('GET', `/v1.0/users/${inv.invitedUser.id}`)).body.externalUserState, 'PendingAcceptance');
    const entry = await lastSignIn(inv.invitedUser.id);
    assert.equal(entry.status.errorCode, 53003);
    assert.equal(entry.conditionalAccessStatus, 'failure');
    assert.equal(entry.appliedConditionalAccessPolicies[0]!.displayName, 'Block guests');
    assert.equal((await t.api('DELETE', `${POLICIES}/${created.body.id}`)).status, 204);
  });
});
