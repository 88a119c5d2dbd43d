// The admin center's apps pages on both stores: registering an app (the secret shown once, and working at the token
// endpoint), its redirect URIs, assignment required, assignments and admin consent each taking effect in a real
// openid-client sign-in, deletion with a confirmation, field errors that change nothing, CSRF, and a Guest Inviter
// who may read but not change.
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import * as client from 'openid-client';

import { GUEST_INVITER } from '../../src/admin/roles.ts';
import { getApp, listApps, registerApp, type App } from '../../src/apps/apps.ts';
import { listAssignments } from '../../src/apps/assignments.ts';
import { listAudit } from '../../src/directory/audit.ts';
import { grantRoles, openAdmin, type Login } from '../helpers/admin.ts';
import { CookieJar, follow, formAction, postForm, request } from '../helpers/signin.ts';
import { suite } from '../helpers/suite.ts';

const PASSWORD = 'correct-horse-battery';
const CALLBACK = 'http://127.0.0.1:1/callback';
const unescape = (html: string) =>
  html
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');

/** Every visible form control has a label naming it. */
function assertLabelled(html: string): void {
  for (const m of html.matchAll(/<(input|textarea|select)\b([^>]*)>/g)) {
    if (/type="hidden"/.test(m[2]!)) continue;
    const id = /id="([^"]+)"/.exec(m[2]!)?.[1];
    assert.ok(id, `a control without an id: ${m[0]}`);
    assert.ok(html.includes(`<label for="${id}"`), `no label for #${id}`);
  }
}

