// Conditional Access on the refresh token grant (security review): a refresh token issued before a policy existed
// gets no new tokens once the policy applies. A policy that requires MFA refuses a refresh token from a sign-in without
// it (invalid_grant, Entra's AADSTS50076, so MSAL turns it into an interactive sign-in), a block refuses every one
// (AADSTS53003); a policy for another app, or report-only, changes nothing; once the policy is gone the same refresh
// token works again. Reached through openid-client, as an app would.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import * as client from 'openid-client';

import { newUserBody, type GraphObject } from '../helpers/api.ts';
import { appClient } from '../helpers/app-client.ts';
import { signIn } from '../helpers/signin.ts';
import { suite } from '../helpers/suite.ts';

const POLICIES = '/v1.0/identity/conditionalAccess/policies';
const PASSWORD = newUserBody('x').passwordProfile.password;

/** The OAuth error and Entra's error code a rejected refresh carries. */
async function refused(promise: Promise<unknown>): Promise<{ error?: string; codes: number[]; description: string }> {
  try {
    await promise;
  } catch (e) {
    const err = e as { error?: string; error_description?: string; cause?: { error_codes?: number[] } };
    return { error: err.error, codes: err.cause?.error_codes ?? [], description: err.error_description ?? '' };
  }
  assert.fail('the refresh token was accepted');
}

suite('Conditional Access at the refresh token grant', { tenant: 'Contoso', runWorker: false }, ({ s, t }) => {
  it('refuses a refresh token without MFA once a policy requires it, and any under a block', async () => {
    const user = (await t.api('POST', '/v1.0/users', newUserBody(`rita@${t.domain}`, 'Rita'))).body as GraphObject;
    const app = await appClient(s, t.tenantId, 'Payroll');
    const other = await appClient(s, t.tenantId, 'Wiki');
    const attempt = await app.start();
    const { callback } = await signIn(attempt.url, s.baseUrl, `rita@${t.domain}`, PASSWORD);
    let refresh = (await attempt.tokens(callback)).refresh_token!;
    assert.ok(refresh, 'a refresh token before any policy');
    refresh = (await client.refreshTokenGrant(app.rp, refresh)).refresh_token!;

    const policy = async (displayName: string, control: string, apps: string[], state = 'enabled') => {
      const res = await t.api('POST', POLICIES, {
        displayName,
        state,
        conditions: { users: { includeUsers: [user.id] }, applications: { includeApplications: apps } },
        grantControls: { operator: 'OR', builtInControls: [control] },
      });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      return res.body.id as string;
    };

    // For another app, and report-only: the refresh goes on.
    const elsewhere = await policy('MFA for the wiki', 'mfa', [other.app.clientId]);
    const reportOnly = await policy('Block, report only', 'block', ['All'], 'enabledForReportingButNotEnforced');
    refresh = (await client.refreshTokenGrant(app.rp, refresh)).refresh_token!;

    const mfa = await policy('MFA for everything', 'mfa', ['All']);
    const noMfa = await refused(client.refreshTokenGrant(app.rp, refresh));
    assert.equal(noMfa.error, 'invalid_grant');
    assert.match(noMfa.description, /AADSTS50076/);
    assert.deepEqual(noMfa.codes, [50076]);
    assert.equal((await t.api('DELETE', `${POLICIES}/${mfa}`)).status, 204);
    // Refused, not spent: the same refresh token works once nothing stands in its way.
    refresh = (await client.refreshTokenGrant(app.rp, refresh)).refresh_token!;

    const block = await policy('Block Payroll', 'block', [app.app.clientId]);
    const blocked = await refused(client.refreshTokenGrant(app.rp, refresh));
    assert.equal(blocked.error, 'invalid_grant');
    assert.match(blocked.description, /AADSTS53003/);
    assert.deepEqual(blocked.codes, [53003]);
    for (const id of [block, elsewhere, reportOnly])
      assert.equal((await t.api('DELETE', `${POLICIES}/${id}`)).status, 204);
    assert.ok((await client.refreshTokenGrant(app.rp, refresh)).access_token);
  });
});
