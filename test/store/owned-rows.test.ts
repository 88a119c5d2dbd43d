// Permanently deleting a user leaves nothing that names them but the audit log (migration 0017's foreign keys, and
// the owners deleted/items.ts USER_REFERENCES lists for what cannot cascade). A delete moves the user to deleted items
// first; the test then deletes it for good. A guest gets every kind of row a user can have, each through
// the product: a group membership, an app assignment, sponsors both ways, an invitation with a reminder, a redemption
// (its flow, the linked identity, the session, the privacy consent and the terms acceptance), an app sign-in (the
// provider's session, grant, code and tokens, and the sign-in log's entry). Every table the catalog lists is then
// scanned for the guest's id and the invitation's id, before (each kind must be there, or the test proves nothing)
// and after the delete; once through the API, once through the admin center, on both stores.
import assert from 'node:assert/strict';
import { before, it } from 'node:test';

import { updateTenantSettings } from '../../src/directory/settings.ts';
import { runInvitationLifecycle } from '../../src/invitations/lifecycle.ts';
import { csrfOf, openAdmin } from '../helpers/admin.ts';
import { newUserBody } from '../helpers/api.ts';
import { appClient, reach, REDIRECT, type AppClient } from '../helpers/app-client.ts';
import { mailedCode, openLink, submit } from '../helpers/redeem.ts';
import { findSecrets } from '../helpers/scan.ts';
import { CookieJar, postForm } from '../helpers/signin.ts';
import { suite } from '../helpers/suite.ts';

