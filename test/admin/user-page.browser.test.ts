// Issue #21's user page and invite form in Chromium, at 1280 and 390 px: a redeemed guest's page shows every property
// of Entra's guest overview (state in words, never Graph's raw value); Edit properties changes what the API then
// returns, once (a reload repeats nothing), and refuses a bad value beside its field changing nothing; sponsors and
// groups are added and removed there; the invite form invites a Member with a CC recipient, a sponsor, a group and an
// app in one go; refusals speak the admin's words, never the API's property names; the overview's tiles lead to
// their lists. Every page reached passes the doctype, width and axe-core checks.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';

import { adminInBrowser, checkedAt, csrfOf, openAdmin } from '../helpers/admin.ts';
import { inviteGuest, newUserBody, type GraphObject } from '../helpers/api.ts';
import { browserSkip, haveBrowser, launchBrowser } from '../helpers/browser.ts';
import { checkPage, checkShown } from '../helpers/page-checks.ts';
import { redeemedGuest } from '../helpers/redeem.ts';
import { CookieJar, postForm, request, RESULT } from '../helpers/signin.ts';
import { suite } from '../helpers/suite.ts';

const WIDTHS = [1280, 390] as const;
const API_NAMES = /invitedUserEmailAddress|inviteRedirectUrl|ccRecipients|userPrincipalName|displayName|otherMails/;

