// Completion happens exactly once, whatever the number of parallel submits: 50 at once over HTTP on one flow,
// and 50 flows of one ticket completing at once.
import assert from 'node:assert/strict';
import { it } from 'node:test';

import { completeRedemption } from '../../src/redemption/complete.ts';
import { createFlow, flowCookie, loadFlow, saveState } from '../../src/redemption/flow.ts';
import { openInvitation } from '../../src/redemption/ticket.ts';
import { type TenantApi } from '../helpers/api.ts';
import { mailedCode, openLink, submit } from '../helpers/redeem.ts';
import { postForm } from '../helpers/signin.ts';
import { suite } from '../helpers/suite.ts';

const redeemAudits = async (t: TenantApi, userId: string) =>
  (await t.api('GET', '/v1.0/auditLogs/directoryAudits?$top=999')).body.value.filter(
    (e: { activityDisplayName: string; targetResources: { id: string }[] }) =>
      e.activityDisplayName === 'Redeem external user invite' && e.targetResources[0]?.id === userId,
  ).length;

suite('exactly-once redemption', { runWorker: false, tenant: 'Contoso' }, ({ s, t }) => {
  it('50 parallel accepts of one flow complete it once', async () => {
    const inv = (
      await t.api('POST', '/v1.0/invitations', {
        invitedUserEmailAddress: 'par@partner.example',
        inviteRedirectUrl: 'https://x.example/',
      })
    ).body;
    const code = await submit(s, await openLink(s, inv.inviteRedeemUrl), '/redeem/start');
    const consent = await submit(s, code, '/redeem/passcode', { code: await mailedCode(s, 'par@partner.example') });
    const results = await Promise.all(
      Array.from({ length: 50 }, () =>
        postForm(consent.jar, `${s.baseUrl}/redeem/consent`, { csrf: consent.csrf, decision: 'accept' }),
      ),
    );
    const statuses = results.map((r) => r.status);
    assert.equal(statuses.filter((x) => x === 303).length, 1, statuses.join(','));
    assert.ok(
      statuses.every((x) => x === 303 || x === 409),
      statuses.join(','),
    );
    assert.equal(await redeemAudits(t, inv.invitedUser.id), 1);
  });

  it('50 flows of one ticket completing at once: one wins', async () => {
    const inv = (
      await t.api('POST', '/v1.0/invitations', {
        invitedUserEmailAddress: 'many@partner.example',
        inviteRedirectUrl: 'https://x.example/',
      })
    ).body;
    const { store, clock } = s.portico.services;
    const open = (await openInvitation(store.db, clock, new URL(inv.inviteRedeemUrl).searchParams.get('ticket')!))!;
    const flows = await Promise.all(
      Array.from({ length: 50 }, async () => {
        const { secret } = await store.transaction((tx) =>
          createFlow(tx, clock, {
            tenantId: t.tenantId,
            invitationId: open.id,
            userId: open.userId,
            email: open.email,
            lang: 'en-US',
            discovery: { kind: 'passcode' },
          }),
        );
        const flow = (await loadFlow(store.db, clock, flowCookie(t.tenantId, secret)))!;
        await saveState(store.db, flow, {
          identity: {
            signInType: 'emailAddress',
            issuer: 'mail',
            issuerAssignedId: open.email,
            source: 'Email OTP',
            email: open.email,
          },
          consented: true,
        });
        return flow;
      }),
    );
    const outcomes = await Promise.allSettled(flows.map((flow) => completeRedemption(store, clock, flow)));
    assert.equal(
      outcomes.filter((o) => o.status === 'rejected').length,
      0,
      String(outcomes.find((o) => o.status === 'rejected')?.reason),
    );
    assert.equal(outcomes.filter((o) => o.status === 'fulfilled' && o.value.won).length, 1);
    assert.equal(await redeemAudits(t, inv.invitedUser.id), 1);
    const user = (await t.api('GET', `/v1.0/users/${inv.invitedUser.id}`)).body;
    assert.equal(user.externalUserState, 'Accepted');
  });
});
