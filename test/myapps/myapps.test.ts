// My Apps over HTTP on both stores: signing in through the tenant's own pages, the apps a person may use as tiles,
// the organizations switcher for a guest of two tenants (each tenant's token with its own tid/oid), direct links
// by tenant id and verified domain, the common endpoint's "sign in to an organization", and sign out.
import assert from 'node:assert/strict';
import { before, it } from 'node:test';

import { createApp } from '../../src/apps/apps.ts';
import { assignPrincipal } from '../../src/apps/assignments.ts';
import { tenantWithApi, type TenantApi } from '../helpers/api.ts';
import { relyingParty } from '../helpers/federation.ts';
import { openLink, submit } from '../helpers/redeem.ts';
import { CookieJar, follow, formAction, postForm, request } from '../helpers/signin.ts';
import { suite } from '../helpers/suite.ts';

suite('My Apps', { runWorker: false }, ({ s }) => {
  let contoso: TenantApi;
  let woodgrove: TenantApi;
  let fabrikam: TenantApi;
  const actor = { kind: 'system' as const, displayName: 'test' };
  before(async () => {
    contoso = await tenantWithApi(s, 'Contoso', { domain: 'contoso.example', adminEmail: 'admin@contoso.example' });
    woodgrove = await tenantWithApi(s, 'Woodgrove');
    fabrikam = await tenantWithApi(s, 'Fabrikam', { domain: 'fabrikam.example', adminEmail: 'admin@fabrikam.example' });
    const { clock, store } = s.portico.services;
    await store.transaction(async (tx) => {
      await createApp(
        tx,
        clock,
        contoso.tenantId,
        {
          displayName: 'Expenses',
          grantTypes: ['authorization_code'],
          redirectUris: ['https://expenses.example/cb'],
          homepageUrl: 'https://expenses.example/',
        },
        actor,
      );
      const payroll = await createApp(
        tx,
        clock,
        contoso.tenantId,
        {
          displayName: 'Payroll',
          grantTypes: ['authorization_code'],
          redirectUris: ['https://payroll.example/cb'],
          assignmentRequired: true,
        },
        actor,
      );
      await createApp(
        tx,
        clock,
        contoso.tenantId,
        {
          displayName: 'Hidden tool',
          grantTypes: ['authorization_code'],
          redirectUris: ['https://hidden.example/cb'],
          visibleInMyApps: false,
        },
        actor,
      );
      await assignPrincipal(tx, clock, contoso.tenantId, payroll.app.id, contoso.admin.id, 'User', actor);
    });
  });

  /** Opens My Apps; when it sends the browser to sign in, types the address and the password there. */
  async function myApps(jar: CookieJar, url: string, login?: { email: string; password: string }) {
    let reached = await follow(jar, url, s.baseUrl);
    if (login && reached.res && /name="login"/.test(await reached.res.clone().text())) {
      const typed = await postForm(
        jar,
        new URL(formAction(await reached.res.text(), '/identifier'), s.baseUrl).toString(),
        { login: login.email },
      );
      let html = await typed.text();
      if (typed.status === 303) {
        const next = await follow(jar, new URL(typed.headers.get('location')!, s.baseUrl).toString(), s.baseUrl);
        html = await next.res!.text();
        const action = /action="(\/redeem\/home)"/.exec(html)?.[1];
        const csrf = /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
        const done = await postForm(jar, `${s.baseUrl}${action}`, { csrf, password: login.password });
        reached = await follow(jar, new URL(done.headers.get('location')!, s.baseUrl).toString(), s.baseUrl);
      } else {
        const done = await postForm(jar, new URL(formAction(html, '/password'), s.baseUrl).toString(), {
          login: login.email,
          password: login.password,
        });
        reached = await follow(jar, new URL(done.headers.get('location')!, s.baseUrl).toString(), s.baseUrl);
      }
    }
    return { url: reached.url, page: reached.res ? await reached.res.text() : '', status: reached.res?.status };
  }

  it("a member signs in through the tenant's pages and sees the apps they may use", async () => {
    const jar = new CookieJar();
    const page = await myApps(jar, `${s.baseUrl}/myapps?tenantid=${contoso.tenantId}`, {
      email: 'admin@contoso.example',
      password: contoso.adminPassword,
    });
    assert.equal(page.url, `${s.baseUrl}/myapps?tenantid=${contoso.tenantId}`);
    assert.match(page.page, /My Apps/);
    const tile = /href="(\/myapps\/launch\/[^"]+)"[^>]*>(?:(?!<\/a>).)*Expenses/s
      .exec(page.page)?.[1]
      ?.replace(/&amp;/g, '&');
    assert.ok(tile, 'Expenses has a tile with its sign-on link');
    const launched = await request(jar, `${s.baseUrl}${tile}`);
    assert.equal(launched.headers.get('location'), 'https://expenses.example/');
    assert.match(page.page, /Payroll/, 'an assigned app is listed');
    assert.doesNotMatch(page.page, /Hidden tool/);
    // Signed in: the same URL shows the page at once, and /myapps alone returns to it.
    assert.equal((await request(jar, `${s.baseUrl}/myapps?tenantid=${contoso.tenantId}`)).status, 200);
    const bare = await request(jar, `${s.baseUrl}/myapps`);
    assert.equal(bare.headers.get('location'), `/myapps?tenantid=${contoso.tenantId}`);
  });

  it("a guest of two tenants sees both with their home in the switcher, and each tenant's token carries its tid/oid", async () => {
    await fabrikam.api('POST', '/v1.0/users', {
      accountEnabled: true,
      displayName: 'Bea',
      mailNickname: 'bea',
      userPrincipalName: 'bea@fabrikam.example',
      passwordProfile: { password: 'correct-horse-battery' },
    });
    const guestIds: Record<string, string> = {};
    for (const t of [contoso, woodgrove]) {
      const inv = (
        await t.api('POST', '/v1.0/invitations', {
          invitedUserEmailAddress: 'bea@fabrikam.example',
          inviteRedirectUrl: 'https://nowhere.example/',
          sendInvitationMessage: false,
        })
      ).body;
      guestIds[t.tenantId] = inv.invitedUser.id;
      const signIn = await submit(s, await openLink(s, inv.inviteRedeemUrl), '/redeem/start');
      const consent = await submit(s, signIn, '/redeem/home', { password: 'correct-horse-battery' });
      await submit(s, consent, '/redeem/consent', { decision: 'accept' });
    }
    const jar = new CookieJar();
    const page = await myApps(jar, `${s.baseUrl}/myapps?tenantid=${contoso.tenantId}`, {
      email: 'bea@fabrikam.example',
      password: 'correct-horse-battery',
    });
    assert.match(page.page, /Fabrikam \(home\)/);
    assert.match(page.page, /Contoso \(guest\) \(current\)/);
    assert.match(page.page, new RegExp(`href="/myapps\\?tenantid=${woodgrove.tenantId}"[^>]*>Woodgrove \\(guest\\)`));
    assert.doesNotMatch(page.page, /Payroll/, 'an app requiring assignment is not listed for the unassigned guest');
    const payroll = (await contoso.api('GET', `/v1.0/applications?$filter=displayName eq 'Payroll'`)).body.value[0];
    const refused = await request(jar, `${s.baseUrl}/myapps/launch/${payroll.appId}?tenantid=${contoso.tenantId}`);
    assert.equal(refused.status, 403);
    assert.match((await refused.text()).replace(/&#39;/g, "'"), /You don't have access to Payroll/);

    for (const t of [contoso, woodgrove]) {
      const app = await relyingParty(s, t.tenantId);
      const { url, claims } = await app.authorize();
      let landed = await follow(jar, url, s.baseUrl);
      if (landed.res)
        landed = {
          url: (await myApps(jar, url, { email: 'bea@fabrikam.example', password: 'correct-horse-battery' })).url,
        };
      const c = await claims(landed.url);
      assert.equal(c.tid, t.tenantId);
      assert.equal(c.oid, guestIds[t.tenantId]);
      assert.equal(c.acct, 1);
      assert.equal(c.idp, `${s.baseUrl}/${fabrikam.tenantId}/v2.0`);
    }
  });

  it("an app's sign-on link signs the person in first, then opens the app", async () => {
    const expenses = (await contoso.api('GET', `/v1.0/applications?$filter=displayName eq 'Expenses'`)).body.value[0];
    const jar = new CookieJar();
    const opened = await myApps(jar, `${s.baseUrl}/myapps/launch/${expenses.appId}?tenantid=${contoso.tenantId}`, {
      email: 'admin@contoso.example',
      password: contoso.adminPassword,
    });
    assert.equal(opened.url, 'https://expenses.example/');
  });

  it('direct links: a verified domain carries tenant context; an unknown one or tenant id is a clear 404', async () => {
    const jar = new CookieJar();
    const byDomain = await request(jar, `${s.baseUrl}/myapps/contoso.example`);
    assert.equal(byDomain.status, 303);
    const location = new URL(byDomain.headers.get('location')!);
    assert.equal(location.pathname, `/${contoso.tenantId}/v2.0/auth`);
    assert.equal(location.searchParams.get('client_id'), 'portico-myapps');
    for (const path of ['/myapps/unknown.example', '/myapps?tenantid=00000000-0000-4000-8000-000000000000']) {
      const res = await request(jar, `${s.baseUrl}${path}`);
      assert.equal(res.status, 404);
      assert.match(await res.text(), /doesn(?:'|&#39;)t exist here/);
    }
  });

  it('the common endpoint: sign-in options, then the organization by its domain', async () => {
    const jar = new CookieJar();
    const options = await request(jar, `${s.baseUrl}/myapps`);
    const html = await options.text();
    assert.match(html, /Sign-in options/);
    assert.match(html, /Sign in to an organization/);
    assert.match(html, /<label for="domain">/);
    const found = await request(jar, `${s.baseUrl}/myapps/organization?domain=Fabrikam.example`);
    assert.equal(found.headers.get('location'), '/myapps/fabrikam.example');
    const unknown = await request(jar, `${s.baseUrl}/myapps/organization?domain=nobody.example`);
    assert.equal(unknown.status, 404);
    assert.match(await unknown.text(), /couldn(?:'|&#39;)t find an organization with the domain nobody\.example/);
    assert.equal((await request(jar, `${s.baseUrl}/myapps/organization?domain=not a domain`)).status, 400);
  });

  it('sign out ends the Portico session at the tenant', async () => {
    const jar = new CookieJar();
    await myApps(jar, `${s.baseUrl}/myapps?tenantid=${contoso.tenantId}`, {
      email: 'admin@contoso.example',
      password: contoso.adminPassword,
    });
    const out = await postForm(jar, `${s.baseUrl}/myapps/signout`, { tenantid: contoso.tenantId });
    assert.match(await out.text(), /signed out of Contoso/);
    const again = await request(jar, `${s.baseUrl}/myapps?tenantid=${contoso.tenantId}`);
    assert.equal(again.status, 303);
    assert.match(again.headers.get('location')!, /\/v2\.0\/auth\?/);
  });
});
