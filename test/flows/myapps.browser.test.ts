// A guest's way into an organization's apps without the invitation email, in headless Chromium: a pending guest
// reaching the app first redeems and lands in it; later the common endpoint leads them by the organization's
// domain to My Apps, whose tile opens the app; a contact-conflicted guest is told to use the invitation email.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';

import { createApp } from '../../src/apps/apps.ts';
import { tenantWithApi, type TenantApi } from '../helpers/api.ts';
import { browserSkip, haveBrowser, launchBrowser, startLandingSite } from '../helpers/browser.ts';
import { relyingParty } from '../helpers/federation.ts';
import { mailedCode } from '../helpers/redeem.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

describe('direct links, the common endpoint and My Apps in a browser (sqlite)', { skip: browserSkip }, () => {
  let s: TestServer;
  let t: TenantApi;
  let home: TenantApi;
  let browser: Browser;
  let site: Awaited<ReturnType<typeof startLandingSite>>;
  let app: Awaited<ReturnType<typeof relyingParty>>;

  before(async () => {
    if (!haveBrowser) return;
    s = await startTestServer('sqlite', { runWorker: false });
    t = await tenantWithApi(s, 'Contoso', { domain: 'contoso.example', adminEmail: 'admin@contoso.example' });
    home = await tenantWithApi(s, 'Fabrikam', { domain: 'fabrikam.example', adminEmail: 'admin@fabrikam.example' });
    site = await startLandingSite();
    app = await relyingParty(s, t.tenantId, `${site.origin}/callback`);
    await s.portico.services.store.transaction((tx) =>
      createApp(
        tx,
        s.portico.services.clock,
        t.tenantId,
        {
          displayName: 'Expenses',
          grantTypes: ['authorization_code'],
          redirectUris: [`${site.origin}/expenses/callback`],
          homepageUrl: `${site.origin}/expenses`,
        },
        { kind: 'system', displayName: 'test' },
      ),
    );
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await site?.close();
    await s?.close();
  });

  const newPage = async (): Promise<Page> => {
    const page = await (await browser.newContext()).newPage();
    page.on('pageerror', (error) => assert.fail(`script error: ${error.message}`));
    return page;
  };

  async function typeAddressAndCode(page: Page, email: string) {
    await page.getByLabel('Email address').fill(email);
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('heading', { name: 'Enter code' }).waitFor();
    await page.getByLabel('Code').fill(await mailedCode(s, email));
    await page.getByRole('button', { name: 'Sign in' }).click();
  }

  it('a pending guest reaching the app first redeems, then finds it again through the common endpoint and My Apps', async () => {
    const inv = (
      await t.api('POST', '/v1.0/invitations', {
        invitedUserEmailAddress: 'pia@partner.example',
        inviteRedirectUrl: `${site.origin}/welcome`,
        sendInvitationMessage: false,
      })
    ).body;
    const first = await newPage();
    const { url, claims } = await app.authorize();
    await first.goto(url);
    await typeAddressAndCode(first, 'pia@partner.example');
    await first.getByRole('heading', { name: 'Review permissions' }).waitFor();
    await first.getByRole('button', { name: 'Accept' }).click();
    await first.waitForURL((u) => u.href.startsWith(`${site.origin}/callback`));
    const c = await claims(first.url());
    assert.equal(c.oid, inv.invitedUser.id);
    assert.equal(c.acct, 1);
    assert.equal((await t.api('GET', `/v1.0/users/${inv.invitedUser.id}`)).body.externalUserState, 'Accepted');
    await first.context().close();

    const later = await newPage();
    await later.goto(`${s.baseUrl}/myapps`);
    await later.getByText('Sign-in options').click();
    await later.getByLabel("Organization's domain name").fill('contoso.example');
    await later.getByRole('button', { name: 'Next' }).click();
    await typeAddressAndCode(later, 'pia@partner.example');
    await later.getByRole('heading', { name: 'My Apps' }).waitFor();
    assert.match(await later.content(), /Contoso \(guest\) \(current\)/);
    await later.getByRole('link', { name: 'Expenses' }).click();
    await later.waitForURL(`${site.origin}/expenses`);
    await later.context().close();
  });

  it('a contact-conflicted guest is told to use the invitation email', async () => {
    await t.api('POST', '/v1.0/contacts', { displayName: 'Quentin (contact)', mail: 'quentin@partner.example' });
    await t.api('POST', '/v1.0/invitations', {
      invitedUserEmailAddress: 'quentin@partner.example',
      inviteRedirectUrl: `${site.origin}/welcome`,
      sendInvitationMessage: false,
    });
    const page = await newPage();
    await page.goto(`${s.baseUrl}/myapps/contoso.example`);
    await page.getByLabel('Email address').fill('quentin@partner.example');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('alert').waitFor();
    assert.match(await page.getByRole('alert').innerText(), /Open the link in your invitation email/);
    await page.context().close();
  });

  /** The authorization URL of an app made with these settings (the code is never exchanged here). */
  async function appUrl(settings: { displayName: string; assignmentRequired?: boolean; adminOnly?: string[] }) {
    const { app: made } = await s.portico.services.store.transaction((tx) =>
      createApp(
        tx,
        s.portico.services.clock,
        t.tenantId,
        {
          displayName: settings.displayName,
          grantTypes: ['authorization_code'],
          redirectUris: [`${site.origin}/callback`],
          assignmentRequired: settings.assignmentRequired,
          delegatedPermissions: settings.adminOnly,
          adminConsentRequired: settings.adminOnly,
        },
        { kind: 'system', displayName: 'test' },
      ),
    );
    const url = new URL(`${s.baseUrl}/${t.tenantId}/v2.0/auth`);
    url.search = new URLSearchParams({
      client_id: made.clientId,
      response_type: 'code',
      scope: 'openid',
      redirect_uri: `${site.origin}/callback`,
      code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
      code_challenge_method: 'S256',
      state: 'st',
    }).toString();
    return url.toString();
  }

  async function signInAsAdmin(page: Page, url: string) {
    await page.goto(url);
    await page.getByLabel('Email address').fill('admin@contoso.example');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('Password').fill(t.adminPassword);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }

  it('an app requiring assignment and an app needing admin consent each refuse with a page that says why', async () => {
    const page = await newPage();
    await signInAsAdmin(page, await appUrl({ displayName: 'Payroll', assignmentRequired: true }));
    await page.getByRole('heading', { name: "You don't have access to Payroll" }).waitFor();
    await page.goto(await appUrl({ displayName: 'Reports', adminOnly: ['Reports.Read.All'] }));
    await page.getByRole('heading', { name: 'Admin consent required' }).waitFor();
    assert.match(await page.content(), /Reports asks for permissions at Contoso that only an administrator can grant/);
    await page.context().close();
  });

  it('an alias of the invited address is refused on the direct path, with what to do', async () => {
    await home.api('POST', '/v1.0/users', {
      accountEnabled: true,
      displayName: 'Cy',
      mailNickname: 'cy',
      userPrincipalName: 'cy@fabrikam.example',
      mail: 'cy.smith@fabrikam.example',
      passwordProfile: { password: 'correct-horse-battery' },
    });
    await t.api('POST', '/v1.0/invitations', {
      invitedUserEmailAddress: 'cy@fabrikam.example',
      inviteRedirectUrl: `${site.origin}/welcome`,
      sendInvitationMessage: false,
    });
    const page = await newPage();
    await page.goto((await app.authorize()).url);
    await page.getByLabel('Email address').fill('cy@fabrikam.example');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('Password').fill('correct-horse-battery');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').waitFor();
    assert.match(await page.getByRole('alert').innerText(), /only works through the link in your invitation email/);
    await page.context().close();
  });
});
