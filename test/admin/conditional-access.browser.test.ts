// The admin center's Conditional Access page in Chromium: with no policy it offers the "require MFA for
// administrators" template, which one click creates in report-only mode; a policy is created from the form (guests
// included, a member excluded by user name, block), refused with a message when it includes no one, edited, and
// deleted after a confirmation; the authentication methods are switched off and on. Every change is read back
// through the API. A Security Reader reads the page and cannot change it; a Guest Inviter cannot open it.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';

import { csrfOf, openAdmin, staffMember } from '../helpers/admin.ts';
import { newUserBody, type GraphObject } from '../helpers/api.ts';
import { browserSkip, haveBrowser, launchBrowser } from '../helpers/browser.ts';
import { CookieJar, postForm } from '../helpers/signin.ts';
import { suite } from '../helpers/suite.ts';

const POLICIES = '/v1.0/identity/conditionalAccess/policies';
const GA = '62e90394-69f5-4237-9190-012177145e10';

suite(
  'admin center Conditional Access in a browser',
  { runWorker: false, tenant: { name: 'Contoso', domain: 'contoso.example', adminEmail: 'admin@contoso.example' } },
  ({ s, t }) => {
    let browser: Browser;
    let member: GraphObject;
    const password = newUserBody('x').passwordProfile.password;
    before(async () => {
      member = (await t.api('POST', '/v1.0/users', newUserBody('mia@contoso.example', 'Mia'))).body;
      if (haveBrowser) browser = await launchBrowser();
    });
    after(async () => {
      await browser?.close();
    });
    const unlabelled = (page: Page) =>
      page.evaluate(() =>
        [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
          .filter((el) => (el as HTMLInputElement).labels?.length === 0)
          .map((el) => el.outerHTML),
      );
    const byId = (page: Page, id: string) => page.locator(`[id="${id}"]`);
    // The API's JSON, as the tests read it (the shape is asserted by the API tests).
    type Json = ReturnType<typeof JSON.parse>;
    const policies = async (): Promise<Json[]> => (await t.api('GET', POLICIES)).body.value;

    it(
      'creates from the template and the form, refuses, edits, deletes, and sets the methods',
      { skip: browserSkip },
      async () => {
        const page = await (await browser.newContext()).newPage();
        page.on('pageerror', (error) => assert.fail(`script error: ${error.message}`));
        await page.goto(`${s.baseUrl}/admin/${t.tenantId}/conditional-access`);
        await page.getByLabel('Email address').fill('admin@contoso.example');
        await page.getByRole('button', { name: 'Next' }).click();
        await page.getByLabel('Password').fill(t.adminPassword);
        await page.getByRole('button', { name: 'Sign in' }).click();
        await page.getByRole('heading', { name: 'Conditional Access', level: 1 }).waitFor();
        assert.deepEqual(await unlabelled(page), []);

        // The template, while there is no policy: one click, report-only.
        await page.getByRole('button', { name: 'Create from template' }).click();
        await page.getByRole('status').filter({ hasText: 'The policy was created.' }).waitFor();
        assert.equal(
          await page.getByRole('button', { name: 'Create from template' }).count(),
          0,
          'offered only while none',
        );
        const [template] = await policies();
        assert.equal(template!.displayName, 'Require multifactor authentication for admins');
        assert.equal(template!.state, 'enabledForReportingButNotEnforced');
        assert.ok(template!.conditions.users.includeRoles.includes(GA));
        assert.deepEqual(template!.grantControls.builtInControls, ['mfa']);

        // A new policy from the form.
        await page.getByRole('link', { name: 'New policy' }).click();
        assert.deepEqual(await unlabelled(page), []);
        await page.getByLabel('Name', { exact: true }).fill('Block guests');
        await page.getByRole('button', { name: 'Save' }).click();
        await page.getByRole('alert').filter({ hasText: 'must include someone' }).waitFor();
        assert.equal((await policies()).length, 1, 'refused: nothing created');
        await byId(page, 'includeGuest.b2bCollaborationGuest').check();
        await byId(page, 'excludeUsers').fill('mia@contoso.example');
        await byId(page, 'grant-block').check();
        await byId(page, 'state-enabled').check();
        await page.getByRole('button', { name: 'Save' }).click();
        await page.getByRole('status').filter({ hasText: 'The policy was created.' }).waitFor();
        const created = (await policies()).find((p) => p.displayName === 'Block guests')!;
        assert.equal(created.state, 'enabled');
        assert.equal(
          created.conditions.users.includeGuestsOrExternalUsers.guestOrExternalUserTypes,
          'b2bCollaborationGuest',
        );
        assert.deepEqual(created.conditions.users.excludeUsers, [member.id]);
        assert.deepEqual(created.conditions.applications.includeApplications, ['All']);
        assert.deepEqual(created.grantControls.builtInControls, ['block']);

        // Edit: the form shows what is stored (the user by name); turned off.
        await page.getByRole('link', { name: 'Block guests' }).click();
        assert.equal(await byId(page, 'excludeUsers').inputValue(), 'mia@contoso.example');
        assert.equal(await byId(page, 'includeGuest.b2bCollaborationGuest').isChecked(), true);
        await byId(page, 'state-disabled').check();
        await page.getByRole('button', { name: 'Save' }).click();
        await page.getByRole('status').filter({ hasText: 'The policy was saved.' }).waitFor();
        assert.equal((await t.api('GET', `${POLICIES}/${created.id}`)).body.state, 'disabled');

        // Delete, after a confirmation.
        await page.getByRole('link', { name: 'Block guests' }).click();
        await page.getByRole('link', { name: 'Delete', exact: true }).click();
        await page.getByText('Delete the policy “Block guests”?').waitFor();
        await page.getByRole('button', { name: 'Delete' }).click();
        await page.getByRole('status').filter({ hasText: 'The policy was deleted.' }).waitFor();
        assert.deepEqual(
          (await policies()).map((p) => p.displayName),
          ['Require multifactor authentication for admins'],
        );

        // The authentication methods.
        await byId(page, 'enabled-softwareOath').uncheck();
        await page
          .locator('form', { has: byId(page, 'enabled-softwareOath') })
          .getByRole('button', { name: 'Save' })
          .click();
        await page.getByRole('status').filter({ hasText: 'The authentication methods were saved.' }).waitFor();
        const methods = (await t.api('GET', '/v1.0/policies/authenticationMethodsPolicy')).body
          .authenticationMethodConfigurations as { id: string; state: string }[];
        assert.deepEqual(
          methods.map((m) => [m.id, m.state]),
          [
            ['Fido2', 'enabled'],
            ['SoftwareOath', 'disabled'],
            ['Email', 'enabled'],
          ],
        );
        await byId(page, 'targets-fido2').fill('not-a-group');
        await page
          .locator('form', { has: byId(page, 'enabled-softwareOath') })
          .getByRole('button', { name: 'Save' })
          .click();
        await page.getByRole('alert').waitFor();
        assert.equal(
          (await t.api('GET', '/v1.0/policies/authenticationMethodsPolicy')).body.authenticationMethodConfigurations[0]
            .includeTargets[0].id,
          'all_users',
          'refused: nothing changed',
        );
      },
    );

    it('lets a Security Reader read and not change; keeps a Guest Inviter out', async () => {
      const reader = await staffMember(t, 'reader', 'contoso.example', password, ['Security Reader']);
      const jar = new CookieJar();
      const read = await openAdmin(s, jar, `${s.baseUrl}/admin/${t.tenantId}/conditional-access`, reader);
      assert.equal(read.status, 200);
      assert.match(read.page, /Only a Global Administrator can change these settings/);
      assert.doesNotMatch(read.page, /Create from template|New policy/);
      const before = (await policies()).length;
      const refused = await postForm(jar, `${s.baseUrl}/admin/${t.tenantId}/conditional-access/template`, {
        csrf: csrfOf(read.page),
      });
      assert.equal(refused.status, 403);
      assert.equal((await policies()).length, before, 'nothing created');

      const inviter = await staffMember(t, 'inviter', 'contoso.example', password, ['Guest Inviter']);
      const out = await openAdmin(s, new CookieJar(), `${s.baseUrl}/admin/${t.tenantId}/conditional-access`, inviter);
      assert.equal(out.status, 403);
    });
  },
);
