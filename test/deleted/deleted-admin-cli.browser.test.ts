// The admin center's Deleted items page in Chromium (restore; permanently delete after the confirmation page; a tab
// each for users, groups and applications) and `portico deleted list|restore|purge` (--type), on both stores. Users,
// groups and apps are made and deleted through the API; what the page and the CLI did is read back through the API.
import assert from 'node:assert/strict';
import { after, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';

import { adminInBrowser } from '../helpers/admin.ts';
import { newUserBody } from '../helpers/api.ts';
import { browserSkip, haveBrowser, launchBrowser } from '../helpers/browser.ts';
import { cliEnv } from '../helpers/cli.ts';
import { runCli } from '../helpers/spawn.ts';
import { suite } from '../helpers/suite.ts';

suite(
  'deleted items in the admin center and the CLI',
  { runWorker: false, tenant: { name: 'Contoso', domain: 'contoso.example', adminEmail: 'admin@contoso.example' } },
  ({ s, t }) => {
    let browser: Browser | undefined;
    after(async () => browser?.close());

    /** A member made through the API and deleted: its id. */
    async function deletedMember(name: string): Promise<string> {
      const made = await t.api('POST', '/v1.0/users', {
        ...newUserBody(`${name.toLowerCase()}@contoso.example`),
        displayName: name,
      });
      assert.equal(made.status, 201, JSON.stringify(made.body));
      assert.equal((await t.api('DELETE', `/v1.0/users/${made.body.id}`)).status, 204);
      return made.body.id;
    }

    /** The administrator signed in to the admin center in a new browser context, on the Deleted items page. */
    async function deletedItemsPage(): Promise<Page> {
      browser ??= await launchBrowser();
      const { page } = await adminInBrowser(browser, s, t, 'admin@contoso.example');
      const nav = page.getByRole('navigation', { name: 'Admin center sections' });
      await nav.getByRole('link', { name: 'Deleted items', exact: true }).click();
      await page.getByRole('heading', { name: 'Deleted items', level: 1 }).waitFor();
      return page;
    }

    /** A group and an app made through the API and deleted: their ids (and the app's appId). */
    async function deletedGroupAndApp(group: string, app: string) {
      const g = await t.api('POST', '/v1.0/groups', { displayName: group, mailEnabled: false, securityEnabled: true });
      assert.equal(g.status, 201, JSON.stringify(g.body));
      const a = await t.api('POST', '/v1.0/applications', {
        displayName: app,
        web: { redirectUris: ['https://app.example/callback'] },
      });
      assert.equal(a.status, 201, JSON.stringify(a.body));
      assert.equal((await t.api('DELETE', `/v1.0/groups/${g.body.id}`)).status, 204);
      assert.equal((await t.api('DELETE', `/v1.0/applications/${a.body.id}`)).status, 204);
      return { groupId: g.body.id as string, appObjectId: a.body.id as string, appId: a.body.appId as string };
    }

    it('restores and permanently deletes from the Deleted items page', { skip: browserSkip }, async () => {
      if (!haveBrowser) return;
      const annId = await deletedMember('Ann');
      const bobId = await deletedMember('Bob');
      const page = await deletedItemsPage();
      const annRow = page.getByRole('row', { name: /ann@contoso\.example/ });
      assert.match(await annRow.innerText(), /\b30\b/, 'thirty days left');
      await page.getByRole('button', { name: 'Restore: Ann' }).click();
      assert.equal(await page.getByRole('status').innerText(), 'Ann was restored.');
      assert.equal(await page.getByRole('row', { name: /ann@contoso\.example/ }).count(), 0);
      assert.equal((await t.api('GET', `/v1.0/users/${annId}`)).status, 200);

      await page
        .getByRole('row', { name: /bob@contoso\.example/ })
        .getByRole('link', { name: 'Permanently delete' })
        .click();
      await page.getByRole('heading', { name: 'Permanently delete Bob?', level: 1 }).waitFor();
      // Cancel leaves it there; the confirmation deletes it.
      await page.getByRole('link', { name: 'Cancel' }).click();
      await page.getByRole('heading', { name: 'Deleted items', level: 1 }).waitFor();
      assert.equal((await t.api('GET', `/v1.0/directory/deletedItems/${bobId}`)).status, 200);
      await page
        .getByRole('row', { name: /bob@contoso\.example/ })
        .getByRole('link', { name: 'Permanently delete' })
        .click();
      await page.getByRole('button', { name: 'Delete permanently' }).click();
      assert.equal(await page.getByRole('status').innerText(), 'Bob was deleted permanently.');
      assert.equal((await t.api('GET', `/v1.0/directory/deletedItems/${bobId}`)).status, 404);
      assert.equal((await t.api('GET', `/v1.0/users/${bobId}`)).status, 404);
      // A forged form changes nothing.
      const catId = await deletedMember('Cat');
      const forged = await page.request.post(`${s.baseUrl}/admin/${t.tenantId}/deleted/${catId}/purge`, {
        form: { csrf: 'forged' },
        maxRedirects: 0,
      });
      assert.equal(forged.status(), 403);
      assert.equal((await t.api('GET', `/v1.0/directory/deletedItems/${catId}`)).status, 200);
      assert.equal((await t.api('DELETE', `/v1.0/directory/deletedItems/${catId}`)).status, 204);
      await page.context().close();
    });

    it('restores a group and purges an app from their tabs', { skip: browserSkip }, async () => {
      if (!haveBrowser) return;
      const { groupId, appObjectId, appId } = await deletedGroupAndApp('Auditors', 'Ledger');
      const page = await deletedItemsPage();
      const tabs = page.getByRole('navigation', { name: 'Kinds of deleted items' });
      assert.equal(await tabs.getByRole('link', { name: 'Users' }).getAttribute('aria-current'), 'page');

      await tabs.getByRole('link', { name: 'Groups' }).click();
      assert.equal(await tabs.getByRole('link', { name: 'Groups' }).getAttribute('aria-current'), 'page');
      assert.match(await page.getByRole('row', { name: /Auditors/ }).innerText(), /\b30\b/, 'thirty days left');
      await page.getByRole('button', { name: 'Restore: Auditors' }).click();
      assert.equal(await page.getByRole('status').innerText(), 'Auditors was restored.');
      // Post/redirect/get: the outcome is a page of its own, on the groups' tab.
      assert.match(page.url(), /\?type=group&restored=/);
      assert.equal(await page.getByRole('row', { name: /Auditors/ }).count(), 0);
      assert.equal((await t.api('GET', `/v1.0/groups/${groupId}`)).status, 200);

      await tabs.getByRole('link', { name: 'Applications' }).click();
      const row = page.getByRole('row', { name: /Ledger/ });
      assert.match(await row.innerText(), new RegExp(appId));
      await row.getByRole('link', { name: 'Permanently delete' }).click();
      await page.getByRole('heading', { name: 'Permanently delete Ledger?', level: 1 }).waitFor();
      await page.getByRole('link', { name: 'Cancel' }).click();
      assert.equal((await t.api('GET', `/v1.0/directory/deletedItems/${appObjectId}`)).status, 200);
      await page
        .getByRole('row', { name: /Ledger/ })
        .getByRole('link', { name: 'Permanently delete' })
        .click();
      await page.getByRole('button', { name: 'Delete permanently' }).click();
      assert.equal(await page.getByRole('status').innerText(), 'The application was deleted permanently.');
      assert.match(page.url(), /\?type=application&purged=1/);
      assert.equal((await t.api('GET', `/v1.0/directory/deletedItems/${appObjectId}`)).status, 404);

      // A forged form changes nothing.
      assert.equal((await t.api('DELETE', `/v1.0/groups/${groupId}`)).status, 204);
      const forged = await page.request.post(`${s.baseUrl}/admin/${t.tenantId}/deleted/groups/${groupId}/purge`, {
        form: { csrf: 'forged' },
        maxRedirects: 0,
      });
      assert.equal(forged.status(), 403);
      assert.equal((await t.api('GET', `/v1.0/directory/deletedItems/${groupId}`)).status, 200);
      assert.equal((await t.api('DELETE', `/v1.0/directory/deletedItems/${groupId}`)).status, 204);
      await page.context().close();
    });

    it('lists, restores and purges with portico deleted', async () => {
      const env = cliEnv(s);
      const cli = async (...args: string[]) => {
        const ran = await runCli(['deleted', ...args, '--tenant', t.tenantId], env);
        return ran;
      };
      const danId = await deletedMember('Dan');
      const listed = await cli('list', '--json');
      assert.equal(listed.code, 0, listed.stderr);
      const value = (JSON.parse(listed.stdout) as { value: { id: string; permanentDeleteDateTime: string }[] }).value;
      assert.deepEqual(
        value.map((u) => u.id),
        [danId],
      );
      const restored = await cli('restore', '--user', 'dan@contoso.example');
      assert.equal(restored.code, 0, restored.stderr);
      assert.match(restored.stdout, /Restored dan@contoso\.example/);
      assert.equal((await t.api('GET', `/v1.0/users/${danId}`)).status, 200);
      const missing = await cli('restore', '--user', danId);
      assert.notEqual(missing.code, 0, 'a user in the directory is no deleted item');
      assert.equal((await t.api('DELETE', `/v1.0/users/${danId}`)).status, 204);
      const purged = await cli('purge', '--user', danId, '--json');
      assert.equal(purged.code, 0, purged.stderr);
      assert.equal((await t.api('GET', `/v1.0/directory/deletedItems/${danId}`)).status, 404);
      assert.match((await cli('list')).stdout, /no deleted users/);
    });

    it('lists, restores and purges groups and applications with portico deleted --type', async () => {
      const env = cliEnv(s);
      const cli = (...args: string[]) => runCli(['deleted', ...args, '--tenant', t.tenantId], env);
      const { groupId, appObjectId, appId } = await deletedGroupAndApp('Couriers', 'Dispatch');
      const listed = await cli('list', '--json');
      assert.equal(listed.code, 0, listed.stderr);
      const value = (JSON.parse(listed.stdout) as { value: { type: string; id: string; name: string | null }[] }).value;
      assert.deepEqual(
        value.map((x) => [x.type, x.id]),
        [
          ['group', groupId],
          ['application', appObjectId],
        ],
      );
      const groups = await cli('list', '--type', 'group');
      assert.match(groups.stdout, /Couriers/);
      assert.doesNotMatch(groups.stdout, /Dispatch/);
      assert.notEqual((await cli('list', '--type', 'device')).code, 0, 'an unknown type is refused');
      const unnamed = await cli('restore', '--type', 'group');
      assert.notEqual(unnamed.code, 0);
      assert.match(unnamed.stderr, /Name the deleted item/);

      const restored = await cli('restore', '--type', 'group', '--id', groupId);
      assert.equal(restored.code, 0, restored.stderr);
      assert.match(restored.stdout, /Restored Couriers/);
      assert.equal((await t.api('GET', `/v1.0/groups/${groupId}`)).status, 200);
      // The app by its appId.
      const purged = await cli('purge', '--type', 'application', '--id', appId, '--json');
      assert.equal(purged.code, 0, purged.stderr);
      assert.deepEqual(JSON.parse(purged.stdout), { tenantId: t.tenantId, type: 'application', purged: appObjectId });
      assert.equal((await t.api('GET', `/v1.0/directory/deletedItems/${appObjectId}`)).status, 404);
      const gone = await cli('purge', '--type', 'application', '--id', appId);
      assert.notEqual(gone.code, 0);
      assert.match(gone.stderr, /No deleted application of this tenant has the id or name/);
      assert.match((await cli('list', '--type', 'application')).stdout, /no deleted applications/);
    });
  },
);
