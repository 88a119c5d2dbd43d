// POST /v1.0/invitations on both stores: every field, every error, idempotence, re-invite, reset, the contact
// conflict and concurrent case-variant invites.
import assert from 'node:assert/strict';
import { it } from 'node:test';

import { hashSecret } from '../../src/secrets.ts';
import { assertGraphError, narrowApi, tenantWithApi } from '../helpers/api.ts';
import { mailedCode, openLink, redeemedGuest, submit } from '../helpers/redeem.ts';
import { suite } from '../helpers/suite.ts';

const body = (email: string, extra: Record<string, unknown> = {}) => ({
  invitedUserEmailAddress: email,
  inviteRedirectUrl: 'https://apps.contoso.example/start',
  ...extra,
});
const ticketOf = (url: string) => new URL(url).searchParams.get('ticket')!;

suite('invitations API', { runWorker: false, tenant: 'Contoso' }, ({ s, t }) => {
  const invitationRow = (userId: string) =>
    s.portico.services.store.db
      .selectFrom('invitations')
      .selectAll()
      .where('tenant_id', '=', t.tenantId)
      .where('user_id', '=', userId)
      .orderBy('created_at')
      .execute();

  it('creates a pending guest with Entra-shaped properties and a redeem URL', async () => {
    const res = await t.api(
      'POST',
      '/v1.0/invitations',
      body('alice@fabrikam.example', { invitedUserDisplayName: 'Alice Smith' }),
    );
    assert.equal(res.status, 201);
    assert.equal(res.body.status, 'PendingAcceptance');
    assert.equal(res.body.invitedUserType, 'Guest');
    assert.equal(res.body.sendInvitationMessage, false);
    assert.equal(res.body.invitedUserMessageInfo.messageLanguage, 'en-US');
    assert.match(res.body.inviteRedeemUrl, new RegExp(`^${s.baseUrl}/redeem\\?ticket=[A-Za-z0-9_-]{43}$`));
    const user = (await t.api('GET', `/v1.0/users/${res.body.invitedUser.id}`)).body;
    assert.equal(user.userType, 'Guest');
    assert.equal(user.userPrincipalName, `alice_fabrikam.example#EXT#@${t.domain}`);
    assert.equal(user.displayName, 'Alice Smith');
    assert.equal(user.mail, 'alice@fabrikam.example');
    assert.deepEqual(user.proxyAddresses, ['SMTP:alice@fabrikam.example']);
    assert.equal(user.creationType, 'Invitation');
    assert.equal(user.externalUserState, 'PendingAcceptance');
    assert.ok(user.externalUserStateChangeDateTime);
    assert.deepEqual(user.identities, [
      { signInType: 'userPrincipalName', issuer: t.domain, issuerAssignedId: user.userPrincipalName },
    ]);
    assert.equal(user.contactConflict, false);
    // Only the ticket's hash is stored; it expires in 30 days by default.
    const [row] = await invitationRow(user.id);
    assert.equal(row!.ticket_hash, hashSecret(ticketOf(res.body.inviteRedeemUrl)));
    const days = (Date.parse(row!.ticket_expires_at!) - Date.parse(row!.created_at)) / 86_400_000;
    assert.equal(Math.round(days), 30);
    const guests = await t.api('GET', `/v1.0/users?$filter=${encodeURIComponent("userType eq 'Guest'")}`);
    assert.ok(guests.body.value.some((u: { id: string }) => u.id === user.id));
  });

  it('re-inviting a pending guest keeps the object and replaces the ticket', async () => {
    const first = await t.api('POST', '/v1.0/invitations', body('carol@fabrikam.example'));
    const second = await t.api('POST', '/v1.0/invitations', body('CAROL@fabrikam.example'));
    assert.equal(second.status, 201);
    assert.equal(second.body.invitedUser.id, first.body.invitedUser.id);
    assert.equal(second.body['@portico.outcome'], 'reinvited');
    assert.notEqual(second.body.inviteRedeemUrl, first.body.inviteRedeemUrl);
    const rows = await invitationRow(first.body.invitedUser.id);
    assert.equal(rows.length, 2);
    assert.equal(rows[0]!.ticket_hash, null, 'the old ticket is revoked');
    assert.ok(rows[0]!.revoked_at);
    assert.equal(rows[1]!.ticket_hash, hashSecret(ticketOf(second.body.inviteRedeemUrl)));
    // Over HTTP, as the guest sees it: the old link is refused, the new one opens the landing page.
    assert.equal((await openLink(s, first.body.inviteRedeemUrl)).status, 400, 'the old link stops working');
    assert.equal((await openLink(s, second.body.inviteRedeemUrl)).status, 200);
  });

  it('returns an accepted guest unchanged, without a new ticket, unless resetRedemption', async () => {
    // Accepted the way a person gets there: invited, then the link redeemed with an email passcode.
    const { id } = await redeemedGuest(s, t.api, 'dave@fabrikam.example');
    assert.equal(
      (await t.api('GET', `/v1.0/users/${id}`)).body.identities[0].issuer,
      'mail',
      'redeemed with the passcode',
    );
    const group = await t.api('POST', '/v1.0/groups', { displayName: 'Partners' });
    assert.equal(
      (
        await t.api('POST', `/v1.0/groups/${group.body.id}/members/$ref`, {
          '@odata.id': `${s.baseUrl}/v1.0/directoryObjects/${id}`,
        })
      ).status,
      204,
    );
    const app = await t.api('POST', '/v1.0/applications', {
      displayName: 'Expenses',
      web: { redirectUris: ['https://apps.contoso.example/cb'] },
      appRoleAssignmentRequired: true,
    });
    assert.equal(
      (await t.api('POST', `/v1.0/applications/${app.body.id}/appRoleAssignedTo`, { principalId: id })).status,
      201,
    );
    const again = await t.api('POST', '/v1.0/invitations', body('dave@fabrikam.example'));
    assert.equal(again.status, 201);
    assert.equal(again.body.status, 'Completed');
    assert.equal(again.body.inviteRedeemUrl, null);
    assert.equal(again.body.invitedUser.id, id);
    assert.equal((await invitationRow(id)).length, 1, 'no new ticket');

    const reset = await t.api(
      'POST',
      '/v1.0/invitations',
      body('dave.new@fabrikam.example', { resetRedemption: true, invitedUser: { id } }),
    );
    assert.equal(reset.status, 201);
    assert.equal(reset.body.invitedUser.id, id, 'the object id is kept');
    assert.equal(reset.body.status, 'PendingAcceptance');
    const user = (await t.api('GET', `/v1.0/users/${id}`)).body;
    assert.equal(user.externalUserState, 'PendingAcceptance');
    assert.equal(user.mail, 'dave.new@fabrikam.example');
    assert.equal(user.identities[0].issuer, t.domain, 'the redeemed identity is dropped');
    const members = async () =>
      (await t.api('GET', `/v1.0/groups/${group.body.id}/members`)).body.value.map((m: { id: string }) => m.id);
    const assigned = async () =>
      (await t.api('GET', `/v1.0/applications/${app.body.id}/appRoleAssignedTo`)).body.value.map(
        (a: { principalId: string }) => a.principalId,
      );
    assert.deepEqual(await members(), [id], 'group membership is kept');
    assert.deepEqual(await assigned(), [id], 'app assignments are kept');

    // The reset's link redeems again, with the new address, on the same object.
    const codePage = await submit(s, await openLink(s, reset.body.inviteRedeemUrl), '/redeem/start');
    const consent = await submit(s, codePage, '/redeem/passcode', {
      code: await mailedCode(s, 'dave.new@fabrikam.example'),
    });
    assert.match(consent.page, /Review permissions/, 'consent is asked again after a reset');
    assert.equal((await submit(s, consent, '/redeem/consent', { decision: 'accept' })).status, 303);
    const redeemed = (await t.api('GET', `/v1.0/users/${id}`)).body;
    assert.equal(redeemed.externalUserState, 'Accepted');
    assert.deepEqual(redeemed.identities, [
      { signInType: 'emailAddress', issuer: 'mail', issuerAssignedId: 'dave.new@fabrikam.example' },
    ]);
    assert.deepEqual(await members(), [id], 'still in the group after redeeming again');
    assert.deepEqual(await assigned(), [id], 'still assigned after redeeming again');
    // The old link is dead: the reset replaced it.
    assert.equal((await invitationRow(id)).filter((r) => r.ticket_hash !== null).length, 0, 'the used ticket is spent');
  });

  it('creates a contact-conflicted guest without mail and says so', async () => {
    const contact = await t.api('POST', '/v1.0/contacts', {
      displayName: 'Erin (Outlook)',
      proxyAddresses: ['SMTP:erin@fabrikam.example'],
    });
    const res = await t.api('POST', '/v1.0/invitations', body('Erin@Fabrikam.example'));
    assert.equal(res.status, 201);
    assert.equal(res.body['@portico.contactConflict'].contactId, contact.body.id);
    const user = (await t.api('GET', `/v1.0/users/${res.body.invitedUser.id}`)).body;
    assert.equal(user.mail, null);
    assert.deepEqual(user.proxyAddresses, []);
    assert.equal(user.contactConflict, true);
    const audit = await t.api('GET', '/v1.0/auditLogs/directoryAudits');
    const event = audit.body.value.find(
      (e: { targetResources: { id: string }[] }) => e.targetResources[0]?.id === user.id,
    );
    assert.ok(event.additionalDetails.some((d: { key: string }) => d.key === 'contactConflict'));
    // Invited again: still the same single guest.
    const again = await t.api('POST', '/v1.0/invitations', body('erin@fabrikam.example'));
    assert.equal(again.body.invitedUser.id, user.id);
  });

  it('makes one guest from concurrent invites of case variants', async () => {
    const variants = ['Bob@X-Corp.example', 'bob@x-corp.example', 'BOB@X-CORP.EXAMPLE', 'bOb@x-corp.example'];
    const results = await Promise.all(variants.map((v) => t.api('POST', '/v1.0/invitations', body(v))));
    assert.deepEqual(
      results.map((r) => r.status),
      [201, 201, 201, 201],
    );
    assert.equal(new Set(results.map((r) => r.body.invitedUser.id)).size, 1);
    const found = await t.api(
      'GET',
      `/v1.0/users?$filter=${encodeURIComponent("mail eq 'bob@x-corp.example'")}&$count=true`,
    );
    assert.equal(found.body['@odata.count'], 1);
    const open = (await invitationRow(results[0]!.body.invitedUser.id)).filter((r) => r.ticket_hash !== null);
    assert.equal(open.length, 1, 'exactly one ticket stays usable');
  });

  it('invites a Member only with a permission to write users', async () => {
    const inviter = await narrowApi(s, t.tenantId, ['User.Invite.All']);
    assertGraphError(
      await inviter('POST', '/v1.0/invitations', body('m1@fabrikam.example', { invitedUserType: 'Member' })),
      403,
      'Authorization_RequestDenied',
    );
    const guest = await inviter('POST', '/v1.0/invitations', body('g1@fabrikam.example'));
    assert.equal(guest.status, 201);
    const member = await t.api('POST', '/v1.0/invitations', body('m1@fabrikam.example', { invitedUserType: 'Member' }));
    assert.equal(member.status, 201);
    assert.equal(member.body.invitedUserType, 'Member');
    const reader = await narrowApi(s, t.tenantId, ['User.Read.All']);
    assertGraphError(
      await reader('POST', '/v1.0/invitations', body('x@fabrikam.example')),
      403,
      'Authorization_RequestDenied',
    );
  });

  it('refuses bad input with a clear error and changes nothing', async () => {
    const before = (await t.api('GET', '/v1.0/users?$count=true&$top=1')).body['@odata.count'];
    const queued = async () =>
      (
        await s.portico.services.store.db
          .selectFrom('outbox')
          .select('id')
          .where('tenant_id', '=', t.tenantId)
          .execute()
      ).length;
    const queuedBefore = await queued();
    const cases: [Record<string, unknown>, string][] = [
      [{ invitedUserEmailAddress: 'x@fabrikam.example' }, 'inviteRedirectUrl'],
      [{ inviteRedirectUrl: 'https://a.example' }, 'invitedUserEmailAddress'],
      [body('not-an-address'), 'not a valid email'],
      [body('evil@fabrikam.example\r\nBcc: all@fabrikam.example'), 'not a valid email'],
      [body('ok@fabrikam.example', { inviteRedirectUrl: 'javascript:alert(1)' }), 'inviteRedirectUrl'],
      [body('ok@fabrikam.example', { inviteRedirectUrl: 'https://user:pw@a.example/' }), 'inviteRedirectUrl'],
      [body('ok@fabrikam.example', { resetRedemption: true }), 'invitedUser.id'],
      [
        body('ok@fabrikam.example', {
          invitedUserMessageInfo: {
            ccRecipients: [{ emailAddress: { address: 'a@b.example' } }, { emailAddress: { address: 'c@d.example' } }],
          },
        }),
        'one recipient',
      ],
      [
        body('ok@fabrikam.example', {
          invitedUserMessageInfo: { ccRecipients: [{ emailAddress: { address: 'a@b.example\nBcc: x@y.example' } }] },
        }),
        'ccRecipients',
      ],
      [body('ok@fabrikam.example', { invitedUserType: 'Admin' }), 'invitedUserType'],
      [body('ok@fabrikam.example', { bogus: true }), 'bogus'],
    ];
    for (const [payload, mention] of cases) {
      const res = await t.api('POST', '/v1.0/invitations', payload);
      assertGraphError(res, 400, 'Request_BadRequest');
      assert.match(res.body.error.message, new RegExp(mention.replace(/[.]/g, '\\.')), JSON.stringify(payload));
    }
    assertGraphError(await t.api('POST', '/v1.0/invitations', '{"invitedUserEmailAddress":'), 400, 'BadRequest');
    assertGraphError(
      await t.api(
        'POST',
        '/v1.0/invitations',
        body('ok@fabrikam.example', {
          resetRedemption: true,
          invitedUser: { id: '00000000-0000-4000-8000-000000000000' },
        }),
      ),
      404,
      'Request_ResourceNotFound',
    );
    const member = await t.api('POST', '/v1.0/invitations', body(t.admin.userPrincipalName));
    assertGraphError(member, 400, 'Request_BadRequest');
    assert.match(member.body.error.message, /already a member/);
    assert.equal((await t.api('GET', '/v1.0/users?$count=true&$top=1')).body['@odata.count'], before);
    assert.equal(await queued(), queuedBefore, 'nothing was queued');
  });

  it("refuses another tenant's user for resetRedemption", async () => {
    const other = await tenantWithApi(s, 'Other');
    const invited = await other.api('POST', '/v1.0/invitations', body('zed@fabrikam.example'));
    assertGraphError(
      await t.api(
        'POST',
        '/v1.0/invitations',
        body('zed@fabrikam.example', { resetRedemption: true, invitedUser: { id: invited.body.invitedUser.id } }),
      ),
      404,
      'Request_ResourceNotFound',
    );
  });
});
