// Post/redirect/get in the sign-in flows (issue #21), in Chromium on both stores: a guest redeems with an email
// passcode (a wrong code first) and a member signs in to an app with a password, both meeting terms of use. After
// every POST the browser is at a GET address, and a reload shows the same page and repeats nothing: no second audit
// event, sign-in log entry or mail (counted through the API and the mail catcher); the flow then still completes.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';

import { inviteGuest, newUserBody } from '../helpers/api.ts';
import { appClient, REDIRECT } from '../helpers/app-client.ts';
import { browserSkip, haveBrowser, launchBrowser } from '../helpers/browser.ts';
import { mailedCode } from '../helpers/redeem.ts';
import { suite } from '../helpers/suite.ts';

const TERMS = {
  displayName: 'Contoso house rules',
  isViewingBeforeAcceptanceRequired: false,
  // Asked of members too, so the member's app sign-in meets them.
  appliesTo: { users: 'allUsers', groupIds: [], includeAdministrators: false },
  file: {
    localizations: [
      {
        fileName: 'rules.txt',
        language: 'en-US',
        isDefault: true,
        fileData: { data: Buffer.from('Be nice.').toString('base64') },
      },
    ],
  },
};

suite('post/redirect/get in the sign-in flows', { tenant: 'Contoso' }, ({ s, t }) => {
  let browser: Browser | undefined;
  before(async () => {
    if (!haveBrowser) return;
    const terms = await t.api('POST', '/v1.0/identityGovernance/termsOfUse/agreements', TERMS);
    assert.equal(terms.status, 201, JSON.stringify(terms.body));
    browser = await launchBrowser();
  });
  after(async () => browser?.close());

  const newPage = async (): Promise<Page> => {
    const page = await (await browser!.newContext()).newPage();
    page.on('pageerror', (error) => assert.fail(`script error: ${error.message}`));
    await page.route(`${REDIRECT}**`, (route) => route.fulfill({ status: 200, body: 'signed in' }));
    return page;
  };

  /** What a repeated action would add to: audit events, sign-in log entries, mails sent. */
  const counts = async () => {
    await s.portico.worker.runOnce();
    const audits = await t.api('GET', '/v1.0/auditLogs/directoryAudits?$top=999');
    const signIns = await t.api('GET', '/v1.0/auditLogs/signIns?$top=999');
    assert.equal(audits.status, 200, JSON.stringify(audits.body));
    assert.equal(signIns.status, 200, JSON.stringify(signIns.body));
    return {
      audits: (audits.body.value as unknown[]).length,
      signIns: (signIns.body.value as unknown[]).length,
      mails: s.smtp.messages().length,
    };
  };

  /**
   * After a POST that showed `heading` (and `text`, once, when given): the browser is at a GET address; a reload
   * shows the same page (without the one-time `text`) and adds nothing to the counts.
   */
  async function reloadRepeatsNothing(page: Page, heading: string, text?: string) {
    const shown = page.getByRole('heading', { name: heading, level: 1 });
    await shown.waitFor();
    if (text) await page.getByText(text).waitFor();
    const before = await counts();
    const response = await page.reload();
    assert.equal(response?.request().method(), 'GET', 'a reload is a GET, never the form posted again');
    await shown.waitFor();
    if (text) assert.equal(await page.getByText(text).count(), 0, 'the one-time message is not shown again');
    assert.deepEqual(await counts(), before, `reloading "${heading}" repeated nothing`);
  }

  it(
    'a passcode redemption: every POST answers with a GET page a reload shows again',
    { skip: browserSkip },
    async () => {
      const email = 'gus@partner.example';
      const { id, redeemUrl } = await inviteGuest(t.api, email);
      const page = await newPage();
      await page.goto(redeemUrl);
      await page.getByRole('button', { name: 'Accept invitation' }).click();
      await reloadRepeatsNothing(page, 'Enter code');
      const code = await mailedCode(s, email);

      await page.getByLabel('Code').fill(code === '000000' ? '111111' : '000000');
      await page.getByLabel('Code').press('Enter');
      await reloadRepeatsNothing(page, 'Enter code', "That code isn't right.");

      await page.getByLabel('Code').fill(code);
      await page.getByLabel('Code').press('Enter');
      await reloadRepeatsNothing(page, 'Review permissions');

      await page.getByRole('button', { name: 'Accept' }).click();
      await reloadRepeatsNothing(page, TERMS.displayName);
      const before = await counts();
      await page.getByRole('button', { name: 'Accept', exact: true }).click();
      await page.waitForURL((url) => !url.pathname.startsWith('/redeem'));
      assert.equal((await t.api('GET', `/v1.0/users/${id}`)).body.externalUserState, 'Accepted');
      const after = await counts();
      assert.equal(after.signIns, before.signIns + 1, 'the redemption is logged once');
      assert.ok(after.audits > before.audits, 'the terms and the redemption are audited');
    },
  );

  it(
    'an app sign-in with password and terms: a reload after each POST repeats nothing',
    { skip: browserSkip },
    async () => {
      const created = await t.api('POST', '/v1.0/users', newUserBody(`mia@${t.domain}`));
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const rp = await appClient(s, t.tenantId, 'Reload check');
      const attempt = await rp.start();
      const page = await newPage();
      await page.goto(attempt.url);
      await page.getByLabel('Email address').fill(`mia@${t.domain}`);
      await page.getByRole('button', { name: 'Next' }).click();
      await reloadRepeatsNothing(page, 'Password');

      await page.getByLabel('Password').fill('not-the-password');
      await page.getByRole('button', { name: 'Sign in' }).click();
      const failed = await counts();
      await page.getByRole('alert').waitFor();
      const response = await page.reload();
      assert.equal(response?.request().method(), 'GET', 'a reload after a wrong password does not post it again');
      assert.deepEqual(await counts(), failed, 'no second failed sign-in is logged');

      await page.goto(attempt.url);
      await page.getByLabel('Email address').fill(`mia@${t.domain}`);
      await page.getByRole('button', { name: 'Next' }).click();
      await page.getByLabel('Password').fill('correct-horse-battery');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await reloadRepeatsNothing(page, TERMS.displayName);

      const before = await counts();
      await page.getByRole('button', { name: 'Accept', exact: true }).click();
      await page.waitForURL(`${REDIRECT}**`);
      const tokens = await attempt.tokens(page.url());
      assert.ok(tokens.id_token, 'the app gets its tokens');
      const after = await counts();
      assert.equal(after.signIns, before.signIns + 1, 'the sign-in is logged once');
      assert.equal(after.audits, before.audits + 1, 'the terms acceptance is audited once');
    },
  );
});
