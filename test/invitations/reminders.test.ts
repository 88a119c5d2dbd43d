// Reminders and expiry with an injected clock, on both stores, through the real outbox to the real SMTP catcher: a
// tenant asks for reminders 7 and 1 days before a 30-day ticket expires. Nothing before day 23; one reminder at day
// 23 (with the opt-out link) and a notice to each sponsor; one at day 29; none twice, none after redemption, none to
// an address that opted out, none for an invitation sent without email. At day 30 the invitation is marked Expired,
// listed so by the API, with an audit event; the next day the inviter and the sponsors get one summary each.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';

import { listAudit, type Actor } from '../../src/directory/audit.ts';
import { parseSettingAssignment, TENANT_SETTINGS } from '../../src/directory/settings.ts';
import type { User } from '../../src/directory/users.ts';
import { invite } from '../../src/invitations/invite.ts';
import { markExpired, runInvitationLifecycle, sendReminders } from '../../src/invitations/lifecycle.ts';
import { block } from '../../src/invitations/optout.ts';
import type { CaughtMail } from '../../src/mail/catcher.ts';
import { assertGraphError, seedMembers, tenantWithApi, type TenantApi } from '../helpers/api.ts';
import { setTenantSettings } from '../helpers/cli.ts';
import { mailedCode, openLink, submit } from '../helpers/redeem.ts';
import { suite } from '../helpers/suite.ts';

const DAY = 86_400_000;
const START = new Date('2026-03-01T09:00:00Z');

describe('reminder settings', () => {
  it("take up to three distinct day offsets, from the CLI's key=value too", () => {
    assert.deepEqual(parseSettingAssignment('invitationReminderDays=7,1'), { invitationReminderDays: [7, 1] });
    assert.deepEqual(parseSettingAssignment('invitationReminderDays='), { invitationReminderDays: [] });
    assert.deepEqual(parseSettingAssignment('expirySummaryEmail=true'), { expirySummaryEmail: true });
    for (const bad of [[7, 7], [14, 7, 3, 1], [0], [1.5], [365]])
      assert.equal(TENANT_SETTINGS.safeParse({ invitationReminderDays: bad }).success, false, JSON.stringify(bad));
    assert.equal(
      TENANT_SETTINGS.safeParse({ invitationReminderDays: [14, 7, 1], expirySummaryEmail: false }).success,
      true,
    );
  });
});

