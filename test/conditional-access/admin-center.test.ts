// The admin center under Conditional Access (security review): the tenant's sign-in pages leave the browser a Portico
// session as soon as the password is right, before the sign-in's other steps (MFA, a block, a password to change) are
// done, and the admin center reads that session. A policy that requires MFA for the admin portals
// (MicrosoftAdminPortals), or blocks them, must hold there too: a browser that gave the password and stopped at the MFA
// page, or one signed in to another app, reaches no admin page until the sign-in's steps are done for the admin center.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { Secret, TOTP } from 'otpauth';

import { appClient, reach } from '../helpers/app-client.ts';
import { CookieJar, follow, formAction, postForm, request } from '../helpers/signin.ts';
import { suite } from '../helpers/suite.ts';

const POLICIES = '/v1.0/identity/conditionalAccess/policies';

suite(
  'Conditional Access at the admin center',
  {
    runWorker: false,
    clock: 'manual',
    tenant: { name: 'Contoso', domain: 'contoso.example', adminEmail: 'admin@contoso.example' },
  },
  ({ s, t, clock }) => {
    const adminUrl = () => `${s.baseUrl}/admin/${t.tenantId}`;

    /** Gives the admin's password at the sign-in page `page` leads to: the page the sign-in stops at next. */
    async function password(jar: CookieJar, url: string) {
      const first = await reach(s, jar, url);
      const pw = await postForm(jar, new URL(formAction(first.page, '/identifier'), s.baseUrl).toString(), {
        login: 'admin@contoso.example',
      });
      const res = await postForm(jar, new URL(formAction(await pw.text(), '/password'), s.baseUrl).toString(), {
        login: 'admin@contoso.example',
        password: t.adminPassword,
      });
      return { status: res.status, page: res.status === 303 ? '' : await res.text(), res };
    }

    const field = (html: string, name: string) => new RegExp(`name="${name}" value="([^"]+)"`).exec(html)![1]!;
    /** Posts a step's form on `page` (its action containing `path`): the page it answers. */
    async function post(jar: CookieJar, page: string, path: string, fields: Record<string, string> = {}) {
      const res = await postForm(jar, new URL(formAction(page, path), s.baseUrl).toString(), {
        csrf: field(page, 'csrf'),
        ...fields,
      });
      assert.equal(res.status, 200);
      return res.text();
    }

    /** What the admin center answers this browser: its overview (200) or a redirect to the sign-in. */
    async function admin(jar: CookieJar) {
      const res = await request(jar, adminUrl());
      return { status: res.status, location: res.headers.get('location') ?? '', page: await res.text() };
    }

    /** A policy in force for everyone at the admin portals with one grant control: its id. */
    async function adminPortalsPolicy(displayName: string, control: 'mfa' | 'block'): Promise<string> {
      const res = await t.api('POST', POLICIES, {
        displayName,
        state: 'enabled',
        conditions: {
          users: { includeUsers: ['All'] },
          applications: { includeApplications: ['MicrosoftAdminPortals'] },
        },
        grantControls: { operator: 'OR', builtInControls: [control] },
      });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      return res.body.id as string;
    }

    it('a password alone does not open the admin center when a policy requires MFA for it', async () => {
      const policy = await adminPortalsPolicy('MFA for admins', 'mfa');

      // Through the admin center's own sign-in: the password, then the MFA page; the admin center is not reached.
      const jar = new CookieJar();
      const start = await request(jar, adminUrl());
      assert.equal(start.status, 303);
      const stopped = await password(jar, new URL(start.headers.get('location')!, s.baseUrl).toString());
      assert.equal(stopped.status, 200);
      assert.match(stopped.page, /More information required/);
      const skipped = await admin(jar);
      assert.equal(skipped.status, 303, 'not the overview');
      assert.match(skipped.location, /\/v2\.0\/auth\?/);
      assert.equal(new URL(skipped.location, s.baseUrl).searchParams.get('client_id'), 'portico-admin');
      // The sign-in it leads to asks for the password and then MFA; done, the admin center opens (no loop).
      assert.equal(new URL(skipped.location, s.baseUrl).searchParams.get('prompt'), 'login');
      const again = await password(jar, new URL(skipped.location, s.baseUrl).toString());
      assert.match(again.page, /More information required/);
      const setup = await post(jar, again.page, '/mfa/start');
      const secret = /<code id="totp-secret">([A-Z2-7 ]+)<\/code>/.exec(setup)![1]!.replace(/ /g, '');
      const codes = await post(jar, setup, '/register/code', {
        code: new TOTP({ secret: Secret.fromBase32(secret) }).generate({ timestamp: clock.now().getTime() }),
        pending: field(setup, 'pending'),
      });
      assert.match(codes, /Save your recovery codes/);
      const back = await postForm(jar, new URL(formAction(codes, '/mfa/continue'), s.baseUrl).toString(), {
        csrf: field(codes, 'csrf'),
      });
      assert.equal(back.status, 303);
      await follow(jar, new URL(back.headers.get('location')!, s.baseUrl).toString(), s.baseUrl);
      const opened = await admin(jar);
      assert.equal(opened.status, 200, opened.location);

      // Signed in to an app the policy does not cover: its session does not open the admin center either.
      const app = await appClient(s, t.tenantId, 'Wiki');
      const other = new CookieJar();
      const done = await password(other, (await app.start()).url);
      assert.equal(done.status, 303);
      assert.ok((await follow(other, new URL(done.res.headers.get('location')!, s.baseUrl).toString(), s.baseUrl)).url);
      assert.equal((await admin(other)).status, 303);
      assert.equal((await t.api('DELETE', `${POLICIES}/${policy}`)).status, 204);
      // Without the policy the same session opens it.
      const open = await admin(other);
      assert.equal(open.status, 200);
      assert.match(open.page, /Contoso/);
    });

    it('a block of the admin portals holds for a session made at another app', async () => {
      const policy = await adminPortalsPolicy('Block admin portals', 'block');
      const app = await appClient(s, t.tenantId, 'Notes');
      const jar = new CookieJar();
      const done = await password(jar, (await app.start()).url);
      assert.equal(done.status, 303);
      const blocked = await admin(jar);
      assert.equal(blocked.status, 303, 'not the overview');
      const page = await password(jar, new URL(blocked.location, s.baseUrl).toString());
      assert.equal(page.status, 403);
      assert.match(page.page, /AADSTS53003/);
      assert.equal((await t.api('DELETE', `${POLICIES}/${policy}`)).status, 204);
    });
  },
);