const DAY = 86_400_000;
const TERMS = {
  displayName: 'Partner terms',
  isViewingBeforeAcceptanceRequired: false,
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

/** Where a row names the user (tables, not columns: `audit_events.target_resources` → `audit_events`). */
const tablesOf = (hits: string[]) => [...new Set(hits.map((h) => h.split('.')[0]!))].sort();

suite(
  'deleting a user leaves no row that names them',
  {
    clock: 'manual',
    runWorker: false,
    tenant: { name: 'Contoso', domain: 'contoso.example', adminEmail: 'admin@contoso.example' },
  },
  ({ s, t, clock }) => {
    // The reminder needs a day to pass; everything else runs at this clock's time too.
    let rp: AppClient;
    let groupId: string;
    let sponsorId: string;
    before(async () => {
      rp = await appClient(s, t.tenantId);
      // Reminders 29 days before a 30-day ticket expires: the first is due a day after the invitation.
      await s.portico.services.store.transaction((tx) =>
        updateTenantSettings(tx, clock, t.tenantId, { invitationReminderDays: [29] }),
      );
      assert.equal((await t.api('POST', '/v1.0/identityGovernance/termsOfUse/agreements', TERMS)).status, 201);
      groupId = (
        await t.api('POST', '/v1.0/groups', {
          displayName: 'Partners',
          mailEnabled: false,
          mailNickname: 'partners',
          securityEnabled: true,
        })
      ).body.id;
      const sponsor = await t.api('POST', '/v1.0/users', newUserBody('sam@contoso.example'));
      assert.equal(sponsor.status, 201, JSON.stringify(sponsor.body));
      sponsorId = sponsor.body.id;
    });

    const ok = async (res: Promise<{ status: number; body: unknown }>, status: number) => {
      const r = await res;
      assert.equal(r.status, status, JSON.stringify(r.body));
      return r;
    };

    /** A redeemed guest with every kind of related row; returns the ids to look for. */
    async function guestWithEverything(email: string): Promise<{ userId: string; invitationId: string }> {
      const inv = (
        await ok(
          t.api('POST', '/v1.0/invitations', {
            invitedUserEmailAddress: email,
            inviteRedirectUrl: REDIRECT,
            sendInvitationMessage: true,
          }),
          201,
        )
      ).body as { id: string; inviteRedeemUrl: string; invitedUser: { id: string } };
      const userId = inv.invitedUser.id;
      await ok(
        t.api('POST', `/v1.0/groups/${groupId}/members/$ref`, {
          '@odata.id': `${s.baseUrl}/v1.0/directoryObjects/${userId}`,
        }),
        204,
      );
      await ok(
        t.api('POST', `/v1.0/applications/${rp.app.id}/appRoleAssignedTo`, {
          principalId: userId,
          resourceId: rp.app.id,
          appRoleId: '00000000-0000-0000-0000-000000000000',
        }),
        201,
      );
      // Sponsored by Sam, and Sam's sponsor in turn: both columns of user_sponsors.
      await ok(
        t.api('POST', `/v1.0/users/${userId}/sponsors/$ref`, { '@odata.id': `${s.baseUrl}/v1.0/users/${sponsorId}` }),
        204,
      );
      await ok(
        t.api('POST', `/v1.0/users/${sponsorId}/sponsors/$ref`, { '@odata.id': `${s.baseUrl}/v1.0/users/${userId}` }),
        204,
      );
      clock.advance(DAY + 60_000);
      assert.ok((await runInvitationLifecycle(s.portico.services)).reminders >= 1, 'a reminder went out');

      const landing = await openLink(s, inv.inviteRedeemUrl);
      const code = await submit(s, landing, '/redeem/start');
      const consent = await submit(s, code, '/redeem/passcode', { code: await mailedCode(s, email) });
      const terms = await submit(s, consent, '/redeem/consent', { decision: 'accept' });
      assert.ok(
        (await submit(s, terms, '/redeem/terms', { decision: 'accept', viewed: '1' })).location,
        'the redemption completes',
      );
      // The redemption's session signs the guest in to the app: the provider's artifacts and a sign-in log entry.
      const attempt = await rp.start();
      const landed = await reach(s, landing.jar, attempt.url);
      assert.ok(landed.callback?.startsWith(REDIRECT), `signed in to the app: ${landed.page.slice(0, 200)}`);
      assert.ok((await attempt.tokens(landed.callback!)).refresh_token);
      return { userId, invitationId: inv.id };
    }

    async function assertEverythingThenNothing(
      ids: { userId: string; invitationId: string },
      remove: () => Promise<void>,
    ) {
      const found = tablesOf(await findSecrets(s.testStore, [ids.userId, ids.invitationId], { files: false }));
      for (const table of [
        'users',
        'group_members',
        'app_assignments',
        'user_sponsors',
        'invitations',
        'invitation_reminders',
        'redemption_flows',
        'external_identities',
        'sessions',
        'agreement_acceptances',
        'oidc_payloads',
        'sign_ins',
        'audit_events',
      ]) {
        assert.ok(found.includes(table), `before the delete, ${table} names the guest (found in ${found.join(', ')})`);
      }
      const models = await s.portico.services.store.db
        .selectFrom('oidc_payloads')
        .select('model')
        .distinct()
        .where('tenant_id', '=', t.tenantId)
        .where('account_id', '=', ids.userId)
        .execute();
      for (const model of ['Session', 'Grant', 'RefreshToken'])
        assert.ok(
          models.some((m) => m.model === model),
          `the provider holds a ${model}`,
        );

      // A delete moves the user to deleted items (nothing cascades yet); the permanent delete removes the row.
      await remove();
      await ok(t.api('GET', `/v1.0/users/${ids.userId}`), 404);
      await ok(t.api('GET', `/v1.0/directory/deletedItems/${ids.userId}`), 200);
      await ok(t.api('DELETE', `/v1.0/directory/deletedItems/${ids.userId}`), 204);
      assert.deepEqual(
        tablesOf(await findSecrets(s.testStore, [ids.userId, ids.invitationId], { files: false })),
        ['audit_events'],
        'only the audit log still names the deleted guest',
      );
      // Sam, the other side of the sponsorship, is still there, and so is the group.
      await ok(t.api('GET', `/v1.0/users/${sponsorId}`), 200);
      await ok(t.api('GET', `/v1.0/groups/${groupId}`), 200);
    }

    it('through the API', async () => {
      const ids = await guestWithEverything('gia@partner.example');
      await assertEverythingThenNothing(ids, async () => {
        await ok(t.api('DELETE', `/v1.0/users/${ids.userId}`), 204);
      });
    });

    it('through the admin center', async () => {
      const ids = await guestWithEverything('ada@partner.example');
      await assertEverythingThenNothing(ids, async () => {
        const jar = new CookieJar();
        const url = `${s.baseUrl}/admin/${t.tenantId}/users/${ids.userId}`;
        // The tenant's terms apply to guests (the default): its administrator signs in without being asked.
        const page = await openAdmin(s, jar, url, { email: 'admin@contoso.example', password: t.adminPassword });
        assert.equal(page.status, 200, `${page.url} ${page.page.slice(0, 500)}`);
        const res = await postForm(jar, `${s.baseUrl}/admin/${t.tenantId}/users/${ids.userId}/delete`, {
          csrf: csrfOf(page.page),
        });
        assert.equal(res.status, 200);
        assert.match(await res.text(), /role="status"/);
      });
    });
  },
);
