// A sign-in stopped at its MFA step is no identity anywhere else (issue #20, sessions/switch.ts over
// signin/session-steps.ts), over HTTP on both stores. The tenant's sign-in pages start the Portico session at the
// password, before the MFA step; that half-finished session must not be offered by "already signed in" (an app's
// sign-in at a tenant where the member is a guest, an invitation link) or by the account picker (prompt=select_account)
// until its MFA is done. Raj of Fabrikam is an accepted guest of Contoso; Fabrikam then requires MFA of him. A browser
// where he gave only his password at Fabrikam gets Contoso's own sign-in page, the picker offers no one and Northwind's
// invitation shows no "continue as"; once he finishes MFA at Fabrikam in that browser, all three offer him again.
import assert from 'node:assert/strict';
import { before, it } from 'node:test';

import { newUserBody, tenantWithApi, type TenantApi } from '../helpers/api.ts';
import { appClient, REDIRECT, type AppClient } from '../helpers/app-client.ts';
import { registerTotp, requireMfa } from '../helpers/mfa.ts';
import { openLink, submit } from '../helpers/redeem.ts';
import { CookieJar, follow, formAction, postForm } from '../helpers/signin.ts';
import { suite } from '../helpers/suite.ts';

const PASSWORD = newUserBody('x').passwordProfile.password;
const RAJ = 'raj@fabrikam.example';

suite('a sign-in stopped at MFA is offered nowhere', { clock: 'manual', runWorker: false }, ({ s, clock }) => {
  let contoso: TenantApi;
  let fabrikam: TenantApi;
  let northwind: TenantApi;
  let fabrikamApp: AppClient;
  let contosoApp: AppClient;

  /** Signs Raj in to Fabrikam's app in `jar` with his password: the answer (a page, or a redirect back to the app). */
  async function fabrikamPassword(jar: CookieJar) {
    const attempt = await fabrikamApp.start();
    const first = await follow(jar, attempt.url, s.baseUrl);
    assert.ok(first.res, `a page, not ${first.url}`);
    const pw = await postForm(jar, new URL(formAction(await first.res.text(), '/identifier'), s.baseUrl).toString(), {
      login: RAJ,
    });
    return postForm(jar, new URL(formAction(await pw.text(), '/password'), s.baseUrl).toString(), {
      login: RAJ,
      password: PASSWORD,
    });
  }

  const invite = async (t: TenantApi) => {
    const res = await t.api('POST', '/v1.0/invitations', {
      invitedUserEmailAddress: RAJ,
      inviteRedirectUrl: REDIRECT,
      sendInvitationMessage: false,
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body.inviteRedeemUrl as string;
  };

  before(async () => {
    contoso = await tenantWithApi(s, 'Contoso', { domain: 'contoso.example', adminEmail: 'admin@contoso.example' });
    fabrikam = await tenantWithApi(s, 'Fabrikam', { domain: 'fabrikam.example', adminEmail: 'admin@fabrikam.example' });
    northwind = await tenantWithApi(s, 'Northwind', { domain: 'northwind.example' });
    fabrikamApp = await appClient(s, fabrikam.tenantId);
    contosoApp = await appClient(s, contoso.tenantId);
    const raj = await fabrikam.api('POST', '/v1.0/users', newUserBody(RAJ, 'Raj'));
    assert.equal(raj.status, 201, JSON.stringify(raj.body));
    // Raj becomes Contoso's guest by his Fabrikam account (no MFA anywhere yet), then Fabrikam requires MFA of him.
    const jar = new CookieJar();
    assert.equal((await fabrikamPassword(jar)).status, 303);
    const switchPage = await openLink(s, await invite(contoso), jar);
    const consent = await submit(s, switchPage, '/redeem/switch', { choice: 'continue' });
    const done = await submit(s, consent, '/redeem/consent', { decision: 'accept' });
    assert.equal(done.location, REDIRECT, done.page.slice(0, 400));
    await requireMfa(fabrikam.api, [raj.body.id as string]);
  });

  /** What a Contoso app's sign-in shows in `jar` (`extra` on the authorization URL). */
  async function contosoPage(jar: CookieJar, extra = '') {
    const reached = await follow(jar, (await contosoApp.start()).url + extra, s.baseUrl);
    assert.ok(reached.res, `a page, not ${reached.url}`);
    return reached.res.text();
  }

  const jar = new CookieJar();
  let mfaPage = '';

  it('password only at Fabrikam, MFA pending: no "continue as", no picker entry, no invitation switch', async () => {
    const stopped = await fabrikamPassword(jar);
    assert.equal(stopped.status, 200);
    mfaPage = await stopped.text();
    assert.match(mfaPage, /More information required/, 'Fabrikam waits for MFA');

    const signIn = await contosoPage(jar);
    assert.doesNotMatch(signIn, /already signed in/);
    assert.match(signIn, /\/identifier"/, "Contoso's own sign-in page");
    const picker = await contosoPage(jar, '&prompt=select_account');
    assert.doesNotMatch(picker, /Raj/, 'the picker offers no one');
    assert.match(picker, /\/identifier"/);
    const link = await openLink(s, await invite(northwind), jar);
    assert.doesNotMatch(link.page, /already signed in/);
  });

  it('once MFA is done at Fabrikam, the same browser is offered as Raj again', async () => {
    const registered = await registerTotp(s, jar, mfaPage, () => clock.now());
    assert.equal(registered.res.status, 303);
    assert.match(await contosoPage(jar), /already signed in/);
    assert.match(await contosoPage(jar, '&prompt=select_account'), /Raj/);
    assert.match((await openLink(s, await invite(northwind), jar)).page, /already signed in/);
  });
});
