// The admin center's Deleted users page in Chromium (restore; permanently delete after the confirmation page) and
// `portico deleted list|restore|purge`, on both stores. Users are made and deleted through the API; what the page and
// the CLI did is read back through the API.
import assert from 'node:assert/strict';
import { after, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';

import { newUserBody } from '../helpers/api.ts';
import { browserSkip, haveBrowser, launchBrowser } from '../helpers/browser.ts';
import { cliEnv } from '../helpers/cli.ts';
import { runCli } from '../helpers/spawn.ts';
import { suite } from '../helpers/suite.ts';

suite(
  'deleted users in the admin center and the CLI',
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

    it('restores and permanently deletes from the Deleted users page', { skip: browserSkip }, async () => {
      if (!haveBrowser) return;
      const annId = await deletedMember('Ann');
      const bobId = await deletedMember('Bob');
      browser = await launchBrowser();
      const page: Page = await (await browser.newContext()).newPage();
      page.on('pageerror', (error) => assert.fail(`script error: ${error.message}`));
      await page.goto(`${s.baseUrl}/admin/${t.tenantId}`);
      await page.getByLabel('Email address').fill('admin@contoso.example');
      await page.getByRole('button', { name: 'Next' }).click();
      await page.getByLabel('Password').fill(t.adminPassword);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: 'Overview', level: 1 }).waitFor();

      const nav = page.getByRole('navigation', { name: 'Admin center sections' });
      await nav.getByRole('link', { name: 'Deleted users', exact: true }).click();
      await page.getByRole('heading', { name: 'Deleted users', level: 1 }).waitFor();
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
      await page.getByRole('heading', { name: 'Deleted users', level: 1 }).waitFor();
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
  },
);
