// A password set with Graph's passwordProfile.forceChangePasswordNextSignIn must be changed at the next sign-in, in
// Chromium, on both stores: the member signs in to an app (registered through the API, openid-client as the app) with
// the given password and meets the change step before the app gets a code; a mismatch and the same password again are
// refused on the page; the new password leads on to the app, which gets its tokens; afterwards the old password no
// longer signs in and the new one does without the step.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import * as client from 'openid-client';
import type { Browser, Page } from 'playwright-core';

import { newUserBody } from '../helpers/api.ts';
import { browserSkip, haveBrowser, launchBrowser, startLandingSite } from '../helpers/browser.ts';
import { suite } from '../helpers/suite.ts';

const GIVEN = 'given-by-the-admin-1';
const MINE = 'a password of my own';

suite(
  'changing a reset password at the next sign-in',
  { runWorker: false, tenant: { name: 'Contoso', domain: 'contoso.example' } },
  ({ s, t }) => {
    let browser: Browser | undefined;
    let landing: Awaited<ReturnType<typeof startLandingSite>>;
    let rp: client.Configuration;
    let userId: string;
    before(async () => {
      landing = await startLandingSite();
      const app = await t.api('POST', '/v1.0/applications', {
        displayName: 'Timesheets',
        web: { redirectUris: [`${landing.origin}/callback`] },
      });
      assert.equal(app.status, 201, JSON.stringify(app.body));
      rp = await client.discovery(
        new URL(`${s.baseUrl}/${t.tenantId}/v2.0`),
        app.body.appId,
        app.body.passwordCredentials[0].secretText,
        undefined,
        { execute: [client.allowInsecureRequests] },
      );
      const user = await t.api('POST', '/v1.0/users', newUserBody('lea@contoso.example', 'Lea'));
      assert.equal(user.status, 201, JSON.stringify(user.body));
      userId = user.body.id;
    });
    after(async () => {
      await browser?.close();
      await landing?.close();
    });

    /** Lea opens Timesheets in a new browser and signs in with `password`: the page she is on afterwards. */
    async function signIn(password: string): Promise<{ page: Page; finish(): Promise<client.TokenEndpointResponse> }> {
      const verifier = client.randomPKCECodeVerifier();
      const state = client.randomState();
      const url = client.buildAuthorizationUrl(rp, {
        redirect_uri: `${landing.origin}/callback`,
        scope: 'openid profile',
        state,
        code_challenge: await client.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
      });
      browser ??= await launchBrowser();
      const page = await (await browser.newContext({ locale: 'en-US' })).newPage();
      page.setDefaultTimeout(15_000);
      page.on('pageerror', (error) => assert.fail(`script error: ${error.message}`));
      await page.goto(url.toString());
      await page.getByLabel('Email address').fill('lea@contoso.example');
      await page.getByRole('button', { name: 'Next' }).click();
      await page.getByLabel('Password').fill(password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      return {
        page,
        async finish() {
          await page.waitForURL((u) => u.origin === landing.origin);
          return client.authorizationCodeGrant(rp, new URL(page.url()), {
            pkceCodeVerifier: verifier,
            expectedState: state,
          });
        },
      };
    }

    it('asks for a new password before the app gets a code, then signs in with it', { skip: browserSkip }, async () => {
      if (!haveBrowser) return;
      const reset = await t.api('PATCH', `/v1.0/users/${userId}`, {
        passwordProfile: { password: GIVEN, forceChangePasswordNextSignIn: true },
      });
      assert.equal(reset.status, 204, JSON.stringify(reset.body));
      const visitsBefore = landing.visits.length;

      const { page, finish } = await signIn(GIVEN);
      await page.getByRole('heading', { name: 'Update your password', level: 1 }).waitFor();
      assert.equal(landing.visits.length, visitsBefore, 'the app got nothing yet');
      const newPassword = page.getByLabel('New password', { exact: true });
      const confirm = page.getByLabel('Confirm new password');
      assert.equal(await newPassword.getAttribute('autocomplete'), 'new-password');

      // Two different passwords: refused on the page, nothing changed.
      await newPassword.fill(MINE);
      await confirm.fill(`${MINE}!`);
      await page.getByRole('button', { name: 'Update password' }).click();
      assert.match(await page.getByRole('alert').innerText(), /do not match/);
      // The password that was given: refused too.
      await page.getByLabel('New password', { exact: true }).fill(GIVEN);
      await page.getByLabel('Confirm new password').fill(GIVEN);
      await page.getByRole('button', { name: 'Update password' }).click();
      assert.match(await page.getByRole('alert').innerText(), /other than the one you were given/);

      await page.getByLabel('New password', { exact: true }).fill(MINE);
      await page.getByLabel('Confirm new password').fill(MINE);
      await page.getByRole('button', { name: 'Update password' }).click();
      const tokens = await finish();
      assert.ok(tokens.id_token, 'the app gets its tokens after the change');
      await page.context().close();

      // The given password no longer signs in; the new one does, straight to the app.
      const old = await signIn(GIVEN);
      await old.page.getByRole('alert').waitFor();
      assert.equal(await old.page.getByRole('heading', { name: 'Update your password' }).count(), 0);
      await old.page.context().close();
      const mine = await signIn(MINE);
      assert.ok((await mine.finish()).id_token);
      await mine.page.context().close();

      const audit = (await t.api('GET', '/v1.0/auditLogs/directoryAudits?$top=100')).body.value as {
        activityDisplayName: string;
        targetResources: { id: string }[];
      }[];
      assert.ok(
        audit.some((e) => e.activityDisplayName === 'Change user password' && e.targetResources[0]?.id === userId),
      );
    });

    it('leaves a password set without the flag as it is', { skip: browserSkip }, async () => {
      if (!haveBrowser) return;
      const set = await t.api('PATCH', `/v1.0/users/${userId}`, {
        passwordProfile: { password: GIVEN, forceChangePasswordNextSignIn: false },
      });
      assert.equal(set.status, 204);
      const signedIn = await signIn(GIVEN);
      assert.ok((await signedIn.finish()).id_token);
      await signedIn.page.context().close();
    });
  },
);