suite(
  'admin center user page and invite form in a browser',
  { runWorker: false, tenant: { name: 'Contoso', domain: 'contoso.example', adminEmail: 'admin@contoso.example' } },
  ({ s, t }) => {
    let browser: Browser;
    let group: GraphObject;
    let app: GraphObject;
    let sponsor: GraphObject;
    before(async () => {
      if (!haveBrowser) return;
      browser = await launchBrowser();
      group = (
        await t.api('POST', '/v1.0/groups', {
          displayName: 'Partners',
          mailEnabled: false,
          mailNickname: 'partners',
          securityEnabled: true,
        })
      ).body;
      app = (
        await t.api('POST', '/v1.0/applications', {
          displayName: 'Timesheets',
          web: { redirectUris: ['https://timesheets.example/callback'] },
        })
      ).body;
      sponsor = (await t.api('POST', '/v1.0/users', newUserBody('sam@contoso.example', 'Sam Sponsor'))).body;
    });
    after(async () => {
      await browser?.close();
    });

    /** A browser signed in to the admin center as the tenant's Global Administrator, `width` px wide. */
    const adminAt = (width: number) => adminInBrowser(browser, s, t, 'admin@contoso.example', checkedAt(width));

    const audits = async () =>
      ((await t.api('GET', '/v1.0/auditLogs/directoryAudits?$top=999')).body.value as unknown[]).length;
    /** The value in the user page's property table beside `label`. */
    const property = (page: Page, label: string) =>
      page
        .locator('table.properties tr', { has: page.getByRole('rowheader', { name: label, exact: true }) })
        .locator('td')
        .innerText();
    const minute = (iso: string) => `${iso.slice(0, 16).replace('T', ' ')} UTC`;

    for (const width of WIDTHS)
      it(`shows every property of a redeemed guest at ${width} px`, { skip: browserSkip }, async () => {
        const email = `cy${width}@fabrikam.example`;
        const cy = await redeemedGuest(s, t.api, email, `Cy ${width}`);
        const graph = (
          await t.api(
            'GET',
            `/v1.0/users/${cy.id}?$select=id,userPrincipalName,createdDateTime,externalUserStateChangeDateTime,identities,signInActivity`,
          )
        ).body;
        await t.api('POST', `/v1.0/groups/${group.id}/members/$ref`, {
          '@odata.id': `${s.baseUrl}/v1.0/directoryObjects/${cy.id}`,
        });
        await t.api('POST', `/v1.0/users/${cy.id}/appRoleAssignments`, {
          principalId: cy.id,
          resourceId: app.id,
          appRoleId: '00000000-0000-0000-0000-000000000000',
        });
        const { context, page } = await adminAt(width);
        const url = `${s.baseUrl}/admin/${t.tenantId}/users/${cy.id}`;
        assert.deepEqual(await checkPage(page, url), []);
        assert.equal(await property(page, 'Object ID'), cy.id);
        assert.equal(await property(page, 'User principal name'), graph.userPrincipalName);
        assert.match(graph.userPrincipalName, /#EXT#@/);
        assert.equal(await property(page, 'Created'), minute(graph.createdDateTime));
        assert.equal(await property(page, 'Type'), 'Guest');
        assert.equal(await property(page, 'Invitation state'), 'Accepted');
        assert.equal(await property(page, 'State changed'), minute(graph.externalUserStateChangeDateTime));
        assert.equal(await property(page, 'Source'), 'Email OTP');
        assert.equal(await property(page, 'Identities'), `mail (${email})`);
        const last = graph.signInActivity.lastSignInDateTime as string | null;
        assert.equal(await property(page, 'Last sign-in'), last ? minute(last) : 'Never');
        assert.equal(await property(page, 'Apps'), 'Timesheets');
        // The sponsor (the inviting app sponsors nobody) and the group are listed with their remove buttons.
        const groups = page.locator('h2#groups + ul.links');
        assert.match(await groups.innerText(), /Partners/);
        assert.equal(await page.getByRole('link', { name: 'Remove from Partners' }).count(), 1);
        await context.close();
      });

    it('never shows the raw invitation state', { skip: browserSkip }, async () => {
      const { id } = await inviteGuest(t.api, 'pending@fabrikam.example', 'Pen');
      const jar = new CookieJar();
      const { page } = await openAdmin(s, jar, `${s.baseUrl}/admin/${t.tenantId}/users/${id}`, {
        email: 'admin@contoso.example',
        password: t.adminPassword,
      });
      assert.match(page, /Pending acceptance/);
      assert.doesNotMatch(page, /PendingAcceptance/);
      // In German too: every new word is in both catalogs.
      const de = await (
        await request(jar, `${s.baseUrl}/admin/${t.tenantId}/users/${id}`, { headers: { 'accept-language': 'de-DE' } })
      ).text();
      for (const word of ['Objekt-ID', 'Benutzerprinzipalname', 'Letzte Anmeldung', 'Eigenschaften bearbeiten'])
        assert.ok(de.includes(word), word);
      assert.doesNotMatch(de, /PendingAcceptance/);
    });

    for (const width of WIDTHS)
      it(
        `edits properties once, and refuses a bad value changing nothing, at ${width} px`,
        { skip: browserSkip },
        async () => {
          const dee = await redeemedGuest(s, t.api, `dee${width}@fabrikam.example`, 'Dee');
          const { context, page } = await adminAt(width);
          const userUrl = `${s.baseUrl}/admin/${t.tenantId}/users/${dee.id}`;
          await page.goto(userUrl);
          await page.getByRole('link', { name: 'Edit properties' }).click();
          await page.getByRole('heading', { name: 'Edit properties: Dee', level: 1 }).waitFor();
          assert.deepEqual(await checkShown(page), []);
          assert.equal(
            await page.getByLabel('User principal name').count(),
            0,
            "a guest's user name is its invitation's",
          );

          // A bad value: an empty display name and an address that is none. Refused beside the fields; nothing changes.
          const before = await audits();
          await page.getByLabel('Display name').fill('   ');
          await page.getByLabel('Other email addresses').fill('dee@');
          await page.getByRole('button', { name: 'Save' }).click();
          await page.locator('#displayName-error').waitFor();
          assert.equal(await page.locator('#displayName-error').innerText(), 'Enter a value.');
          assert.match(await page.locator('#otherMails-error').innerText(), /'dee@' is not a valid email address/);
          assert.doesNotMatch(await page.locator('main, body').first().innerText(), API_NAMES);
          assert.equal(await page.getByLabel('Display name').getAttribute('aria-invalid'), 'true');
          assert.deepEqual(await checkShown(page), []);
          assert.equal(await audits(), before, 'a refused edit records nothing');
          assert.equal((await t.api('GET', `/v1.0/users/${dee.id}`)).body.displayName, 'Dee', 'and changes nothing');

          await page.getByLabel('Display name').fill('Dee Dubois');
          await page.getByLabel('First name').fill('Dee');
          await page.getByLabel('Last name').fill('Dubois');
          await page.getByLabel('Other email addresses').fill('dee.private@example.org');
          await page.getByRole('button', { name: 'Save' }).click();
          await page.getByText('Done: Properties saved.').waitFor();
          const after = (await t.api('GET', `/v1.0/users/${dee.id}`)).body;
          assert.equal(after.displayName, 'Dee Dubois');
          assert.equal(after.givenName, 'Dee');
          assert.equal(after.surname, 'Dubois');
          assert.deepEqual(after.otherMails, ['dee.private@example.org']);
          assert.equal(await audits(), before + 1, 'one audit event');
          const event = (await t.api('GET', `/v1.0/auditLogs/directoryAudits?$top=1`)).body.value[0];
          assert.equal(event.activityDisplayName, 'Update user');
          // Post/redirect/get: the outcome is at a GET address, shown once; a reload records no second change.
          assert.match(page.url(), /\/results\/[0-9a-f-]{36}$/);
          await page.reload();
          await page.getByRole('heading', { level: 1 }).waitFor();
          assert.equal(await audits(), before + 1, 'the reload repeats nothing');
          await context.close();
        },
      );

    it('adds and removes a sponsor and a group on the user page', { skip: browserSkip }, async () => {
      const eve = await redeemedGuest(s, t.api, 'eve@fabrikam.example', 'Eve');
      const { context, page } = await adminAt(390);
      await page.goto(`${s.baseUrl}/admin/${t.tenantId}/users/${eve.id}`);
      // Someone who is no user of the tenant: refused beside the field, in words.
      await page.getByLabel('Sponsor to add').fill('nobody@contoso.example');
      await page.getByRole('button', { name: 'Add sponsor' }).click();
      await page.locator('#sponsor-error').waitFor();
      assert.match(await page.locator('#sponsor-error').innerText(), /No user of this organization/);
      await page.getByLabel('Sponsor to add').fill('sam@contoso.example');
      await page.getByRole('button', { name: 'Add sponsor' }).click();
      await page.getByText('Done: Sponsor added.').waitFor();
      const sponsors = async () =>
        ((await t.api('GET', `/v1.0/users/${eve.id}/sponsors`)).body.value as GraphObject[]).map((x) => x.id);
      assert.ok((await sponsors()).includes(sponsor.id));
      await page.getByLabel('Group to add the user to').selectOption({ label: 'Partners' });
      await page.getByRole('button', { name: 'Add to group' }).click();
      await page.getByText('Done: Added to the group.').waitFor();
      const members = async () =>
        ((await t.api('GET', `/v1.0/groups/${group.id}/members?$top=999`)).body.value as GraphObject[]).map(
          (x) => x.id,
        );
      assert.ok((await members()).includes(eve.id));
      assert.deepEqual(await checkShown(page), []);

      await page.getByRole('link', { name: 'Remove sponsor Sam Sponsor' }).click();
      await page.getByRole('button', { name: 'Remove sponsor' }).click();
      await page.getByText('Done: Sponsor removed.').waitFor();
      assert.ok(!(await sponsors()).includes(sponsor.id));
      await page.getByRole('link', { name: 'Remove from Partners' }).click();
      await page.getByRole('button', { name: 'Remove from group' }).click();
      await page.getByText('Done: Removed from the group.').waitFor();
      assert.ok(!(await members()).includes(eve.id));
      await context.close();
    });

    for (const width of WIDTHS)
      it(
        `invites a Member with a CC, a sponsor, a group and an app at ${width} px`,
        { skip: browserSkip },
        async () => {
          const email = `fay${width}@fabrikam.example`;
          const cc = `manager${width}@fabrikam.example`;
          const { context, page } = await adminAt(width);
          const invite = `${s.baseUrl}/admin/${t.tenantId}/users/invite`;
          assert.deepEqual(await checkPage(page, invite), []);

          // Bad input first: each refusal beside its field, in words, naming none of the API's properties.
          await page.getByLabel('Email address').fill('fay@@fabrikam');
          await page.getByLabel('Send a copy to').fill('not an address');
          await page.getByLabel('Redirect after accepting').fill('javascript:alert(1)');
          await page.getByRole('button', { name: 'Invite', exact: true }).click();
          await page.locator('#email-error').waitFor();
          assert.match(await page.locator('#email-error').innerText(), /'fay@@fabrikam' is not a valid email address/);
          assert.match(await page.locator('#cc-error').innerText(), /is not a valid email address/);
          assert.doesNotMatch(await page.locator('body').innerText(), API_NAMES);
          assert.deepEqual(await checkShown(page), []);
          await page.getByLabel('Email address').fill(email);
          await page.getByLabel('Send a copy to').fill(cc);
          await page.getByRole('button', { name: 'Invite', exact: true }).click();
          await page.locator('#redirect-error').waitFor();
          assert.match(await page.locator('#redirect-error').innerText(), /complete web address/);
          assert.doesNotMatch(await page.locator('body').innerText(), API_NAMES);
          assert.equal(
            (await t.api('GET', `/v1.0/users?$filter=mail eq '${email}'`)).body.value.length,
            0,
            'refused: nobody invited',
          );

          await page.getByLabel('Redirect after accepting').fill(`${s.baseUrl}/myapps`);
          await page.getByLabel('Member').check();
          await page.getByLabel('Personal message').fill('Welcome aboard.');
          await page.getByLabel('Sponsors').fill('sam@contoso.example');
          await page.getByLabel('Add to groups').selectOption({ label: 'Partners' });
          await page.getByLabel('Assign apps').selectOption({ label: 'Timesheets' });
          await page.getByRole('button', { name: 'Invite', exact: true }).click();
          await page.getByText(`Invitation sent to ${email}.`).waitFor();
          assert.deepEqual(await checkShown(page), []);

          const fay = (await t.api('GET', `/v1.0/users?$filter=mail eq '${email}'`)).body.value[0] as GraphObject;
          assert.equal(fay.userType, 'Member');
          const sponsors = (await t.api('GET', `/v1.0/users/${fay.id}/sponsors`)).body.value as GraphObject[];
          assert.deepEqual(
            sponsors.map((x) => x.id),
            [sponsor.id],
          );
          const members = (await t.api('GET', `/v1.0/groups/${group.id}/members?$top=999`)).body.value as GraphObject[];
          assert.ok(
            members.some((m) => m.id === fay.id),
            'in the group',
          );
          const assigned = (await t.api('GET', `/v1.0/applications/${app.id}/appRoleAssignedTo`)).body
            .value as GraphObject[];
          assert.ok(
            assigned.some((a) => a.principalId === fay.id),
            'assigned to the app',
          );
          await s.portico.worker.runOnce();
          const mail = s.smtp.messages().find((m) => m.to.includes(email));
          assert.ok(mail, 'the invitation was mailed');
          assert.deepEqual(mail.cc, [cc], 'with the CC recipient');
          assert.match(mail.text, /Welcome aboard\./);
          await context.close();
        },
      );

    it('leads from each overview tile to its filtered list', { skip: browserSkip }, async () => {
      const { context, page } = await adminAt(390);
      await page
        .getByRole('link', { name: /Guests/ })
        .first()
        .click();
      await page.waitForURL(/\/users\?type=Guest$/);
      assert.equal(await page.getByLabel('User type').inputValue(), 'Guest');
      await page.goBack();
      await page.getByRole('link', { name: /Pending invitations/ }).click();
      await page.waitForURL(/\/users\?type=Guest&state=PendingAcceptance$/);
      await page.goBack();
      await page.getByRole('link', { name: /Undeliverable/ }).click();
      await page.waitForURL(/\/outbox\?state=dead$/);
      await context.close();
    });

    it('refuses an invite over HTTP with words, not property names', async () => {
      const jar = new CookieJar();
      const form = await openAdmin(s, jar, `${s.baseUrl}/admin/${t.tenantId}/users/invite`, {
        email: 'admin@contoso.example',
        password: t.adminPassword,
      });
      // The refusal is shown at its GET address (post/redirect/get), with its 400.
      const res = await postForm(jar, `${s.baseUrl}/admin/${t.tenantId}/users/invite`, {
        csrf: csrfOf(form.page),
        email: 'gus@fabrikam.example',
        redirect: `${s.baseUrl}/myapps`,
        sponsors: 'nobody@contoso.example',
        send: '1',
      });
      assert.match(res.url, RESULT);
      assert.equal(res.status, 400);
      const page = await res.text();
      assert.match(page, /No user of this organization has the address or user name/);
      assert.doesNotMatch(page, /invitedUserSponsors|sponsor\.notUser/);
      assert.equal((await t.api('GET', `/v1.0/users?$filter=mail eq 'gus@fabrikam.example'`)).body.value.length, 0);
    });
  },
);
