// What an app requires before a sign-in completes, over HTTP on both stores: assignment (members and guests,
// directly or through a group) and admin consent, each refused with a page that names the app and says what to do;
// and the sign-in log entry each attempt leaves.
import assert from 'node:assert/strict';
import { before, it } from 'node:test';

import { createApp } from '../../src/apps/apps.ts';
import { CookieJar, follow, formAction, postForm } from '../helpers/signin.ts';
import { suite } from '../helpers/suite.ts';

suite(
  'app assignment and admin consent at sign-in',
  { runWorker: false, tenant: { name: 'Contoso', domain: 'contoso.example', adminEmail: 'admin@contoso.example' } },
  ({ s, t }) => {
    const actor = { kind: 'system' as const, displayName: 'test' };
    before(async () => {
      await t.api('POST', '/v1.0/users', {
        accountEnabled: true,
        displayName: 'Mia',
        mailNickname: 'mia',
        userPrincipalName: 'mia@contoso.example',
        passwordProfile: { password: 'correct-horse-battery' },
      });
    });

    /** An app with these settings. */
    async function appWith(settings: { assignmentRequired?: boolean; permissions?: string[]; adminOnly?: string[] }) {
      const { store, clock } = s.portico.services;
      const made = await store.transaction((tx) =>
        createApp(
          tx,
          clock,
          t.tenantId,
          {
            displayName: 'Payroll',
            grantTypes: ['authorization_code'],
            redirectUris: ['http://127.0.0.1:1/callback'],
            assignmentRequired: settings.assignmentRequired,
            delegatedPermissions: settings.permissions,
            adminConsentRequired: settings.adminOnly,
          },
          actor,
        ),
      );
      return made;
    }

    /** Signs in at the app (client id) with a password; returns the page or the callback reached. */
    async function signInTo(clientId: string, email: string, password: string) {
      const jar = new CookieJar();
      const url = new URL(`${s.baseUrl}/${t.tenantId}/v2.0/auth`);
      url.search = new URLSearchParams({
        client_id: clientId,
        response_type: 'code',
        scope: 'openid',
        redirect_uri: 'http://127.0.0.1:1/callback',
        code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
        code_challenge_method: 'S256',
        state: 'st',
      }).toString();
      const identifier = await follow(jar, url.toString(), s.baseUrl);
      const pw = await postForm(
        jar,
        new URL(formAction(await identifier.res!.text(), '/identifier'), s.baseUrl).toString(),
        { login: email },
      );
      const done = await postForm(jar, new URL(formAction(await pw.text(), '/password'), s.baseUrl).toString(), {
        login: email,
        password,
      });
      if (done.status !== 303) return { status: done.status, page: await done.text(), url: '' };
      const reached = await follow(jar, new URL(done.headers.get('location')!, s.baseUrl).toString(), s.baseUrl);
      return {
        status: reached.res?.status ?? 303,
        page: reached.res ? await reached.res.text() : '',
        url: reached.url,
      };
    }

    const lastSignIn = async () => (await t.api('GET', '/v1.0/auditLogs/signIns?$top=1')).body.value[0];

    it('assignment required: an unassigned member is refused with a page naming the app; assigned through a group, they get in', async () => {
      const { app } = await appWith({ assignmentRequired: true });
      const refused = await signInTo(app.clientId, 'mia@contoso.example', 'correct-horse-battery');
      assert.equal(refused.status, 403);
      assert.match(refused.page.replace(/&#39;/g, "'"), /You don't have access to Payroll/);
      const entry = await lastSignIn();
      assert.equal(entry.status.errorCode, 50105);
      assert.equal(entry.appId, app.clientId);
      assert.equal(entry.userPrincipalName, 'mia@contoso.example');

      const mia = (await t.api('GET', `/v1.0/users?$filter=userPrincipalName eq 'mia@contoso.example'`)).body.value[0];
      const group = (
        await t.api('POST', '/v1.0/groups', {
          displayName: 'Payroll users',
          mailEnabled: false,
          mailNickname: 'payroll',
          securityEnabled: true,
        })
      ).body;
      await t.api('POST', `/v1.0/groups/${group.id}/members/$ref`, {
        '@odata.id': `${s.baseUrl}/v1.0/directoryObjects/${mia.id}`,
      });
      assert.equal(
        (await t.api('POST', `/v1.0/applications/${app.id}/appRoleAssignedTo`, { principalId: group.id })).status,
        201,
      );
      const allowed = await signInTo(app.clientId, 'mia@contoso.example', 'correct-horse-battery');
      assert.ok(allowed.url.startsWith('http://127.0.0.1:1/callback?code='), allowed.url);
      assert.equal((await lastSignIn()).status.errorCode, 0);
    });

    it('admin consent required: refused with what the admin must do until consent is granted', async () => {
      const { app } = await appWith({
        permissions: ['User.Read', 'Files.ReadWrite.All'],
        adminOnly: ['Files.ReadWrite.All'],
      });
      const refused = await signInTo(app.clientId, 'mia@contoso.example', 'correct-horse-battery');
      assert.equal(refused.status, 403);
      assert.match(refused.page, /Admin consent required/);
      assert.match(
        refused.page,
        /Payroll asks for permissions at Contoso that only an administrator can grant \(Files\.ReadWrite\.All\)/,
      );
      assert.match(refused.page, new RegExp(`portico app consent --tenant ${t.tenantId} --app ${app.clientId}`));
      assert.equal((await lastSignIn()).status.errorCode, 90094);
      assert.equal((await t.api('POST', `/v1.0/applications/${app.id}/adminConsent`)).status, 200);
      const allowed = await signInTo(app.clientId, 'mia@contoso.example', 'correct-horse-battery');
      assert.ok(allowed.url.startsWith('http://127.0.0.1:1/callback?code='), allowed.url);
    });

    it("failed passwords and unknown names are logged with Entra's codes", async () => {
      const { app } = await appWith({});
      await signInTo(app.clientId, 'mia@contoso.example', 'wrong-password-here');
      const bad = await lastSignIn();
      assert.equal(bad.status.errorCode, 50126);
      assert.equal(
        bad.userId,
        (await t.api('GET', `/v1.0/users?$filter=userPrincipalName eq 'mia@contoso.example'`)).body.value[0].id,
      );
      const failures = (await t.api('GET', `/v1.0/auditLogs/signIns?$filter=status/errorCode eq 50126`)).body.value;
      assert.ok(failures.length >= 1);
    });
  },
);