suite(
  'admin center apps',
  { runWorker: false, tenant: { name: 'Contoso', domain: 'contoso.example', adminEmail: 'admin@contoso.example' } },
  ({ s, t }) => {
    let adminUrl: string;
    let issuer: string;
    let miaId: string;
    before(async () => {
      adminUrl = `${s.baseUrl}/admin/${t.tenantId}`;
      issuer = `${s.baseUrl}/${t.tenantId}/v2.0`;
      for (const [upn, roles] of [
        ['ivy@contoso.example', [GUEST_INVITER]],
        ['mia@contoso.example', []],
      ] as const) {
        const created = (
          await t.api('POST', '/v1.0/users', {
            accountEnabled: true,
            displayName: upn.split('@')[0],
            mailNickname: upn.split('@')[0],
            userPrincipalName: upn,
            passwordProfile: { password: PASSWORD },
          })
        ).body;
        await grantRoles(t, created.id, roles);
        if (upn.startsWith('mia')) miaId = created.id;
      }
    });

    const db = () => s.portico.services.store.db;
    const open = (jar: CookieJar, url: string, login?: Login) => openAdmin(s, jar, url, login);
    const asAdmin = {
      email: 'admin@contoso.example',
      get password() {
        return t.adminPassword;
      },
    };
    const csrfOf = (page: string) => /name="csrf" value="([^"]+)"/.exec(page)![1]!;
    const audit = async () => listAudit(db(), t.tenantId, { top: 200 });
    const allApps = async () => (await listApps(db(), t.tenantId, { top: 500 })).items;

    /** A signed-in global administrator's jar and CSRF value. */
    async function adminSession(): Promise<{ jar: CookieJar; csrf: string }> {
      const jar = new CookieJar();
      const page = await open(jar, `${adminUrl}/apps`, asAdmin);
      assert.equal(page.status, 200);
      return { jar, csrf: csrfOf(page.page) };
    }

    const settings = (over: Record<string, string> = {}) => ({
      displayName: 'Expenses',
      redirectUris: CALLBACK,
      userPermissions: '',
      adminPermissions: '',
      ...over,
    });

    /** Registers an app in the page; returns it with the page and the secret the page showed. */
    async function register(
      jar: CookieJar,
      csrf: string,
      fields: Record<string, string>,
    ): Promise<{ app: App; page: string; secret?: string }> {
      const res = await postForm(jar, `${adminUrl}/apps/new`, { csrf, ...fields });
      const page = await res.text();
      // postForm follows the 303 to the outcome page (post/redirect/get): shown once, with the secret.
      assert.equal(res.status, 200, page.slice(0, 2000));
      const clientId = /Application \(client\) ID<\/th><td><code>([0-9a-f-]{36})<\/code>/.exec(page)![1]!;
      const app = (await allApps()).find((a) => a.clientId === clientId)!;
      return { app, page, secret: /<code id="client-secret">([^<]+)<\/code>/.exec(page)?.[1] };
    }

    const relyingParty = (app: App, secret?: string) =>
      client.discovery(new URL(issuer), app.clientId, secret, secret ? undefined : client.None(), {
        execute: [client.allowInsecureRequests],
      });

    /**
     * A member's authorization code sign-in to the app with openid-client, in a fresh browser: the tokens when it
     * completes, else the status and page the sign-in pages answered with.
     */
    async function signInTo(rp: client.Configuration, redirectUri = CALLBACK, email = 'mia@contoso.example') {
      const verifier = client.randomPKCECodeVerifier();
      const state = client.randomState();
      const url = client.buildAuthorizationUrl(rp, {
        redirect_uri: redirectUri,
        scope: 'openid profile',
        state,
        code_challenge: await client.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
      });
      const jar = new CookieJar();
      const first = await follow(jar, url.toString(), s.baseUrl);
      const html = first.res ? await first.res.text() : '';
      if (first.res?.status !== 200 || !html.includes('/identifier')) return { status: first.res?.status, page: html };
      const pw = await postForm(jar, new URL(formAction(html, '/identifier'), s.baseUrl).toString(), { login: email });
      const done = await postForm(jar, new URL(formAction(await pw.text(), '/password'), s.baseUrl).toString(), {
        login: email,
        password: PASSWORD,
      });
      if (done.status !== 303) return { status: done.status, page: unescape(await done.text()) };
      const reached = await follow(jar, new URL(done.headers.get('location')!, s.baseUrl).toString(), s.baseUrl);
      if (reached.res) return { status: reached.res.status, page: unescape(await reached.res.text()) };
      assert.ok(reached.url.startsWith(redirectUri), reached.url);
      const tokens = await client.authorizationCodeGrant(rp, new URL(reached.url), {
        pkceCodeVerifier: verifier,
        expectedState: state,
      });
      return { status: 302, tokens };
    }

    it('lists the apps and registers one: the secret is shown once and works at the token endpoint; only registered redirect URIs are accepted', async () => {
      const { jar, csrf } = await adminSession();
      const list = await open(jar, `${adminUrl}/apps`);
      assert.match(list.page, /aria-current="page"[^>]*>Apps/);
      assert.match(
        list.page,
        new RegExp(
          `<code>${t.managementClient.clientId}</code></td><td>The organization&#39;s management app \\(API\\)`,
        ),
      );
      assert.match(list.page, new RegExp(`href="/admin/${t.tenantId}/apps/new">Register an app`));
      const form = await open(jar, `${adminUrl}/apps/new`);
      assert.equal(form.status, 200);
      assertLabelled(form.page);
      assert.match(form.page, /<input id="confidential" name="confidential" type="checkbox" value="1" checked/);

      const { app, page, secret } = await register(
        jar,
        csrf,
        settings({
          redirectUris: `${CALLBACK}\r\n  https://expenses.contoso.example/signin  \r\n`,
          confidential: '1',
          userPermissions: 'User.Read',
        }),
      );
      assert.ok(secret && secret.length >= 40, 'the page shows the client secret');
      assert.match(page, /Copy the client secret now: it won&#39;t be shown again/);
      assert.ok(page.includes(`<code>${issuer}</code>`), 'the issuer');
      assert.ok(page.includes(`<code>${issuer}/.well-known/openid-configuration</code>`), 'the discovery URL');
      assert.equal(app.displayName, 'Expenses');
      assert.deepEqual(app.redirectUris, [CALLBACK, 'https://expenses.contoso.example/signin']);
      assert.deepEqual(app.grantTypes, ['authorization_code', 'refresh_token']);
      assert.ok(app.confidential);
      assert.deepEqual(app.delegatedPermissions, ['User.Read']);
      const added = (await audit()).find(
        (e) => e.activityDisplayName === 'Add application' && e.targetResources[0]?.id === app.id,
      );
      assert.ok(added, 'an audit event');
      assert.deepEqual(added.initiatedBy, {
        kind: 'user',
        id: (await t.api('GET', '/v1.0/users/admin@contoso.example')).body.id,
        userPrincipalName: 'admin@contoso.example',
      });

      // The secret works at the token endpoint (the code exchange), and a wrong one does not.
      const done = await signInTo(await relyingParty(app, secret));
      assert.ok(done.tokens, /could not be completed: [^<]*/.exec(done.page ?? '')?.[0]);
      assert.equal(done.tokens.claims()!.aud, app.clientId);
      assert.equal(done.tokens.claims()!.oid, miaId);
      await assert.rejects(
        signInTo(await relyingParty(app, 'not-the-secret')),
        (e: { error?: string }) => e.error === 'invalid_client',
      );
      // An unregistered redirect URI is refused by the provider with an error page, not a redirect.
      const refused = await signInTo(await relyingParty(app, secret), 'http://127.0.0.1:1/elsewhere');
      assert.equal(refused.status, 400);
      assert.match(refused.page!, /redirect_uri/);

      // The secret is never shown again: not on the app page, not in the list.
      const appPage = await open(jar, `${adminUrl}/apps/${app.id}`);
      assert.equal(appPage.status, 200);
      assert.ok(!appPage.page.includes(secret!) && !(await open(jar, `${adminUrl}/apps`)).page.includes(secret!));
      assert.ok(
        appPage.page.includes(app.clientId) && appPage.page.includes(`${issuer}/.well-known/openid-configuration`),
      );
      assert.match(
        appPage.page,
        /<textarea id="redirectUris" name="redirectUris" rows="3">http:\/\/127\.0\.0\.1:1\/callback\nhttps:\/\/expenses\.contoso\.example\/signin<\/textarea>/,
      );
      assertLabelled(appPage.page);
    });

    it('registers a public client without a secret; it signs in with PKCE alone', async () => {
      const { jar, csrf } = await adminSession();
      const { app, page, secret } = await register(jar, csrf, settings({ displayName: 'Pocket' }));
      assert.equal(secret, undefined);
      assert.ok(!page.includes('Client secret'));
      assert.equal(app.confidential, false);
      assert.match(page, /Public client/);
      assert.ok((await signInTo(await relyingParty(app))).tokens);
    });

    it('refuses invalid settings with the error at the field, keeps what was typed, and changes nothing', async () => {
      const { jar, csrf } = await adminSession();
      const before = (await allApps()).length;
      for (const [fields, field, message] of [
        [
          { redirectUris: 'ftp://files.example/cb' },
          'redirectUris',
          "'ftp://files.example/cb' is not an allowed redirect URI",
        ],
        [{ redirectUris: 'https://app.example/cb#part' }, 'redirectUris', 'is not an allowed redirect URI'],
        [{ redirectUris: 'https://user:pw@app.example/cb' }, 'redirectUris', 'is not an allowed redirect URI'],
        [{ redirectUris: '  ' }, 'redirectUris', 'needs at least one redirect URI'],
        [{ displayName: '   ' }, 'displayName', 'displayName must not be empty'],
        [{ displayName: 'x'.repeat(257) }, 'displayName', 'at most 256 characters'],
        [{ userPermissions: 'read everything' }, 'permissions', "Not a permission name: 'read everything'"],
        [{ userPermissions: 'User.Read\nUser.Read' }, 'permissions', 'listed twice'],
      ] as const) {
        const res = await postForm(jar, `${adminUrl}/apps/new`, { csrf, ...settings(fields) });
        assert.equal(res.status, 400, JSON.stringify(fields));
        const html = unescape(await res.text());
        assert.ok(
          new RegExp(
            `id="${field}-error" class="error" role="alert">[^<]*${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`,
          ).test(html),
          `${JSON.stringify(fields)}: ${html.slice(html.indexOf('role="alert"') - 100, html.indexOf('role="alert"') + 300)}`,
        );
        if (field !== 'permissions') assert.match(html, new RegExp(`id="${field}"[^>]*aria-invalid="true"`));
        else
          assert.match(html, /id="userPermissions"[^>]*aria-invalid="true"[^>]*aria-describedby="permissions-error"/);
        for (const [name, value] of Object.entries(fields))
          if (value.trim()) assert.ok(html.includes(value.trim()), `the form keeps ${name}`);
      }
      assert.equal((await allApps()).length, before, 'nothing registered');

      // The same checks on the app page's settings form: a 400 there, and the app unchanged.
      const { app } = await register(jar, csrf, settings({ displayName: 'Ledger' }));
      const events = (await audit()).length;
      const res = await postForm(jar, `${adminUrl}/apps/${app.id}`, {
        csrf,
        ...settings({ displayName: 'Ledger 2', redirectUris: 'javascript:alert(1)' }),
      });
      assert.equal(res.status, 400);
      assert.match(
        unescape(await res.text()),
        /id="redirectUris-error" class="error" role="alert">'javascript:alert\(1\)' is not an allowed redirect URI/,
      );
      assert.deepEqual(await getApp(db(), t.tenantId, app.id), app);
      assert.equal((await audit()).length, events);
    });

    it('saves settings; assignment required refuses the unassigned member until the page assigns them (by email, or a group by name)', async () => {
      const { jar, csrf } = await adminSession();
      const { app, secret } = await register(jar, csrf, settings({ displayName: 'Payroll', confidential: '1' }));
      const rp = await relyingParty(app, secret);
      assert.ok((await signInTo(rp)).tokens, 'without assignment required anyone signs in');

      const saved = await postForm(jar, `${adminUrl}/apps/${app.id}`, {
        csrf,
        ...settings({ displayName: 'Payroll', assignmentRequired: '1' }),
      });
      assert.equal(saved.status, 303);
      assert.equal((await getApp(db(), t.tenantId, app.id))!.assignmentRequired, true);
      const update = (await audit()).find(
        (e) => e.activityDisplayName === 'Update application' && e.targetResources[0]?.id === app.id,
      );
      assert.equal(
        update?.additionalDetails.find((d) => d.key === 'modifiedProperties')?.value,
        'assignmentRequired',
        'only what changed',
      );
      const shown = await open(jar, new URL(saved.headers.get('location')!, s.baseUrl).toString());
      assert.match(shown.page, /role="status">The settings were saved/);
      assert.match(
        shown.page,
        /<input id="assignmentRequired" name="assignmentRequired" type="checkbox" value="1" checked/,
      );

      const refused = await signInTo(rp);
      assert.equal(refused.status, 403);
      assert.match(refused.page!, /You don't have access to Payroll/);

      // Nobody by that name: the error at the field, nothing assigned.
      for (const [typed, message] of [
        [
          'nobody@contoso.example',
          'No user of this organization has the email or sign-in name nobody@contoso.example.',
        ],
        ['', 'Enter the email or sign-in name of a user.'],
      ] as const) {
        const res = await postForm(jar, `${adminUrl}/apps/${app.id}/assign-user`, { csrf, user: typed });
        assert.equal(res.status, 400);
        const html = unescape(await res.text());
        assert.ok(html.includes(`id="user-error" class="error" role="alert">${message}`), html.slice(0, 300));
        assert.match(html, /id="user"[^>]*aria-invalid="true"/);
      }
      assert.deepEqual(await listAssignments(db(), t.tenantId, app.id), []);

      const assigned = await postForm(jar, `${adminUrl}/apps/${app.id}/assign-user`, {
        csrf,
        user: ' MIA@contoso.example ',
      });
      assert.equal(assigned.status, 303);
      assert.deepEqual(
        (await listAssignments(db(), t.tenantId, app.id)).map((x) => [x.principalId, x.principalType]),
        [[miaId, 'User']],
      );
      const grant = (await audit()).find((e) => e.activityDisplayName === 'Add app role assignment grant to user');
      assert.equal(grant?.initiatedBy.kind === 'user' && grant.initiatedBy.userPrincipalName, 'admin@contoso.example');
      const again = await postForm(jar, `${adminUrl}/apps/${app.id}/assign-user`, {
        csrf,
        user: 'mia@contoso.example',
      });
      assert.equal(again.status, 400);
      assert.match(
        await again.text(),
        /id="user-error" class="error" role="alert">mia is already assigned to this app/,
      );
      assert.ok((await signInTo(rp)).tokens, 'assigned, the member signs in');
      const page = await open(jar, `${adminUrl}/apps/${app.id}`);
      assert.match(page.page, /<td>mia<\/td><td>User<\/td>/);
      assertLabelled(page.page);

      const removed = await postForm(jar, `${adminUrl}/apps/${app.id}/unassign`, { csrf, principalId: miaId });
      assert.equal(removed.status, 303);
      assert.equal((await signInTo(rp)).status, 403, 'unassigned again, refused again');
      assert.ok((await audit()).some((e) => e.activityDisplayName === 'Remove app role assignment from user'));

      // A group by name, in any letter case; several or none by that name is said at the field.
      const group = (
        await t.api('POST', '/v1.0/groups', {
          displayName: 'Payroll users',
          mailEnabled: false,
          mailNickname: 'payroll',
          securityEnabled: true,
        })
      ).body;
      await t.api('POST', `/v1.0/groups/${group.id}/members/$ref`, {
        '@odata.id': `${s.baseUrl}/v1.0/directoryObjects/${miaId}`,
      });
      const twins = [];
      for (let i = 0; i < 2; i++)
        twins.push(
          (
            await t.api('POST', '/v1.0/groups', {
              displayName: 'Twins',
              mailEnabled: false,
              mailNickname: `twins${i}`,
              securityEnabled: true,
            })
          ).body.id,
        );
      const several = await postForm(jar, `${adminUrl}/apps/${app.id}/assign-group`, { csrf, group: 'Twins' });
      assert.equal(several.status, 400);
      const severalHtml = await several.text();
      assert.match(
        severalHtml,
        /id="group-error" class="error" role="alert">Several groups are named Twins\. Enter the object ID of the one you mean:/,
      );
      assert.ok(twins.every((id) => severalHtml.includes(id)));
      const similar = await postForm(jar, `${adminUrl}/apps/${app.id}/assign-group`, { csrf, group: 'Payroll' });
      assert.match(
        await similar.text(),
        /No group is named Payroll\. Groups whose names begin with it: Payroll users\./,
      );
      assert.deepEqual(await listAssignments(db(), t.tenantId, app.id), []);
      assert.equal(
        (await postForm(jar, `${adminUrl}/apps/${app.id}/assign-group`, { csrf, group: 'payroll USERS' })).status,
        303,
      );
      assert.deepEqual(
        (await listAssignments(db(), t.tenantId, app.id)).map((x) => [x.principalId, x.principalType]),
        [[group.id, 'Group']],
      );
      assert.ok((await signInTo(rp)).tokens, 'a member of the assigned group signs in');
      assert.equal(
        (await postForm(jar, `${adminUrl}/apps/${app.id}/assign-group`, { csrf, group: twins[1] })).status,
        303,
        'a group by object id',
      );
    });

    it('sets the accepted sign-in methods; a member signing in with a password is refused once only federation is accepted', async () => {
      const { jar, csrf } = await adminSession();
      const { app, secret } = await register(jar, csrf, settings({ displayName: 'Vault', confidential: '1' }));
      const rp = await relyingParty(app, secret);
      const page = await open(jar, `${adminUrl}/apps/${app.id}`);
      for (const m of ['pwd', 'otp', 'fed'])
        assert.match(
          page.page,
          new RegExp(`<input id="method-${m}" name="method-${m}" type="checkbox" value="1" checked`),
        );

      const none = await postForm(jar, `${adminUrl}/apps/${app.id}/sign-in-methods`, { csrf });
      assert.equal(none.status, 400);
      assert.match(await none.text(), /id="methods-error" class="error" role="alert">Tick at least one sign-in method/);
      assert.equal((await getApp(db(), t.tenantId, app.id))!.requiredSignInMethods, null);

      const fedOnly = await postForm(jar, `${adminUrl}/apps/${app.id}/sign-in-methods`, { csrf, 'method-fed': '1' });
      assert.equal(fedOnly.status, 303);
      assert.deepEqual((await getApp(db(), t.tenantId, app.id))!.requiredSignInMethods, ['fed']);
      assert.ok(
        (await audit()).some(
          (e) =>
            e.activityDisplayName === 'Update application' &&
            e.additionalDetails.some((d) => d.key === 'requiredSignInMethods' && d.value === 'fed'),
        ),
      );
      const refused = await signInTo(rp);
      assert.equal(refused.status, 403);
      assert.match(refused.page!, /Vault/);

      const all = await postForm(jar, `${adminUrl}/apps/${app.id}/sign-in-methods`, {
        csrf,
        'method-pwd': '1',
        'method-otp': '1',
        'method-fed': '1',
      });
      assert.equal(all.status, 303);
      assert.equal((await getApp(db(), t.tenantId, app.id))!.requiredSignInMethods, null, 'every method ticked is any');
      assert.ok((await signInTo(rp)).tokens, 'the password sign-in is accepted again');
    });

    it('grants and revokes admin consent in the page, and the consent outcome at sign-in follows', async () => {
      const { jar, csrf } = await adminSession();
      const { app, secret } = await register(
        jar,
        csrf,
        settings({
          displayName: 'Files',
          confidential: '1',
          userPermissions: 'User.Read',
          adminPermissions: 'Files.ReadWrite.All',
        }),
      );
      assert.deepEqual(
        [app.delegatedPermissions, app.adminConsentRequired],
        [['User.Read', 'Files.ReadWrite.All'], ['Files.ReadWrite.All']],
      );
      const rp = await relyingParty(app, secret);
      const before = await signInTo(rp);
      assert.equal(before.status, 403);
      assert.match(before.page!, /Admin consent required/);
      assert.match(
        (await open(jar, `${adminUrl}/apps`)).page,
        new RegExp(`${app.clientId}</code>.*?Needed, not granted</td>`),
      );
      const page = await open(jar, `${adminUrl}/apps/${app.id}`);
      assert.match(page.page, /<td><code>Files\.ReadWrite\.All<\/code><\/td><td>Yes<\/td>/);
      assert.match(page.page, /Admin consent is not granted: sign-ins to this app are refused/);
      assert.match(
        page.page,
        /<textarea id="adminPermissions" name="adminPermissions" rows="2">Files\.ReadWrite\.All<\/textarea>/,
      );

      const granted = await postForm(jar, `${adminUrl}/apps/${app.id}/consent/grant`, { csrf });
      assert.equal(granted.status, 303);
      assert.equal((await getApp(db(), t.tenantId, app.id))!.adminConsentGranted, true);
      assert.ok(
        (await audit()).some(
          (e) => e.activityDisplayName === 'Consent to application' && e.targetResources[0]?.id === app.id,
        ),
      );
      assert.match(
        (await open(jar, new URL(granted.headers.get('location')!, s.baseUrl).toString())).page,
        /role="status">Admin consent was granted for every user\./,
      );
      assert.ok((await signInTo(rp)).tokens, 'with admin consent the sign-in completes');

      assert.equal((await postForm(jar, `${adminUrl}/apps/${app.id}/consent/revoke`, { csrf })).status, 303);
      assert.equal((await getApp(db(), t.tenantId, app.id))!.adminConsentGranted, false);
      assert.ok(
        (await audit()).some(
          (e) => e.activityDisplayName === 'Remove delegated permission grant' && e.targetResources[0]?.id === app.id,
        ),
      );
      assert.equal((await signInTo(rp)).status, 403, 'revoked, refused again');
    });

    it('deletes an app only once confirmed; its sign-in stops; the management app cannot be deleted', async () => {
      const { jar, csrf } = await adminSession();
      const { app, secret } = await register(jar, csrf, settings({ displayName: 'Old app', confidential: '1' }));
      const confirm = await open(jar, `${adminUrl}/apps/${app.id}/delete`);
      assert.equal(confirm.status, 200);
      assert.match(confirm.page, /<input id="confirm" name="confirm" type="checkbox" value="1" required/);
      assertLabelled(confirm.page);
      const unconfirmed = await postForm(jar, `${adminUrl}/apps/${app.id}/delete`, { csrf });
      assert.equal(unconfirmed.status, 400);
      assert.match(
        await unconfirmed.text(),
        /id="confirm-error" class="error" role="alert">Tick the box to confirm the deletion\./,
      );
      assert.ok(await getApp(db(), t.tenantId, app.id), 'not deleted');

      const rp = await relyingParty(app, secret);
      const deleted = await postForm(jar, `${adminUrl}/apps/${app.id}/delete`, { csrf, confirm: '1' });
      assert.equal(deleted.status, 303);
      assert.equal(await getApp(db(), t.tenantId, app.id), undefined);
      assert.ok(
        (await audit()).some(
          (e) => e.activityDisplayName === 'Delete application' && e.targetResources[0]?.id === app.id,
        ),
      );
      assert.match(
        (await open(jar, new URL(deleted.headers.get('location')!, s.baseUrl).toString())).page,
        /role="status">The app was deleted\./,
      );
      assert.equal((await signInTo(rp)).status, 400, 'the provider no longer knows the client');

      const management = (await allApps()).find((a) => a.isManagement)!;
      const mPage = await open(jar, `${adminUrl}/apps/${management.id}`);
      assert.equal(mPage.status, 200);
      assert.ok(
        !mPage.page.includes('/delete"') && !mPage.page.includes(`action="/admin/${t.tenantId}/apps/${management.id}"`),
        'no settings form, no delete link',
      );
      const refused = await postForm(jar, `${adminUrl}/apps/${management.id}/delete`, { csrf, confirm: '1' });
      assert.equal(refused.status, 400);
      assert.match(unescape(await refused.text()), /management app cannot be deleted/);
      assert.ok(await getApp(db(), t.tenantId, management.id));
      assert.equal(
        (await postForm(jar, `${adminUrl}/apps/${management.id}`, { csrf, ...settings({ displayName: 'Renamed' }) }))
          .status,
        400,
      );
      assert.equal((await getApp(db(), t.tenantId, management.id))!.displayName, management.displayName);
    });

    it('pages through many apps, 50 at a time', async () => {
      const { jar } = await adminSession();
      const { store, clock } = s.portico.services;
      await store.transaction(async (tx) => {
        for (let i = 0; i < 55; i++)
          await registerApp(tx, clock, t.tenantId, {
            displayName: `Batch ${i}`,
            grantTypes: ['client_credentials'],
            appPermissions: ['User.Read.All'],
          });
      });
      const total = (await allApps()).length;
      const rows = (html: string) =>
        [...html.matchAll(new RegExp(`<tr><td><a href="/admin/${t.tenantId}/apps/([0-9a-f-]{36})">`, 'g'))].map(
          (m) => m[1]!,
        );
      const first = await open(jar, `${adminUrl}/apps`);
      assert.equal(rows(first.page).length, 50);
      const next = /<a href="([^"]+)" rel="next">Next page<\/a>/.exec(first.page)![1]!.replace(/&amp;/g, '&');
      const second = await open(jar, new URL(next, s.baseUrl).toString());
      assert.equal(rows(second.page).length, total - 50);
      assert.ok(!second.page.includes('Next page'));
      assert.equal(new Set([...rows(first.page), ...rows(second.page)]).size, total, 'every app once');
      assert.match(second.page, /API client \(client credentials\)/);
    });

    it('the built-in clients are not app registrations: not listed, no page', async () => {
      const { jar, csrf } = await adminSession();
      const list = await open(jar, `${adminUrl}/apps`);
      assert.ok(!list.page.includes('portico-admin') && !list.page.includes('portico-myapps'));
      assert.ok((await allApps()).every((a) => a.clientId !== 'portico-admin' && a.clientId !== 'portico-myapps'));
      assert.equal((await open(jar, `${adminUrl}/apps/portico-admin`)).status, 404);
      assert.equal((await postForm(jar, `${adminUrl}/apps/portico-myapps/delete`, { csrf, confirm: '1' })).status, 404);
    });

    it('a Guest Inviter reads the pages but gets 403 on every change; a wrong CSRF value is refused; nothing changes', async () => {
      const { jar: adminJar, csrf: adminCsrf } = await adminSession();
      const { app } = await register(
        adminJar,
        adminCsrf,
        settings({ displayName: 'Guarded', adminPermissions: 'Files.Read.All' }),
      );
      await postForm(adminJar, `${adminUrl}/apps/${app.id}/assign-user`, {
        csrf: adminCsrf,
        user: 'mia@contoso.example',
      });
      const was = {
        app: await getApp(db(), t.tenantId, app.id),
        assignments: await listAssignments(db(), t.tenantId, app.id),
        apps: (await allApps()).length,
        events: (await audit()).length,
      };

      const jar = new CookieJar();
      const list = await open(jar, `${adminUrl}/apps`, { email: 'ivy@contoso.example', password: PASSWORD });
      assert.equal(list.status, 200);
      // Apps list by id, 50 a page, and earlier tests made more than 50: 'Guarded' may be on either page.
      assert.ok(!list.page.includes('Register an app'));
      const page = await open(jar, `${adminUrl}/apps/${app.id}`);
      assert.equal(page.status, 200);
      assert.ok(
        !page.page.includes('/assign-user') && !page.page.includes('/consent/grant') && !page.page.includes('/delete"'),
        'no change forms',
      );
      assert.match(page.page, /<td><code>Files\.Read\.All<\/code><\/td><td>Yes<\/td>/);
      assert.equal((await open(jar, `${adminUrl}/apps/new`)).status, 403);
      assert.equal((await open(jar, `${adminUrl}/apps/${app.id}/delete`)).status, 403);
      const csrf = csrfOf(page.page);
      const changes: [string, Record<string, string>][] = [
        ['/apps/new', settings({ displayName: 'Sneaky' })],
        [`/apps/${app.id}`, settings({ displayName: 'Renamed', assignmentRequired: '1' })],
        [`/apps/${app.id}/assign-user`, { user: 'ivy@contoso.example' }],
        [`/apps/${app.id}/assign-group`, { group: 'Payroll users' }],
        [`/apps/${app.id}/unassign`, { principalId: miaId }],
        [`/apps/${app.id}/consent/grant`, {}],
        [`/apps/${app.id}/consent/revoke`, {}],
        [`/apps/${app.id}/delete`, { confirm: '1' }],
      ];
      for (const [path, fields] of changes) {
        assert.equal(
          (await postForm(jar, `${adminUrl}${path}`, { csrf, ...fields })).status,
          403,
          `guest inviter ${path}`,
        );
        assert.equal(
          (await postForm(adminJar, `${adminUrl}${path}`, { csrf: 'forged', ...fields })).status,
          403,
          `forged CSRF ${path}`,
        );
        assert.equal((await postForm(adminJar, `${adminUrl}${path}`, fields)).status, 403, `no CSRF ${path}`);
      }
      assert.deepEqual(await getApp(db(), t.tenantId, app.id), was.app);
      assert.deepEqual(await listAssignments(db(), t.tenantId, app.id), was.assignments);
      assert.equal((await allApps()).length, was.apps);
      assert.equal((await audit()).length, was.events);
    });

    it('speaks German to a German browser', async () => {
      const { jar } = await adminSession();
      const res = await request(jar, `${adminUrl}/apps/new`, { headers: { 'accept-language': 'de-DE' } });
      const html = await res.text();
      assert.match(html, /<h1>App registrieren<\/h1>/);
      assert.match(html, /<label for="redirectUris">Umleitungs-URIs \(eine pro Zeile\)<\/label>/);
    });
  },
);