suite(
  'invitation reminders and expiry',
  {
    clock: START,
    runWorker: false,
    tenant: { name: 'Contoso', domain: 'contoso.example', adminEmail: 'admin@contoso.example' },
  },
  ({ s, t, clock }) => {
    let f: TenantApi;
    let ivy: User;
    let sam: User;
    let lou: User;
    const ids: Record<string, { invitation: string; user: string; url: string }> = {};

    before(async () => {
      f = await tenantWithApi(s, 'Fabrikam', { domain: 'fabrikam.example', adminEmail: 'admin@fabrikam.example' });
      const { services } = s.portico;
      await setTenantSettings(s, t.tenantId, 'invitationReminderDays=7,1', 'expirySummaryEmail=true');
      await setTenantSettings(s, f.tenantId, 'invitationReminderDays=7');
      [ivy, sam] = (await seedMembers(s, t.tenantId, [
        { displayName: 'Ivy', userPrincipalName: 'ivy@contoso.example' },
        { displayName: 'Sam', userPrincipalName: 'sam@contoso.example' },
      ])) as [User, User];
      [lou] = (await seedMembers(s, f.tenantId, [
        { displayName: 'Lou', userPrincipalName: 'lou@fabrikam.example' },
      ])) as [User];
      const as = (u: User): Actor => ({ kind: 'user', id: u.id, userPrincipalName: u.userPrincipalName });
      const inviteAs = async (tenant: TenantApi, actor: User, email: string, sendMessage = true) => {
        const r = await invite(services, tenant.tenantId, as(actor), {
          email,
          redirectUrl: `${s.baseUrl}/myapps`,
          sendMessage,
          messageInfo: { messageLanguage: 'en-US' },
        });
        ids[email] = { invitation: r.invitationId, user: r.user.id, url: r.inviteRedeemUrl! };
      };
      await inviteAs(t, ivy, 'gus@partner.example');
      await inviteAs(t, ivy, 'rae@partner.example');
      await inviteAs(t, ivy, 'bea@partner.example');
      await inviteAs(t, ivy, 'nia@partner.example', false);
      await inviteAs(f, lou, 'lee@partner.example');
      assert.equal(
        (
          await t.api('POST', `/v1.0/users/${ids['gus@partner.example']!.user}/sponsors/$ref`, {
            '@odata.id': `${s.baseUrl}/v1.0/users/${sam.id}`,
          })
        ).status,
        204,
      );
      // Rae accepts at once; Bea opts out after her invitation went out.
      const code = await submit(s, await openLink(s, ids['rae@partner.example']!.url), '/redeem/start');
      await submit(
        s,
        await submit(s, code, '/redeem/passcode', { code: await mailedCode(s, 'rae@partner.example') }),
        '/redeem/consent',
        { decision: 'accept' },
      );
      await services.store.transaction((tx) => block(tx, clock, 'bea@partner.example', t.tenantId));
    });

    const at = (days: number, ms = 0) => clock.set(new Date(START.getTime() + days * DAY + ms));
    let seen = 0;
    /** The mails delivered since the last call. */
    async function newMail(): Promise<CaughtMail[]> {
      await s.portico.worker.runOnce();
      const all = s.smtp.messages();
      const fresh = all.slice(seen);
      seen = all.length;
      return fresh;
    }
    const to = (mails: CaughtMail[], address: string) => mails.filter((m) => m.to.includes(address));

    it('sends nothing before the first reminder is due', async () => {
      await newMail();
      assert.equal((await runInvitationLifecycle(s.portico.services)).reminders, 0);
      at(23, -60_000);
      assert.deepEqual(await runInvitationLifecycle(s.portico.services), { reminders: 0, expired: 0, summaries: 0 });
      assert.deepEqual(await newMail(), []);
    });

    it('day 23: one reminder to the guest with the opt-out link, a notice to each sponsor, nothing to the others', async () => {
      at(23);
      const [a, b] = await Promise.all([sendReminders(s.portico.services), sendReminders(s.portico.services)]);
      assert.equal(a + b, 2, 'Gus and Lee, each once however many sweeps race');
      const mails = await newMail();
      const [reminder, ...more] = to(mails, 'gus@partner.example');
      assert.equal(more.length, 0);
      assert.equal(reminder!.subject, 'Reminder: your invitation to Contoso expires on March 31, 2026');
      assert.match(reminder!.text, /Ivy invited you on March 1, 2026/);
      assert.match(reminder!.text, new RegExp(`Sign in to Contoso: ${s.baseUrl}/myapps\\?tenantid=${t.tenantId}`));
      assert.match(reminder!.text, /Stop invitations: http:\/\/\S+\/optout\?l=/);
      assert.match(reminder!.html!, /href="http:\/\/[^"]+\/optout\?l=/);
      for (const sponsor of ['ivy@contoso.example', 'sam@contoso.example']) {
        const [notice, ...extra] = to(mails, sponsor);
        assert.equal(extra.length, 0, sponsor);
        assert.equal(notice!.subject, 'We reminded gus of their invitation to Contoso');
        assert.match(notice!.text, /expires on March 31, 2026/);
        assert.doesNotMatch(notice!.text, /optout/, 'a sponsor is not an invitee');
      }
      for (const none of ['rae@partner.example', 'bea@partner.example', 'nia@partner.example'])
        assert.deepEqual(to(mails, none), [], none);
      assert.equal(to(mails, 'lee@partner.example').length, 1, "Fabrikam's own setting");
      assert.equal(to(mails, 'lou@fabrikam.example').length, 1, 'Lou invited Lee, so sponsors Lee');
      assert.equal(mails.length, 5);
      const rows = await s.portico.services.store.db
        .selectFrom('invitation_reminders')
        .select(['invitation_id', 'outcome'])
        .where('tenant_id', '=', t.tenantId)
        .execute();
      assert.deepEqual(
        rows.map((r) => [r.invitation_id, r.outcome]).sort(),
        [
          [ids['bea@partner.example']!.invitation, 'blocked'],
          [ids['gus@partner.example']!.invitation, 'sent'],
        ].sort(),
      );
    });

    it('sends each reminder once, and the second at day 29', async () => {
      assert.equal(await sendReminders(s.portico.services), 0);
      at(28, DAY - 1);
      assert.equal(await sendReminders(s.portico.services), 0);
      assert.deepEqual(await newMail(), []);
      at(29);
      assert.equal(await sendReminders(s.portico.services), 1);
      assert.equal(await sendReminders(s.portico.services), 0);
      const mails = await newMail();
      assert.equal(to(mails, 'gus@partner.example').length, 1);
      assert.equal(to(mails, 'sam@contoso.example').length, 1);
      assert.equal(mails.length, 3);
    });

    it('day 30: marks the invitations that expired unredeemed, once, with an audit event, and lists them', async () => {
      at(30, 60_000);
      assert.equal(await markExpired(s.portico.services), 4, "Gus, Bea, Nia, and Fabrikam's Lee");
      assert.equal(await markExpired(s.portico.services), 0);
      assert.equal(await sendReminders(s.portico.services), 0);
      const expired = await t.api('GET', `/v1.0/invitations?$filter=${encodeURIComponent("status eq 'Expired'")}`);
      assert.equal(expired.status, 200);
      assert.deepEqual(
        expired.body.value.map((i: { invitedUserEmailAddress: string }) => i.invitedUserEmailAddress).sort(),
        ['bea@partner.example', 'gus@partner.example', 'nia@partner.example'],
      );
      const gus = await t.api('GET', `/v1.0/invitations/${ids['gus@partner.example']!.invitation}`);
      assert.equal(gus.body.status, 'Expired');
      assert.equal(gus.body.inviteRedeemUrl, null);
      assert.equal(gus.body['@portico.expiredDateTime'], new Date(START.getTime() + 30 * DAY + 60_000).toISOString());
      const completed = await t.api('GET', `/v1.0/invitations?$filter=${encodeURIComponent("status eq 'Completed'")}`);
      assert.deepEqual(
        completed.body.value.map((i: { invitedUserEmailAddress: string }) => i.invitedUserEmailAddress),
        ['rae@partner.example'],
      );
      for (const bad of ["status eq 'Bogus'", "status ne 'Expired'", "redirectUrl eq 'x'"]) {
        assertGraphError(
          await t.api('GET', `/v1.0/invitations?$filter=${encodeURIComponent(bad)}`),
          400,
          'Request_UnsupportedQuery',
        );
      }
      const pending = await t.api(
        'GET',
        `/v1.0/invitations?$filter=${encodeURIComponent("status eq 'PendingAcceptance'")}`,
      );
      assert.deepEqual(pending.body.value, []);
      const events = await listAudit(s.portico.services.store.db, t.tenantId, {
        top: 50,
        activity: 'Invitation expired',
      });
      assert.equal(
        (await f.api('GET', `/v1.0/invitations?$filter=${encodeURIComponent("status eq 'Expired'")}`)).body.value
          .length,
        1,
        'each tenant lists its own',
      );
      assert.equal(events.length, 3);
      assert.ok(
        events.some(
          (e) =>
            e.targetResources[0]?.id === ids['gus@partner.example']!.user &&
            e.additionalDetails.some(
              (d) => d.key === 'invitationId' && d.value === ids['gus@partner.example']!.invitation,
            ),
        ),
      );
      assert.equal((await openLink(s, ids['gus@partner.example']!.url)).status, 400, 'the link is dead');
      assert.equal((await runInvitationLifecycle(s.portico.services)).summaries, 0, 'the day is not over');
      assert.deepEqual(await newMail(), []);
    });

    it('the next day: one summary to the inviter and one to the sponsor, only where the tenant asked for it', async () => {
      at(31, -9 * 3_600_000 + 5 * 60_000);
      const run = await runInvitationLifecycle(s.portico.services);
      assert.equal(run.summaries, 2);
      assert.equal((await runInvitationLifecycle(s.portico.services)).summaries, 0);
      const mails = await newMail();
      const [toIvy, ...moreIvy] = to(mails, 'ivy@contoso.example');
      assert.equal(moreIvy.length, 0);
      assert.equal(toIvy!.subject, 'Invitations to Contoso that expired unredeemed on March 31, 2026');
      for (const name of ['gus (gus@partner.example)', 'bea (bea@partner.example)', 'nia (nia@partner.example)'])
        assert.ok(toIvy!.text.includes(name), name);
      assert.doesNotMatch(toIvy!.text, /rae@/);
      const [toSam, ...moreSam] = to(mails, 'sam@contoso.example');
      assert.equal(moreSam.length, 0);
      assert.match(toSam!.text, /gus \(gus@partner\.example\)/);
      assert.doesNotMatch(toSam!.text, /bea@|nia@/);
      assert.deepEqual(to(mails, 'lou@fabrikam.example'), [], 'Fabrikam did not ask for summaries');
      assert.equal(mails.length, 2);
    });

    it('re-inviting the expired pending guest in one API call gives a new working link', async () => {
      const again = await t.api('POST', '/v1.0/invitations', {
        invitedUserEmailAddress: 'gus@partner.example',
        inviteRedirectUrl: `${s.baseUrl}/myapps`,
        sendInvitationMessage: true,
      });
      assert.equal(again.status, 201);
      assert.equal(again.body['@portico.outcome'], 'reinvited');
      assert.equal(again.body.invitedUser.id, ids['gus@partner.example']!.user);
      assert.deepEqual(again.body.invitedUserSponsors.map((x: { id: string }) => x.id).sort(), [ivy.id, sam.id].sort());
      const landing = await openLink(s, again.body.inviteRedeemUrl);
      assert.equal(landing.status, 200);
      const code = await submit(s, landing, '/redeem/start');
      await submit(
        s,
        await submit(s, code, '/redeem/passcode', { code: await mailedCode(s, 'gus@partner.example') }),
        '/redeem/consent',
        { decision: 'accept' },
      );
      assert.equal(
        (await t.api('GET', `/v1.0/users/${ids['gus@partner.example']!.user}`)).body.externalUserState,
        'Accepted',
      );
      const old = await t.api('GET', `/v1.0/invitations/${ids['gus@partner.example']!.invitation}`);
      assert.equal(old.body.status, 'Expired', 'the old invitation stays expired');
    });
  },
);
