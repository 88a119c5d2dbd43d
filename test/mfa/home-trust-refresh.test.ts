// Inbound trust of a guest's home MFA beyond the sign-in pages (issue #20), over HTTP on both stores: oidc-provider's
// silent sign-in (prompt=none, oidc/app-gate.ts mfa_pending) and the refresh token grant (oidc/token-gate.ts).
// Contoso trusts Fabrikam's MFA (inboundTrust.isMfaAccepted). Raj, signed in to Fabrikam with a password only, redeems
// Contoso's invitation as that account and signs in to a Contoso app (no policy yet: no MFA asked). Contoso then
// requires MFA of everyone: his refresh token is refused (AADSTS50076) and a silent sign-in needs interaction, since
// the trust accepts MFA his home did, and it did none. Raj then signs in to Fabrikam again with an authenticator app in
// the same browser: the silent sign-in at Contoso now passes by that trusted MFA (its ID token says fed, mfa, otp) and
// the refresh token it gives is accepted under the policy, while the old one still is not.
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { decodeJwt } from 'jose';
import * as client from 'openid-client';

import { liveSession, sessionCookieName } from '../../src/sessions/sessions.ts';
import { newUserBody, tenantWithApi, type TenantApi } from '../helpers/api.ts';
import { appClient, REDIRECT, type AppClient } from '../helpers/app-client.ts';
import { registerTotp, requireMfa } from '../helpers/mfa.ts';
import { openLink, submit } from '../helpers/redeem.ts';
import { CookieJar, follow, formAction, postForm } from '../helpers/signin.ts';
import { suite } from '../helpers/suite.ts';

const PASSWORD = newUserBody('x').passwordProfile.password;

suite(
  'MFA trusted from the home tenant: silent sign-in and refresh',
  { clock: 'manual', runWorker: false },
  ({ s, clock }) => {
    let contoso: TenantApi;
    let fabrikam: TenantApi;
    let fabrikamApp: AppClient;
    let contosoApp: AppClient;
    let rajId = '';
    const jar = new CookieJar();

    before(async () => {
      contoso = await tenantWithApi(s, 'Contoso', { domain: 'contoso.example', adminEmail: 'admin@contoso.example' });
      fabrikam = await tenantWithApi(s, 'Fabrikam', {
        domain: 'fabrikam.example',
        adminEmail: 'admin@fabrikam.example',
      });
      fabrikamApp = await appClient(s, fabrikam.tenantId);
      contosoApp = await appClient(s, contoso.tenantId);
      const raj = await fabrikam.api('POST', '/v1.0/users', newUserBody('raj@fabrikam.example', 'Raj'));
      assert.equal(raj.status, 201, JSON.stringify(raj.body));
      rajId = raj.body.id as string;
      const partner = await contoso.api('POST', '/v1.0/policies/crossTenantAccessPolicy/partners', {
        tenantId: fabrikam.tenantId,
        inboundTrust: { isMfaAccepted: true },
      });
      assert.equal(partner.status, 201, JSON.stringify(partner.body));
    });

    /** Signs Raj in to Fabrikam's app in `jar` with his password (`extra` on the URL): the page reached or the callback. */
    async function fabrikamSignIn(extra = '') {
      const attempt = await fabrikamApp.start();
      const first = await follow(jar, attempt.url + extra, s.baseUrl);
      assert.ok(first.res, `a page, not ${first.url}`);
      const login = 'raj@fabrikam.example';
      const pw = await postForm(jar, new URL(formAction(await first.res.text(), '/identifier'), s.baseUrl).toString(), {
        login,
      });
      return postForm(jar, new URL(formAction(await pw.text(), '/password'), s.baseUrl).toString(), {
        login,
        password: PASSWORD,
      });
    }

    /** A Contoso app's sign-in in `jar` that asks for no page: the callback URL it lands on. */
    async function contosoCallback(extra = '') {
      const attempt = await contosoApp.start();
      const reached = await follow(jar, attempt.url + extra, s.baseUrl);
      assert.ok(!reached.res, `no page, not ${reached.url}`);
      return { attempt, callback: new URL(reached.url) };
    }

    /** The OAuth error and Entra's code of a refused refresh. */
    const refusedRefresh = (refreshToken: string) =>
      client.refreshTokenGrant(contosoApp.rp, refreshToken).then(
        () => assert.fail('the refresh token was accepted'),
        (e: { error?: string; error_description?: string }) => [
          e.error,
          /^AADSTS(\d+)/.exec(e.error_description ?? '')?.[1],
        ],
      );

    let oldRefresh = '';

    it('a guest signed in at home with a password only: trust is no MFA at refresh or at a silent sign-in', async () => {
      const home = await fabrikamSignIn();
      assert.equal(home.status, 303, 'no MFA asked at Fabrikam');
      const invited = await contoso.api('POST', '/v1.0/invitations', {
        invitedUserEmailAddress: 'raj@fabrikam.example',
        inviteRedirectUrl: REDIRECT,
        sendInvitationMessage: false,
      });
      assert.equal(invited.status, 201, JSON.stringify(invited.body));
      const switchPage = await openLink(s, invited.body.inviteRedeemUrl as string, jar);
      assert.match(switchPage.page, /already signed in/);
      const consent = await submit(s, switchPage, '/redeem/switch', { choice: 'continue' });
      const redeemed = await submit(s, consent, '/redeem/consent', { decision: 'accept' });
      assert.equal(redeemed.location, REDIRECT, redeemed.page.slice(0, 400));

      const first = await contosoCallback();
      const tokens = await first.attempt.tokens(first.callback.toString());
      assert.deepEqual(decodeJwt(tokens.id_token!).amr, ['fed'], 'no MFA anywhere yet');
      oldRefresh = tokens.refresh_token!;

      await requireMfa(contoso.api, ['All']);
      assert.deepEqual(await refusedRefresh(oldRefresh), ['invalid_grant', '50076']);
      const silent = await contosoCallback('&prompt=none');
      assert.equal(silent.callback.searchParams.get('error'), 'interaction_required');
    });

    it('once his home session did MFA, the silent sign-in passes by the trust and its refresh token is accepted', async () => {
      // Fabrikam now asks Raj for MFA: he signs in there again (prompt=login) with an authenticator app.
      await requireMfa(fabrikam.api, [rajId]);
      const asked = await fabrikamSignIn('&prompt=login');
      assert.equal(asked.status, 200);
      const registered = await registerTotp(s, jar, await asked.text(), () => clock.now());
      assert.equal(registered.res.status, 303);

      const silent = await contosoCallback('&prompt=none');
      assert.equal(silent.callback.searchParams.get('error'), null, silent.callback.toString());
      const tokens = await silent.attempt.tokens(silent.callback.toString());
      assert.deepEqual(decodeJwt(tokens.id_token!).amr, ['fed', 'mfa', 'otp'], "Fabrikam's MFA, trusted");
      // Recorded with the sign-in: the refresh token works under the policy, and Contoso's session did MFA.
      const refreshed = await client.refreshTokenGrant(contosoApp.rp, tokens.refresh_token!);
      assert.ok(refreshed.access_token);
      assert.deepEqual(decodeJwt(refreshed.id_token!).amr, ['fed', 'mfa', 'otp']);
      const { store, clock: c } = s.portico.services;
      const session = await liveSession(store.db, c, contoso.tenantId, jar.value(sessionCookieName(contoso.tenantId)));
      assert.deepEqual(session?.mfa?.amr, ['otp']);
      // The refresh token of the sign-in without MFA is still refused.
      assert.deepEqual(await refusedRefresh(oldRefresh), ['invalid_grant', '50076']);
    });
  },
);
