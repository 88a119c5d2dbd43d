// Sponsors on both stores: invitedUserSponsors on POST /invitations, the inviting admin by default, Graph's
// sponsors navigation (GET, POST $ref, DELETE $ref) with its errors and audit events, and the admin center's page.
import assert from 'node:assert/strict';
import { before, it } from 'node:test';

import { listAudit } from '../../src/directory/audit.ts';
import type { User } from '../../src/directory/users.ts';
import { csrfOf, openAdmin } from '../helpers/admin.ts';
import { assertGraphError, narrowApi, seedMembers, tenantWithApi } from '../helpers/api.ts';
import { CookieJar, postForm } from '../helpers/signin.ts';
import { suite } from '../helpers/suite.ts';

suite(
  'sponsors',
  { runWorker: false, tenant: { name: 'Contoso', domain: 'contoso.example', adminEmail: 'admin@contoso.example' } },
  ({ s, t }) => {
    let ivy: User;
    let sam: User;
    let members: User[];
    before(async () => {
      members = await seedMembers(
        s,
        t.tenantId,
        ['ivy', 'sam', 'ola', 'pam', 'quy', 'rob'].map((n) => ({
          displayName: n[0]!.toUpperCase() + n.slice(1),
          userPrincipalName: `${n}@contoso.example`,
        })),
      );
      [ivy, sam] = members as [User, User];
    });

    const body = (email: string, extra: Record<string, unknown> = {}) => ({
      invitedUserEmailAddress: email,
      inviteRedirectUrl: `${s.baseUrl}/myapps`,
      ...extra,
    });
    const sponsorsOf = async (userId: string) => {
      const res = await t.api('GET', `/v1.0/users/${userId}/sponsors`);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return res.body.value as { id: string; '@odata.type': string }[];
    };
    const ref = (id: string) => ({ '@odata.id': `${s.baseUrl}/v1.0/users/${id}` });

    it('records invitedUserSponsors on the invitation and returns them', async () => {
      const res = await t.api(
        'POST',
        '/v1.0/invitations',
        body('gus@partner.example', {
          invitedUserSponsors: [{ id: ivy.id }, { '@odata.type': '#microsoft.graph.user', id: sam.id.toUpperCase() }],
        }),
      );
      assert.equal(res.status, 201, JSON.stringify(res.body));
      assert.deepEqual(res.body.invitedUserSponsors.map((x: { id: string }) => x.id).sort(), [ivy.id, sam.id].sort());
      const listed = await sponsorsOf(res.body.invitedUser.id);
      assert.deepEqual(listed.map((x) => x.id).sort(), [ivy.id, sam.id].sort());
      assert.ok(listed.every((x) => x['@odata.type'] === '#microsoft.graph.user'));
    });

    it('deleting a sponsor or the guest leaves no sponsor rows behind', async () => {
      const [ola, pam] = await seedMembers(s, t.tenantId, [
        { displayName: 'Oda', userPrincipalName: 'oda@contoso.example' },
        { displayName: 'Pia', userPrincipalName: 'pia@contoso.example' },
      ]);
      const res = await t.api(
        'POST',
        '/v1.0/invitations',
        body('hal@partner.example', { invitedUserSponsors: [{ id: ola!.id }, { id: pam!.id }] }),
      );
      const guestId = res.body.invitedUser.id as string;
      const rows = () =>
        s.portico.services.store.db
          .selectFrom('user_sponsors')
          .select(['user_id', 'sponsor_id'])
          .where('tenant_id', '=', t.tenantId)
          .where((eb) => eb.or([eb('user_id', '=', guestId), eb('sponsor_id', 'in', [ola!.id, pam!.id])]))
          .execute();
      assert.equal((await rows()).length, 2);
      // A delete moves the user to deleted items (restorable, so its rows stay, unseen); the permanent delete
      // removes them (issue #19: Entra's deleted items).
      assert.equal((await t.api('DELETE', `/v1.0/users/${ola!.id}`)).status, 204);
      assert.deepEqual(
        ((await t.api('GET', `/v1.0/users/${guestId}/sponsors`)).body.value as { id: string }[]).map((u) => u.id),
        [pam!.id],
      );
      assert.equal((await t.api('DELETE', `/v1.0/directory/deletedItems/${ola!.id}`)).status, 204);
      assert.deepEqual(
        (await rows()).map((r) => r.sponsor_id),
        [pam!.id],
      );
      assert.equal((await t.api('DELETE', `/v1.0/users/${guestId}`)).status, 204);
      assert.equal((await t.api('DELETE', `/v1.0/directory/deletedItems/${guestId}`)).status, 204);
      assert.deepEqual(await rows(), []);
    });

    it('refuses sponsors that are not users of the tenant, and too many, creating nothing', async () => {
      const other = await tenantWithApi(s, 'Fabrikam');
      for (const sponsors of [[{ id: other.admin.id }], [{ id: 'not-an-id' }], members.map((m) => ({ id: m.id }))]) {
        const res = await t.api(
          'POST',
          '/v1.0/invitations',
          body('hal@partner.example', { invitedUserSponsors: sponsors }),
        );
        assertGraphError(res, 400, 'Request_BadRequest');
      }
      assert.equal(
        (await t.api('GET', `/v1.0/users?$filter=${encodeURIComponent("mail eq 'hal@partner.example'")}`)).body.value
          .length,
        0,
      );
    });

    it("adds and removes sponsors through $ref, with Graph's errors and an audit event each", async () => {
      const guest = (await t.api('POST', '/v1.0/invitations', body('kim@partner.example'))).body.invitedUser
        .id as string;
      assert.deepEqual(await sponsorsOf(guest), [], 'an app invited: nobody by default');
      assert.equal((await t.api('POST', `/v1.0/users/${guest}/sponsors/$ref`, ref(ivy.id))).status, 204);
      assertGraphError(
        await t.api('POST', `/v1.0/users/${guest}/sponsors/$ref`, ref(ivy.id)),
        400,
        'Request_BadRequest',
      );
      assertGraphError(
        await t.api('POST', `/v1.0/users/${guest}/sponsors/$ref`, ref(guest)),
        400,
        'Request_BadRequest',
      );
      assertGraphError(
        await t.api('POST', `/v1.0/users/${guest}/sponsors/$ref`, {
          '@odata.id': 'https://elsewhere.example/groups/x',
        }),
        400,
        'Request_BadRequest',
      );
      assert.equal(
        (
          await t.api('POST', `/v1.0/users/${guest}/sponsors/$ref`, {
            '@odata.id': `${s.baseUrl}/v1.0/directoryObjects/${sam.id}`,
          })
        ).status,
        204,
      );
      assert.deepEqual((await sponsorsOf(guest)).map((x) => x.id).sort(), [ivy.id, sam.id].sort());
      assert.equal((await t.api('DELETE', `/v1.0/users/${guest}/sponsors/${sam.id}/$ref`)).status, 204);
      assertGraphError(
        await t.api('DELETE', `/v1.0/users/${guest}/sponsors/${sam.id}/$ref`),
        404,
        'Request_ResourceNotFound',
      );
      assert.deepEqual(
        (await sponsorsOf(guest)).map((x) => x.id),
        [ivy.id],
      );
      assertGraphError(
        await t.api('GET', '/v1.0/users/00000000-0000-4000-8000-000000000000/sponsors'),
        404,
        'Request_ResourceNotFound',
      );
      const reader = await narrowApi(s, t.tenantId, ['User.Read.All']);
      assert.equal((await reader('GET', `/v1.0/users/${guest}/sponsors`)).status, 200);
      assertGraphError(
        await reader('POST', `/v1.0/users/${guest}/sponsors/$ref`, ref(sam.id)),
        403,
        'Authorization_RequestDenied',
      );
      const events = await listAudit(s.portico.services.store.db, t.tenantId, { top: 50, activity: 'sponsor' });
      assert.deepEqual(events.map((e) => e.activityDisplayName).sort(), [
        'Add sponsor to user',
        'Add sponsor to user',
        'Remove sponsor from user',
      ]);
      assert.ok(events.every((e) => e.targetResources[0]?.id === guest));
    });

    it("an admin who invites in the admin center becomes the sponsor, shown on the guest's page", async () => {
      const jar = new CookieJar();
      const adminUrl = `${s.baseUrl}/admin/${t.tenantId}`;
      const form = await openAdmin(s, jar, `${adminUrl}/users/invite`, {
        email: 'admin@contoso.example',
        password: t.adminPassword,
      });
      const csrf = csrfOf(form.page);
      const res = await postForm(jar, `${adminUrl}/users/invite`, {
        csrf,
        email: 'lia@partner.example',
        displayName: 'Lia',
        message: '',
        language: 'en-US',
        redirect: `${s.baseUrl}/myapps`,
        send: '1',
      });
      const page = await res.text();
      assert.equal(res.status, 200, page);
      assert.match(
        page,
        /<h2 id="sponsors">Sponsors<\/h2><ul class="links"><li><span>Admin[^<]*\(admin@contoso\.example\)<\/span>/,
      );
      const lia = (await t.api('GET', `/v1.0/users?$filter=${encodeURIComponent("mail eq 'lia@partner.example'")}`))
        .body.value[0];
      assert.deepEqual(
        (await sponsorsOf(lia.id)).map((x) => x.id),
        [t.admin.id],
      );
      const again = await postForm(jar, `${adminUrl}/users/invite`, {
        csrf,
        email: 'lia@partner.example',
        displayName: '',
        message: '',
        language: 'en-US',
        redirect: `${s.baseUrl}/myapps`,
        send: '1',
      });
      assert.equal(again.status, 200);
      assert.equal((await sponsorsOf(lia.id)).length, 1, 'a re-invite adds no second copy');
    });
  },
);
