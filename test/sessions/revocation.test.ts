// Disabling, deleting, resetting the redemption or an administrator's password reset of a user ends every sign-in of theirs at once, over HTTP on both
// stores with openid-client as the app: a refresh token issued before is refused (invalid_grant), the opaque access
// token stops working at userinfo (401), the browser's session no longer signs in (the next authorization shows the
// sign-in page), and other users keep theirs. A re-enabled user signs in again normally.
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import * as client from 'openid-client';

import { newUserBody } from '../helpers/api.ts';
import { appClient, oauthError, reach, REDIRECT, type AppClient } from '../helpers/app-client.ts';
import { mailedCode, openLink, submit } from '../helpers/redeem.ts';
import { CookieJar, formAction, postForm, signIn } from '../helpers/signin.ts';
import { suite } from '../helpers/suite.ts';

const PASSWORD = 'correct-horse-battery';

suite(
  `revoking a user's sessions and tokens`,
  { runWorker: false, tenant: { name: 'Contoso', domain: 'contoso.example', adminEmail: 'admin@contoso.example' } },
  ({ s, t }) => {
    let rp: AppClient;
    before(async () => {
      rp = await appClient(s, t.tenantId);
    });

    const member = async (name: string): Promise<string> => {
      const res = await t.api('POST', '/v1.0/users', newUserBody(`${name}@contoso.example`));
      assert.equal(res.status, 201, JSON.stringify(res.body));
      return res.body.id;
    };
    /** A member signed in to the app through the sign-in pages: the browser's cookies and the app's tokens. */
    const signedIn = async (email: string, jar = new CookieJar()) => {
      const attempt = await rp.start();
      const { callback } = await signIn(attempt.url, s.baseUrl, email, PASSWORD, jar);
      assert.ok(callback.startsWith(REDIRECT), callback);
      return { jar, tokens: await attempt.tokens(callback) };
    };
    const userinfo = async (accessToken: string) =>
      (await fetch(rp.rp.serverMetadata().userinfo_endpoint!, { headers: { authorization: `Bearer ${accessToken}` } }))
        .status;
    /** Where the browser lands when it opens the app again: the callback (signed in) or the sign-in page. */
    const openApp = async (jar: CookieJar) => reach(s, jar, (await rp.start()).url);
    const atSignInPage = (r: { callback?: string; status: number; page: string }) => {
      assert.equal(r.callback, undefined, `expected the sign-in page, got ${r.callback}`);
      assert.equal(r.status, 200);
      assert.match(r.page, /name="login"/);
    };
    const leftovers = async (userId: string) => {
      const { db } = s.portico.services.store;
      const tokens = await db
        .selectFrom('oidc_payloads')
        .select('model')
        .where('tenant_id', '=', t.tenantId)
        .where('account_id', '=', userId)
        .execute();
      const sessions = await db
        .selectFrom('sessions')
        .select('id')
        .where('tenant_id', '=', t.tenantId)
        .where('user_id', '=', userId)
        .execute();
      return { models: new Set(tokens.map((r) => r.model)), sessions: sessions.length };
    };

    it('disabling: the refresh token is refused, userinfo answers 401, the cookie no longer signs in; others keep theirs; re-enabled, the user signs in again', async () => {
      const miaId = await member('mia');
      await member('ben');
      const mia = await signedIn('mia@contoso.example');
      const ben = await signedIn('ben@contoso.example');
      const refreshed = await client.refreshTokenGrant(rp.rp, mia.tokens.refresh_token!);
      assert.equal(await userinfo(refreshed.access_token), 200);
      const before = await leftovers(miaId);
      for (const model of ['Session', 'Grant', 'RefreshToken', 'AccessToken'])
        assert.ok(before.models.has(model), `${model} is stored with the account`);
      assert.equal(before.sessions, 1);

      assert.equal((await t.api('PATCH', `/v1.0/users/${miaId}`, { accountEnabled: false })).status, 204);
      await assert.rejects(client.refreshTokenGrant(rp.rp, refreshed.refresh_token!), oauthError('invalid_grant'));
      assert.equal(await userinfo(refreshed.access_token), 401);
      assert.deepEqual(await leftovers(miaId), { models: new Set(), sessions: 0 });
      atSignInPage(await openApp(mia.jar));
      // Only Mia's: Ben's refresh token and session still work.
      assert.ok((await client.refreshTokenGrant(rp.rp, ben.tokens.refresh_token!)).access_token);
      assert.ok((await openApp(ben.jar)).callback?.startsWith(REDIRECT));

      assert.equal((await t.api('PATCH', `/v1.0/users/${miaId}`, { accountEnabled: true })).status, 204);
      atSignInPage(await openApp(mia.jar));
      const again = await signedIn('mia@contoso.example', mia.jar);
      assert.equal(again.tokens.claims()!.oid, miaId);
      assert.ok((await client.refreshTokenGrant(rp.rp, again.tokens.refresh_token!)).access_token);
    });

    it('deleting: the refresh token is refused, userinfo answers 401, the cookie no longer signs in, nothing of the user is left', async () => {
      const danId = await member('dan');
      const dan = await signedIn('dan@contoso.example');
      assert.equal(await userinfo(dan.tokens.access_token), 200);
      assert.equal((await t.api('DELETE', `/v1.0/users/${danId}`)).status, 204);
      await assert.rejects(client.refreshTokenGrant(rp.rp, dan.tokens.refresh_token!), oauthError('invalid_grant'));
      assert.equal(await userinfo(dan.tokens.access_token), 401);
      assert.deepEqual(await leftovers(danId), { models: new Set(), sessions: 0 });
      atSignInPage(await openApp(dan.jar));
    });

    it("an administrator's password reset: the refresh token is refused and the cookie no longer signs in; the new password does", async () => {
      const lenId = await member('len');
      const len = await signedIn('len@contoso.example');
      const reset = await t.api('PATCH', `/v1.0/users/${lenId}`, {
        passwordProfile: { password: 'a-new-long-password' },
      });
      assert.equal(reset.status, 204, JSON.stringify(reset.body));
      await assert.rejects(client.refreshTokenGrant(rp.rp, len.tokens.refresh_token!), oauthError('invalid_grant'));
      assert.deepEqual(await leftovers(lenId), { models: new Set(), sessions: 0 });
      atSignInPage(await openApp(len.jar));
      const attempt = await rp.start();
      const { callback } = await signIn(attempt.url, s.baseUrl, 'len@contoso.example', 'a-new-long-password', len.jar);
      assert.ok(callback.startsWith(REDIRECT), callback);
    });

    it("resetting a guest's redemption: the refresh token is refused and the session redemption left no longer signs in", async () => {
      const inv = (
        await t.api('POST', '/v1.0/invitations', {
          invitedUserEmailAddress: 'sam@partner.example',
          inviteRedirectUrl: REDIRECT,
        })
      ).body;
      const landing = await openLink(s, inv.inviteRedeemUrl);
      const code = await submit(s, landing, '/redeem/start');
      const consent = await submit(s, code, '/redeem/passcode', { code: await mailedCode(s, 'sam@partner.example') });
      await submit(s, consent, '/redeem/consent', { decision: 'accept' });
      const attempt = await rp.start();
      const landed = await reach(s, landing.jar, attempt.url);
      assert.ok(landed.callback?.startsWith(REDIRECT), 'the redemption session signs the guest in to the app');
      const tokens = await attempt.tokens(landed.callback!);
      assert.equal(tokens.claims()!.oid, inv.invitedUser.id);

      const reset = await t.api('POST', '/v1.0/invitations', {
        invitedUserEmailAddress: 'sam@partner.example',
        inviteRedirectUrl: REDIRECT,
        resetRedemption: true,
        invitedUser: { id: inv.invitedUser.id },
      });
      assert.equal(reset.status, 201, JSON.stringify(reset.body));
      await assert.rejects(client.refreshTokenGrant(rp.rp, tokens.refresh_token!), oauthError('invalid_grant'));
      assert.equal(await userinfo(tokens.access_token), 401);
      assert.deepEqual(await leftovers(inv.invitedUser.id), { models: new Set(), sessions: 0 });
      atSignInPage(await openApp(landing.jar));
    });

    it('a disabled guest typing their address at the sign-in page is told at once (AADSTS50057), before any passcode', async () => {
      const inv = (
        await t.api('POST', '/v1.0/invitations', {
          invitedUserEmailAddress: 'gus@partner.example',
          inviteRedirectUrl: REDIRECT,
        })
      ).body;
      assert.equal((await t.api('PATCH', `/v1.0/users/${inv.invitedUser.id}`, { accountEnabled: false })).status, 204);
      const jar = new CookieJar();
      const identifier = await openApp(jar);
      atSignInPage(identifier);
      const outbox = async () =>
        (
          await s.portico.services.store.db
            .selectFrom('outbox')
            .select('id')
            .where('tenant_id', '=', t.tenantId)
            .execute()
        ).length;
      const queued = await outbox();
      const posted = await postForm(jar, new URL(formAction(identifier.page, '/identifier'), s.baseUrl).toString(), {
        login: 'gus@partner.example',
      });
      assert.equal(posted.status, 400);
      assert.match(await posted.text(), /This account is disabled/);
      const logged = (
        await t.api('GET', `/v1.0/auditLogs/signIns?$filter=${encodeURIComponent(`userId eq '${inv.invitedUser.id}'`)}`)
      ).body.value;
      assert.deepEqual(
        logged.map((e: { status: { errorCode: number } }) => e.status.errorCode),
        [50057],
      );
      assert.equal(await outbox(), queued, 'no passcode is queued');
    });

    it("a disabled user's OpenID session that outlived the change leads to the sign-in page, not an error", async () => {
      const eveId = await member('eve');
      const eve = await signedIn('eve@contoso.example');
      // Disabled behind Portico's back (no revocation): the provider's session row is still there. Written directly
      // on purpose: every product path that disables a user also revokes the sessions, and this test is about a
      // session that outlived the change anyway (a node that died between the two, a restored backup).
      await s.portico.services.store.db
        .updateTable('users')
        .set({ account_enabled: 0 })
        .where('tenant_id', '=', t.tenantId)
        .where('id', '=', eveId)
        .execute();
      assert.ok((await leftovers(eveId)).models.has('Session'));
      atSignInPage(await openApp(eve.jar));
      await assert.rejects(client.refreshTokenGrant(rp.rp, eve.tokens.refresh_token!), oauthError('invalid_grant'));
    });
  },
);
