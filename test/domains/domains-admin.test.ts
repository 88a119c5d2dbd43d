// The admin center's domains page on both stores, against a real DNS server on loopback: it lists the domains,
// adds one and shows the TXT record to publish; Verify from the page fails clearly without the record and works
// with it; Unverify and Remove take effect at once; each change is audited as the signed-in admin. Refusals change
// nothing, and a Guest Inviter may look but not change.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';

import { GUEST_INVITER } from '../../src/admin/roles.ts';
import { listAudit } from '../../src/directory/audit.ts';
import { listDomains } from '../../src/directory/tenants.ts';
import { grantRoles, openAdmin, type Login } from '../helpers/admin.ts';
import { startTestDns, type TestDns } from '../helpers/dns.ts';
import { CookieJar, postForm, request } from '../helpers/signin.ts';
import { suite } from '../helpers/suite.ts';

const PASSWORD = 'correct-horse-battery';
const unescape = (html: string) =>
  html
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');

suite(
  'admin center domains',
  { tenant: { name: 'Contoso', domain: 'contoso.example', adminEmail: 'admin@contoso.example' } },
  ({ s, t, prepare }) => {
    let dns: TestDns;
    let base: string;
    prepare(async () => {
      dns = await startTestDns();
      return { runWorker: false, env: { PORTICO_DNS_SERVERS: dns.server } };
    });
    before(async () => {
      base = `${s.baseUrl}/admin/${t.tenantId}/domains`;
      const ivy = (
        await t.api('POST', '/v1.0/users', {
          accountEnabled: true,
          displayName: 'ivy',
          mailNickname: 'ivy',
          userPrincipalName: 'ivy@contoso.example',
          passwordProfile: { password: PASSWORD },
        })
      ).body;
      await grantRoles(t, ivy.id, [GUEST_INVITER]);
    });
    after(async () => {
      await dns?.close();
    });

    const asAdmin = {
      email: 'admin@contoso.example',
      get password() {
        return t.adminPassword;
      },
    };
    const open = (jar: CookieJar, url: string, login?: Login) => openAdmin(s, jar, url, login);
    const csrfOf = (page: string) => /name="csrf" value="([^"]+)"/.exec(page)![1]!;
    const txtOn = (page: string) => /<code id="txt-value">([^<]+)<\/code>/.exec(page)?.[1];
    const directLink = async (name: string) => (await request(new CookieJar(), `${s.baseUrl}/myapps/${name}`)).status;
    const audit = async () =>
      (await listAudit(s.portico.services.store.db, t.tenantId, { top: 100 })).map(
        (e) =>
          `${e.activityDisplayName} ${e.targetResources[0]?.id} by ${e.initiatedBy.kind === 'user' ? e.initiatedBy.userPrincipalName : e.initiatedBy.kind}`,
      );
    const domains = async () =>
      (await listDomains(s.portico.services.store.db, t.tenantId)).map((d) => `${d.name}:${d.isVerified}`);

    it('adds a domain, shows its TXT record, and Verify from the page works once it is published', async () => {
      const jar = new CookieJar();
      const list = await open(jar, base, asAdmin);
      assert.equal(list.status, 200);
      assert.match(list.page, /aria-current="page"[^>]*>Domains/);
      assert.match(
        list.page,
        /<a href="[^"]+\/domains\/contoso\.portico\.localhost">contoso\.portico\.localhost<\/a><\/td><td>Initial, verified/,
      );
      assert.match(list.page, /contoso\.example<\/a><\/td><td>Verified/);
      assert.match(list.page, /<label for="name">Domain name<\/label>/);

      const added = await postForm(jar, base, { csrf: csrfOf(list.page), name: ' Northwind.Example ' });
      assert.equal(added.status, 303);
      assert.equal(added.headers.get('location'), `/admin/${t.tenantId}/domains/northwind.example?done=added`);
      const page = (await open(jar, new URL(added.headers.get('location')!, s.baseUrl).toString())).page;
      assert.match(page, /role="status">northwind\.example was added/);
      assert.match(page, /<strong>Not verified<\/strong>/);
      const text = txtOn(page)!;
      assert.equal(
        text,
        (await t.api('GET', '/v1.0/domains/northwind.example/verificationDnsRecords')).body.value[0].text,
        'the page and the API show the same record',
      );
      assert.match(page, /<th scope="row">Type<\/th><td>TXT<\/td>/);
      assert.equal(await directLink('northwind.example'), 404);

      // Verify before publishing: a clear message on the same page, nothing changes.
      const events = (await audit()).length;
      const early = await postForm(jar, `${base}/northwind.example/verify`, { csrf: csrfOf(page) });
      assert.equal(early.status, 400);
      const earlyPage = unescape(await early.text());
      assert.match(earlyPage, /role="alert">Verification failed: the TXT record was not found at northwind\.example/);
      assert.equal(txtOn(earlyPage), text, 'the record to publish is still shown');
      assert.deepEqual((await domains()).includes('northwind.example:false'), true);
      assert.equal((await audit()).length, events);

      dns.publish('northwind.example', text);
      const verified = await postForm(jar, `${base}/northwind.example/verify`, { csrf: csrfOf(page) });
      assert.equal(verified.status, 303);
      const shown = (await open(jar, new URL(verified.headers.get('location')!, s.baseUrl).toString())).page;
      assert.match(shown, /role="status">northwind\.example is verified\./);
      assert.match(shown, new RegExp(`/myapps/northwind\\.example lead to Contoso`));
      assert.equal(txtOn(shown), undefined, 'a verified domain has nothing left to publish');
      assert.equal(await directLink('northwind.example'), 303);
      assert.ok((await audit()).includes('Verify domain northwind.example by admin@contoso.example'));
    });

    it('Unverify and Remove take effect at once and are audited', async () => {
      const jar = new CookieJar();
      const page = (await open(jar, `${base}/northwind.example`, asAdmin)).page;
      const unverified = await postForm(jar, `${base}/northwind.example/unverify`, { csrf: csrfOf(page) });
      assert.equal(unverified.status, 303);
      assert.equal(await directLink('northwind.example'), 404);
      const shown = (await open(jar, new URL(unverified.headers.get('location')!, s.baseUrl).toString())).page;
      assert.match(shown, /northwind\.example is no longer verified/);
      assert.ok(txtOn(shown), 'the record to publish is shown again');

      const confirm = await open(jar, `${base}/northwind.example/remove`);
      assert.match(confirm.page, /<h1>Remove northwind\.example\?<\/h1>/);
      const removed = await postForm(jar, `${base}/northwind.example/remove`, { csrf: csrfOf(confirm.page) });
      assert.equal(removed.status, 303);
      const listed = (await open(jar, new URL(removed.headers.get('location')!, s.baseUrl).toString())).page;
      assert.match(listed, /role="status">northwind\.example was removed/);
      assert.doesNotMatch(listed, /<a href="[^"]+">northwind\.example<\/a>/);
      const trail = await audit();
      assert.ok(trail.includes('Unverify domain northwind.example by admin@contoso.example'));
      assert.ok(trail.includes('Remove unverified domain northwind.example by admin@contoso.example'));
    });

    it('refuses what cannot be done with a message that says why, changing nothing', async () => {
      const jar = new CookieJar();
      const list = await open(jar, base, asAdmin);
      const csrf = csrfOf(list.page);
      const before = await domains();

      const bad = await postForm(jar, base, { csrf, name: 'not a domain' });
      assert.equal(bad.status, 400);
      const badPage = await bad.text();
      assert.match(badPage, /id="name-error" class="error" role="alert">Type a domain name such as fabrikam\.com\./);
      assert.match(badPage, /aria-invalid="true"/);
      assert.match(
        await (await postForm(jar, base, { csrf, name: 'other.portico.localhost' })).text(),
        /Names under portico\.localhost are the initial domains/,
      );
      assert.match(
        await (await postForm(jar, base, { csrf, name: 'contoso.example' })).text(),
        /contoso\.example is already one of your domains/,
      );

      // The admin's own sign-in name is in contoso.example: it stays.
      const inUse = await postForm(jar, `${base}/contoso.example/remove`, { csrf });
      assert.equal(inUse.status, 400);
      assert.match(await inUse.text(), /Users of your organization sign in with names under contoso\.example/);
      const initialPage = (await open(jar, `${base}/contoso.portico.localhost`)).page;
      assert.match(initialPage, /always verified and cannot be removed/);
      assert.doesNotMatch(initialPage, /Remove domain/);
      assert.equal((await postForm(jar, `${base}/contoso.portico.localhost/remove`, { csrf })).status, 400);

      assert.equal((await postForm(jar, base, { csrf: 'forged', name: 'forged.example' })).status, 403);
      assert.equal((await open(jar, `${base}/nowhere.example`)).status, 404);
      assert.deepEqual(await domains(), before);
    });

    it('a Guest Inviter sees the domains but cannot change them', async () => {
      const jar = new CookieJar();
      const list = await open(jar, base, { email: 'ivy@contoso.example', password: PASSWORD });
      assert.equal(list.status, 200);
      assert.match(list.page, /Your role can view domains but not change them/);
      assert.doesNotMatch(list.page, /<label for="name">/);
      const detail = (await open(jar, `${base}/contoso.example`)).page;
      assert.doesNotMatch(detail, /Unverify|Remove domain/);
      const refused = await postForm(jar, base, { csrf: csrfOf(list.page), name: 'ivy.example' });
      assert.equal(refused.status, 403);
      assert.equal((await postForm(jar, `${base}/contoso.example/unverify`, { csrf: csrfOf(list.page) })).status, 403);
      assert.ok(!(await domains()).some((d) => d.startsWith('ivy.example')));
      assert.equal(await directLink('contoso.example'), 303);
    });
  },
);
