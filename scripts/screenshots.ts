// `npm run screenshots`: the main pages at 1280×800 into docs/screenshots/, so the README's pictures stay current.
// It starts a real Portico (a throwaway SQLite store, the loopback SMTP catcher), fills Contoso with a little of
// everything through the API and the flows, and drives Debian's Chromium through the pages as an admin and a guest.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';

import { tenantWithApi } from '../test/helpers/api.ts';
import { CHROMIUM, haveBrowser, launchBrowser } from '../test/helpers/browser.ts';
import { mailedCode } from '../test/helpers/redeem.ts';
import { startTestServer } from '../test/helpers/server.ts';

const OUT = join(import.meta.dirname, '..', 'docs', 'screenshots');
const VIEWPORT = { width: 1280, height: 800 };

if (!haveBrowser) {
  console.error(`${CHROMIUM} not found: install Debian's chromium (apt-get install -y chromium).`);
  process.exit(1);
}
mkdirSync(OUT, { recursive: true });

const s = await startTestServer('sqlite', { runWorker: true });
const browser = await launchBrowser();
const shots: string[] = [];
try {
  const t = await tenantWithApi(s, 'Contoso', { domain: 'contoso.example', adminEmail: 'admin@contoso.example' });
  const admin = `${s.baseUrl}/admin/${t.tenantId}`;
  const invite = async (email: string, name: string) =>
    (
      await t.api('POST', '/v1.0/invitations', {
        invitedUserEmailAddress: email,
        invitedUserDisplayName: name,
        inviteRedirectUrl: `${s.baseUrl}/myapps?tenantid=${t.tenantId}`,
        sendInvitationMessage: true,
        invitedUserMessageInfo: { customizedMessageBody: 'Welcome to the Fabrikam launch project.' },
      })
    ).body;
  await t.api('PATCH', `/v1.0/organization/${t.tenantId}`, {
    privacyProfile: { statementUrl: 'https://contoso.example/privacy', contactEmail: 'privacy@contoso.example' },
  });
  for (const [email, name] of [
    ['lena@fabrikam.example', 'Lena Fischer'],
    ['omar@northwind.example', 'Omar Haddad'],
    ['priya@tailspin.example', 'Priya Nair'],
  ] as const)
    await invite(email, name);
  await t.api('POST', '/v1.0/groups', {
    displayName: 'Launch partners',
    mailEnabled: false,
    securityEnabled: true,
    mailNickname: 'launch',
  });
  await t.api('POST', '/v1.0/applications', {
    displayName: 'Launch planner',
    web: { redirectUris: ['https://planner.contoso.example/callback'] },
  });
  await t
    .api('POST', '/v1.0/contacts', { displayName: 'Ravi Kumar', mail: 'ravi@woodgrove.example' })
    .catch(() => undefined);

  const context = await browser.newContext({ viewport: VIEWPORT });
  const page = await context.newPage();
  const shoot = async (p: Page, name: string) => {
    await p.screenshot({ path: join(OUT, `${name}.png`) });
    shots.push(name);
  };

  // The guest's side: the invitation link, the code, the consent, then My Apps.
  const guest = await invite('maya@adatum.example', 'Maya Lee');
  await page.goto(guest.inviteRedeemUrl);
  await page.getByRole('heading', { name: 'Accept invitation' }).waitFor();
  await shoot(page, 'redeem-landing');
  await page.getByRole('button', { name: 'Accept invitation' }).click();
  await page.getByRole('heading', { name: 'Enter code' }).waitFor();
  await shoot(page, 'redeem-code');
  await page.getByLabel('Code').fill(await mailedCode(s, 'maya@adatum.example'));
  await page.getByLabel('Code').press('Enter');
  await page.getByRole('heading', { name: 'Review permissions' }).waitFor();
  await shoot(page, 'redeem-consent');
  await page.getByRole('button', { name: 'Accept' }).click();
  await page.waitForURL(/\/myapps/);
  await page.waitForLoadState('load');
  await shoot(page, 'myapps');

  // The admin's side.
  const adminPage = await (await browser.newContext({ viewport: VIEWPORT })).newPage();
  await adminPage.goto(admin);
  await adminPage.getByLabel('Email address').fill('admin@contoso.example');
  await adminPage.getByRole('button', { name: 'Next' }).click();
  await adminPage.getByLabel('Password').fill(t.adminPassword);
  await adminPage.getByRole('button', { name: 'Sign in' }).click();
  await adminPage.getByRole('heading', { name: 'Overview' }).waitFor();
  await shoot(adminPage, 'admin-overview');
  const pages: [string, string][] = [
    ['admin-users', '/users'],
    ['admin-invite', '/users/invite'],
    ['admin-bulk', '/users/bulk'],
    ['admin-user', `/users/${guest.invitedUser.id}`],
    ['admin-contacts', '/contacts'],
    ['admin-groups', '/groups'],
    ['admin-apps', '/apps'],
    ['admin-domains', '/domains'],
    ['admin-identities', '/identities'],
    ['admin-cross-tenant', '/cross-tenant'],
    ['admin-terms', '/terms'],
    ['admin-branding', '/branding'],
    ['admin-logs', '/logs'],
    ['admin-outbox', '/outbox'],
  ];
  for (const [name, path] of pages) {
    const res = await adminPage.goto(`${admin}${path}`);
    if (!res?.ok()) throw new Error(`${path} answered ${res?.status()}`);
    await shoot(adminPage, name);
  }
  console.log(`${shots.length} screenshots at 1280×800 in ${OUT}:\n  ${shots.join('\n  ')}`);
} finally {
  await browser.close();
  await s.close();
}
