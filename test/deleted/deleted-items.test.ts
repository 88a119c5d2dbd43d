// Entra's deleted items through the API, on both stores: a redeemed guest with a group and an app assignment is
// deleted (it is in deletedItems, cannot sign in, its tokens are dead), restored (same id, group, assignment, and it
// signs in again with the same passcode identity), deleted again and, 30 days later by the injected clock, deleted for
// good by the maintenance sweep: then no row but the audit log names it.
import assert from 'node:assert/strict';
import { before, it } from 'node:test';

import { JOB } from '../../src/jobs/index.ts';
import { assertGraphError, newUserBody } from '../helpers/api.ts';
import { appClient, reach, REDIRECT, type AppClient } from '../helpers/app-client.ts';
import { mailedCode, redeemedGuest, submit } from '../helpers/redeem.ts';
import { findSecrets } from '../helpers/scan.ts';
import { CookieJar, follow, formAction, postForm, request } from '../helpers/signin.ts';
import { suite } from '../helpers/suite.ts';

const DAY = 86_400_000;
const csrfIn = (html: string) => /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';

suite(
  'deleted items',
  { clock: 'manual', runWorker: false, tenant: { name: 'Contoso', domain: 'contoso.example' } },
  ({ s, t, clock }) => {
    let rp: AppClient;
    let groupId: string;
    before(async () => {
      rp = await appClient(s, t.tenantId);
      const group = await t.api('POST', '/v1.0/groups', {
        displayName: 'Partners',
        mailEnabled: false,
        mailNickname: 'partners',
        securityEnabled: true,
      });
      assert.equal(group.status, 201);
      groupId = group.body.id;
    });

    /** A guest signs in to the app from a new browser: the sign-in page, the address, a mailed passcode. */
    async function guestSignsIn(email: string): Promise<{ callback?: string; page: string }> {
      const jar = new CookieJar();
      const attempt = await rp.start();
      const first = await follow(jar, attempt.url, s.baseUrl);
      const html = await first.res!.text();
      const res = await postForm(jar, new URL(formAction(html, '/identifier'), s.baseUrl).toString(), {
        login: email,
      });
      if (res.status !== 303) return { page: await res.text() };
      let next = await request(jar, new URL(res.headers.get('location')!, s.baseUrl).toString());
      for (let hops = 0; hops < 5 && next.status === 303; hops++)
        next = await request(jar, new URL(next.headers.get('location')!, s.baseUrl).toString());
      const page = await next.text();
      const done = await submit(s, { jar, csrf: csrfIn(page), page, status: next.status }, '/redeem/passcode', {
        code: await mailedCode(s, email),
      });
      if (!done.location) return { page: done.page };
      const landed = await reach(s, jar, done.location);
      if (landed.callback) assert.ok((await attempt.tokens(landed.callback)).id_token);
      return { callback: landed.callback, page: landed.page };
    }

    const deleted = async () =>
      ((await t.api('GET', '/v1.0/directory/deletedItems/microsoft.graph.user')).body.value as { id: string }[]).map(
        (u) => u.id,
      );

    it('deletes a redeemed guest to deleted items, restores it as it was, and the sweep deletes it for good', async () => {
      const email = 'gia@partner.example';
      const { id } = await redeemedGuest(s, t.api, email, 'Gia');
      assert.equal(
        (
          await t.api('POST', `/v1.0/groups/${groupId}/members/$ref`, {
            '@odata.id': `${s.baseUrl}/v1.0/directoryObjects/${id}`,
          })
        ).status,
        204,
      );
      assert.equal(
        (await t.api('POST', `/v1.0/applications/${rp.app.id}/appRoleAssignedTo`, { principalId: id })).status,
        201,
      );
      const signedIn = await guestSignsIn(email);
      assert.ok(signedIn.callback?.startsWith(REDIRECT), `the guest signs in: ${signedIn.page.slice(0, 300)}`);
      const before = (await t.api('GET', `/v1.0/users/${id}`)).body;

      assert.equal((await t.api('DELETE', `/v1.0/users/${id}`)).status, 204);
      assertGraphError(await t.api('GET', `/v1.0/users/${id}`), 404, 'Request_ResourceNotFound');
      assert.deepEqual(await deleted(), [id]);
      for (const cast of ['microsoft.graph.user', 'graph.user']) {
        const list = await t.api('GET', `/v1.0/directory/deletedItems/${cast}`);
        assert.equal(list.status, 200);
        assert.equal(
          list.body['@odata.context'],
          `${s.baseUrl}/v1.0/$metadata#directory/deletedItems/microsoft.graph.user`,
        );
        assert.equal(list.body.value[0].deletedDateTime, clock.now().toISOString());
      }
      const item = await t.api('GET', `/v1.0/directory/deletedItems/${id}`);
      assert.equal(item.status, 200);
      assert.equal(item.body['@odata.type'], '#microsoft.graph.user');
      assert.equal(item.body.userPrincipalName, before.userPrincipalName);
      assertGraphError(
        await t.api('GET', '/v1.0/directory/deletedItems/microsoft.graph.contact'),
        400,
        'Request_BadRequest',
      );
      // Gone from the group's members and the app's assignments while deleted; a second delete finds nothing.
      assert.deepEqual((await t.api('GET', `/v1.0/groups/${groupId}/members`)).body.value, []);
      assert.deepEqual((await t.api('GET', `/v1.0/applications/${rp.app.id}/appRoleAssignedTo`)).body.value, []);
      assertGraphError(await t.api('DELETE', `/v1.0/users/${id}`), 404, 'Request_ResourceNotFound');
      // A deleted guest cannot sign in: the sign-in page no longer knows the address.
      const refused = await guestSignsIn(email);
      assert.equal(refused.callback, undefined);
      assert.match(refused.page, /find an account with that address in Contoso/);

      const restored = await t.api('POST', `/v1.0/directory/deletedItems/${id}/restore`);
      assert.equal(restored.status, 200, JSON.stringify(restored.body));
      assert.equal(restored.body.id, id);
      const after = (await t.api('GET', `/v1.0/users/${id}`)).body;
      assert.deepEqual(after.identities, before.identities);
      assert.equal(after.externalUserState, 'Accepted');
      assert.deepEqual(await deleted(), []);
      assert.deepEqual(
        ((await t.api('GET', `/v1.0/groups/${groupId}/members`)).body.value as { id: string }[]).map((m) => m.id),
        [id],
      );
      assert.deepEqual(
        (
          (await t.api('GET', `/v1.0/applications/${rp.app.id}/appRoleAssignedTo`)).body.value as {
            principalId: string;
          }[]
        ).map((a) => a.principalId),
        [id],
      );
      const again = await guestSignsIn(email);
      assert.ok(again.callback?.startsWith(REDIRECT), `the restored guest signs in: ${again.page.slice(0, 300)}`);
      assertGraphError(
        await t.api('POST', `/v1.0/directory/deletedItems/${id}/restore`),
        404,
        'Request_ResourceNotFound',
      );

      // Deleted again: 29 days on it is still there; past 30 the sweep deletes it for good.
      assert.equal((await t.api('DELETE', `/v1.0/users/${id}`)).status, 204);
      clock.advance(29 * DAY);
      await s.portico.jobs.runOnce(JOB.maintenance);
      assert.deepEqual(await deleted(), [id]);
      clock.advance(DAY + 60_000);
      await s.portico.jobs.runOnce(JOB.maintenance);
      assert.deepEqual(await deleted(), []);
      assertGraphError(await t.api('GET', `/v1.0/directory/deletedItems/${id}`), 404, 'Request_ResourceNotFound');
      const hits = [...new Set((await findSecrets(s.testStore, [id], { files: false })).map((h) => h.split('.')[0]))];
      assert.deepEqual(hits, ['audit_events'], 'only the audit log still names the guest');
      const audit = await t.api('GET', '/v1.0/auditLogs/directoryAudits?$top=100');
      const activities = (audit.body.value as { activityDisplayName: string; targetResources: { id: string }[] }[])
        .filter((e) => e.targetResources.some((r) => r.id === id))
        .map((e) => e.activityDisplayName);
      for (const a of ['Delete user', 'Restore user', 'Hard delete user']) assert.ok(activities.includes(a), a);
    });

    it('restores only while the address is free, and deletes for good on request', async () => {
      const first = await t.api('POST', '/v1.0/users', newUserBody('max@contoso.example'));
      assert.equal(first.status, 201);
      assert.equal((await t.api('DELETE', `/v1.0/users/${first.body.id}`)).status, 204);
      // As in Entra, the deleted user's name is free at once; restoring the first then conflicts.
      const second = await t.api('POST', '/v1.0/users', newUserBody('max@contoso.example'));
      assert.equal(second.status, 201, JSON.stringify(second.body));
      const conflict = await t.api('POST', `/v1.0/directory/deletedItems/${first.body.id}/restore`);
      assertGraphError(conflict, 400, 'Request_MultipleObjectsWithSameKeyValue');
      assert.match(conflict.body.error.message, /max@contoso\.example/);
      assert.deepEqual(await deleted(), [first.body.id]);
      assert.equal((await t.api('DELETE', `/v1.0/directory/deletedItems/${first.body.id}`)).status, 204);
      assert.deepEqual(await deleted(), []);
      assertGraphError(
        await t.api('DELETE', `/v1.0/directory/deletedItems/${first.body.id}`),
        404,
        'Request_ResourceNotFound',
      );
      // A user in the directory is no deleted item: it cannot be purged directly.
      assertGraphError(
        await t.api('DELETE', `/v1.0/directory/deletedItems/${second.body.id}`),
        404,
        'Request_ResourceNotFound',
      );
      assert.equal((await t.api('GET', `/v1.0/users/${second.body.id}`)).status, 200);
    });
  },
);
