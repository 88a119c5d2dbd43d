// Opting out in real headless Chromium: the opt-out link of a real invitation email, the code from the SMTP catcher,
// "stop invitations from Contoso"; the next invitation is refused; the same page undoes it (a new code); the next
// invitation is accepted through the passcode flow and lands on the app.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';

import { registerApp } from '../../src/apps/apps.ts';
import { ManualClock } from '../../src/clock.ts';
import { assertGraphError, tenantWithApi, type TenantApi } from '../helpers/api.ts';
import { browserSkip, haveBrowser, launchBrowser, startLandingSite } from '../helpers/browser.ts';
import { optOutCode } from '../helpers/optout.ts';
import { mailedCode } from '../helpers/redeem.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const ADDRESS = 'opal@partner.example';

describe('opting out of invitations in a browser (sqlite)', { skip: browserSkip }, () => {
  // A manual clock only to pass the one-minute cool-down between two codes without waiting.
  const clock = new ManualClock(new Date());
  let s: TestServer;
  let t: TenantApi;
  let browser: Browser;
  let site: Awaited<ReturnType<typeof startLandingSite>>;

  before(async () => {
    if (!haveBrowser) return;
    s = await startTestServer('sqlite', { clock, runWorker: false });
    t = await tenantWithApi(s, 'Contoso');
    site = await startLandingSite();
    await s.portico.services.store.transaction((tx) =>
      registerApp(tx, clock, t.tenantId, {
        displayName: 'Expenses',
        grantTypes: ['authorization_code'],
        redirectUris: [`${site.origin}/callback`],
      }),
    );
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await site?.close();
    await s?.close();
  });

  const invite = async () => {
    const res = await t.api('POST', '/v1.0/invitations', {
      invitedUserEmailAddress: ADDRESS,
      inviteRedirectUrl: `${site.origin}/welcome`,
      sendInvitationMessage: true,
    });
    await s.portico.worker.runOnce();
    return res;
  };

  /** From the opt-out page: a code to the address, typed, with the choice labelled `choice`. */
  async function choose(page: Page, choice: string) {
    await page.getByRole('heading', { name: 'Stop invitations' }).waitFor();
    assert.match(await page.content(), /Invitations to opal@partner\.example/);
    await page.getByRole('button', { name: 'Email me a code' }).click();
    await page.getByRole('heading', { name: 'Enter the code' }).waitFor();
    await page.getByLabel('Code').fill(await optOutCode(s, ADDRESS));
    await page.getByLabel(choice).check();
    await page.getByRole('button', { name: 'Confirm' }).click();
    await page.getByRole('heading', { name: 'Your choice is saved' }).waitFor();
  }

  it('blocks Contoso from the email link, refuses its next invitation, undoes it, and the guest accepts again', async () => {
    assert.equal((await invite()).status, 201);
    const mail = s.smtp
      .messages()
      .filter((m) => m.to.includes(ADDRESS))
      .at(-1)!;
    const link = /href="([^"]*\/optout\?l=[^"]+)"/.exec(mail.html!)![1]!.replace(/&amp;/g, '&');

    const page = await (await browser.newContext()).newPage();
    page.on('pageerror', (error) => assert.fail(`script error: ${error.message}`));
    await page.goto(link);
    await choose(page, 'Stop invitations from Contoso');
    assert.match(await page.content(), /Invitations to opal@partner\.example from Contoso are stopped/);
    assertGraphError(await invite(), 403, 'Request_InviteeOptedOut');

    clock.advance(2 * 60_000);
    await page.getByRole('link', { name: /Change this/ }).click();
    await choose(page, 'Allow invitations from Contoso again');
    assert.match(await page.content(), /Contoso may invite opal@partner\.example again/);

    const again = await invite();
    assert.equal(again.status, 201);
    const guest = await (await browser.newContext()).newPage();
    await guest.goto(again.body.inviteRedeemUrl);
    await guest.getByRole('heading', { name: 'Accept invitation' }).waitFor();
    await guest.getByRole('button', { name: 'Accept invitation' }).click();
    await guest.getByRole('heading', { name: 'Enter code' }).waitFor();
    await guest.getByLabel('Code').fill(await mailedCode(s, ADDRESS));
    await guest.getByLabel('Code').press('Enter');
    await guest.getByRole('heading', { name: 'Review permissions' }).waitFor();
    await guest.getByRole('button', { name: 'Accept' }).click();
    await guest.waitForURL(`${site.origin}/welcome`);
    assert.equal((await t.api('GET', `/v1.0/users/${again.body.invitedUser.id}`)).body.externalUserState, 'Accepted');
  });
});
