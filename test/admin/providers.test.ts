// The admin center's identity provider forms and the personal-accounts setting on both stores: each form adds (or
// edits, or removes) a provider through the domain functions, and the change takes effect in a real redemption
// against real upstream IdPs (a signing SAML IdP, oidc-provider as a corporate IdP and as Google). Refusals are
// shown at their field and store nothing; a Guest Inviter may look but not change; no page carries a client secret.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';

import { GUEST_INVITER } from '../../src/admin/roles.ts';
import { listAudit } from '../../src/directory/audit.ts';
import { requireTenant } from '../../src/directory/tenants.ts';
import { clientSecretOf, listProviders } from '../../src/federation/providers.ts';
import { createPersonalAccount, findPersonalAccount } from '../../src/personal/accounts.ts';
import { hashPassword } from '../../src/secrets.ts';
import { grantRoles, openAdmin, type Login } from '../helpers/admin.ts';
import { readForm } from '../helpers/federation.ts';
import { freePort } from '../helpers/net.ts';
import { startOidcIdp, type OidcIdp } from '../helpers/oidc-idp.ts';
import { openLink, submit, type Redeemer } from '../helpers/redeem.ts';
import { startSamlIdp, type SamlIdp } from '../helpers/saml-idp.ts';
import { CookieJar, follow, formAction, post as postBody, postForm } from '../helpers/signin.ts';
import { suite } from '../helpers/suite.ts';

const PASSWORD = 'correct-horse-battery';
const unescape = (html: string) =>
  html
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');
const csrfOf = (page: string) => /name="csrf" value="([^"]+)"/.exec(page)![1]!;

/** The ids of the visible form controls that no <label for> names. */
function unlabelled(html: string): string[] {
  const controls = [...html.matchAll(/<(?:input|select|textarea)\b[^>]*>/g)]
    .map((m) => m[0])
    .filter((tag) => !tag.includes('type="hidden"'));
  return controls
    .map((tag) => /id="([^"]+)"/.exec(tag)?.[1] ?? tag)
    .filter((id) => !html.includes(`<label for="${id}"`));
}

/** What a browser posts for a multipart form; an empty file input is sent as an empty, nameless file. */
function multipart(fields: Record<string, string>, file?: string): FormData {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) data.append(k, v);
  data.append(
    'metadataFile',
    new Blob([file ?? ''], { type: file ? 'application/xml' : 'application/octet-stream' }),
    file ? 'metadata.xml' : '',
  );
  return data;
}

suite(
  'admin center identity providers',
  { tenant: { name: 'Contoso', domain: 'contoso.example', adminEmail: 'admin@contoso.example' } },
  ({ s, t, prepare }) => {
    let adminUrl: string;
    let saml: SamlIdp;
    let corp: OidcIdp;
    let google: OidcIdp;
    const pages: string[] = [];
    let googlePort: number;
    prepare(async () => {
      googlePort = await freePort();
      return { runWorker: false, env: { PORTICO_GOOGLE_ISSUER: `http://127.0.0.1:${googlePort}` } };
    });
    before(async () => {
      adminUrl = `${s.baseUrl}/admin/${t.tenantId}`;
      const callback = `${s.baseUrl}/${t.tenantId}/federation/oidc/callback`;
      saml = await startSamlIdp();
      corp = await startOidcIdp({ redirectUris: [callback], issuerPath: 'realms/corp' });
      google = await startOidcIdp({ redirectUris: [callback], port: googlePort });
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
      await saml?.close();
      await corp?.close();
      await google?.close();
    });

    const asAdmin: Login = {
      email: 'admin@contoso.example',
      get password() {
        return t.adminPassword;
      },
    };
    /** Opens an admin page, keeping every page seen for the client-secret check. */
    const open = async (jar: CookieJar, url: string, login?: Login) => {
      const reached = await openAdmin(s, jar, url, login);
      pages.push(reached.page);
      return reached;
    };
    const post = async (jar: CookieJar, url: string, fields: Record<string, string> | FormData) => {
      const res =
        fields instanceof FormData ? await postBody(jar, url, { body: fields }) : await postForm(jar, url, fields);
      const page = res.status === 303 ? '' : await res.text();
      pages.push(page);
      return { status: res.status, location: res.headers.get('location') ?? '', page: unescape(page) };
    };
    const providers = () => listProviders(s.portico.services.store.db, t.tenantId);
    const audit = async () =>
      (await listAudit(s.portico.services.store.db, t.tenantId, { top: 100 })).map((e) => e.activityDisplayName);
    const invite = async (email: string) =>
      (
        await t.api('POST', '/v1.0/invitations', {
          invitedUserEmailAddress: email,
          inviteRedirectUrl: 'https://myapps.example/',
        })
      ).body as { inviteRedeemUrl: string; invitedUser: { id: string } };
    const user = async (id: string) => (await t.api('GET', `/v1.0/users/${id}`)).body;
    const start = async (email: string) => {
      const inv = await invite(email);
      return { inv, started: await submit(s, await openLink(s, inv.inviteRedeemUrl), '/redeem/start') };
    };

    /** Signs in admin@contoso.example and opens a new-provider form. */
    async function adminForm(kindPath: 'saml' | 'google' | 'oidc') {
      const jar = new CookieJar();
      const form = await open(jar, `${adminUrl}/identities/new/${kindPath}`, asAdmin);
      assert.equal(form.status, 200);
      return { jar, csrf: csrfOf(form.page), page: form.page };
    }

    /** Back at Portico with the guest's cookies after the IdP: the page reached. */
    async function backAtPortico(r: Redeemer, url: string, fields?: Record<string, string>) {
      const res = fields ? await postForm(r.jar, url, fields) : undefined;
      const reached = await follow(
        r.jar,
        res ? new URL(res.headers.get('location')!, s.baseUrl).toString() : url,
        s.baseUrl,
      );
      const page = reached.res ? await reached.res.text() : '';
      return { ...r, page, csrf: /name="csrf" value="([^"]+)"/.exec(page)?.[1] ?? r.csrf };
    }

    /** Signs in at oidc-provider's dev login form; returns where it sends the browser back to. */
    async function atOidcIdp(idp: OidcIdp, authorizeUrl: string, login: string): Promise<string> {
      const jar = new CookieJar();
      const origin = new URL(idp.issuer).origin;
      const loginPage = await follow(jar, authorizeUrl, origin);
      const posted = await postForm(
        jar,
        new URL(formAction(await loginPage.res!.text(), '/interaction/'), origin).toString(),
        { prompt: 'login', login, password: 'anything' },
      );
      return (await follow(jar, new URL(posted.headers.get('location')!, origin).toString(), origin)).url;
    }

    /** Consents and checks the guest accepted with `issuer`. */
    async function accept(r: Redeemer & { page: string }, userId: string, issuer: string) {
      assert.match(r.page, /Review permissions/);
      const done = await submit(s, r, '/redeem/consent', { decision: 'accept' });
      assert.ok(done.location?.startsWith(`${s.baseUrl}/myapps`), done.location);
      const u = await user(userId);
      assert.equal(u.externalUserState, 'Accepted');
      assert.equal(u.identities[0].issuer, issuer);
    }

    it('SAML: added from the page with pasted metadata, shows the SP values, and a guest of its domain redeems there', async () => {
      const { jar, csrf, page } = await adminForm('saml');
      assert.deepEqual(unlabelled(page), []);
      assert.match(page, /enctype="multipart\/form-data"/);
      for (const value of [
        `${s.baseUrl}/${t.tenantId}/federation/saml`,
        `${s.baseUrl}/${t.tenantId}/federation/saml/acs`,
        `${s.baseUrl}/${t.tenantId}/federation/saml/metadata`,
      ]) {
        assert.ok(page.includes(`<code>${value}</code>`), value);
      }
      const added = await post(
        jar,
        `${adminUrl}/identities/new/saml`,
        multipart({
          csrf,
          displayName: 'Partner SSO',
          protocol: 'saml',
          domains: 'partner.test',
          source: 'metadata',
          metadataXml: saml.metadataXml,
        }),
      );
      assert.equal(added.status, 303);
      assert.match(added.location, /\/identities\/providers\/[\w-]+\?added=1$/);
      const stored = (await providers()).find((p) => p.displayName === 'Partner SSO')!;
      assert.deepEqual(
        {
          kind: stored.kind,
          issuer: stored.issuerUri,
          signIn: stored.passiveSignInUri,
          certs: stored.signingCertificates,
          domains: stored.domains,
        },
        { kind: 'saml', issuer: saml.issuer, signIn: saml.ssoUrl, certs: [saml.certBase64], domains: ['partner.test'] },
      );
      assert.ok((await audit()).includes('Add identity provider'));
      const shown = await open(jar, new URL(added.location, s.baseUrl).toString());
      assert.match(shown.page, /role="status">The identity provider was added\./);
      assert.ok(shown.page.includes(`value="${saml.issuer}"`), 'the page shows the stored issuer');

      saml.user = { nameId: 'alice-0001', email: 'alice@partner.test', displayName: 'Alice Partner' };
      const { inv, started } = await start('alice@partner.test');
      assert.equal(started.status, 303);
      assert.ok(started.location!.startsWith(saml.ssoUrl), started.location);
      const idpForm = readForm(await (await fetch(started.location!)).text());
      await accept(await backAtPortico(started, idpForm.action, idpForm.fields), inv.invitedUser.id, saml.issuer);
    });

    it('SAML and WS-Fed: metadata as an uploaded file or by URL, or typed values; editing a domain takes effect', async () => {
      const { jar, csrf } = await adminForm('saml');
      const upload = await post(
        jar,
        `${adminUrl}/identities/new/saml`,
        multipart(
          {
            csrf,
            displayName: 'Uploaded',
            protocol: 'saml',
            domains: 'upload.test',
            source: 'metadata',
            metadataXml: '',
            metadataUrl: '',
          },
          saml.metadataXml,
        ),
      );
      assert.equal(upload.status, 303, upload.page);
      const byUrl = await post(
        jar,
        `${adminUrl}/identities/new/saml`,
        multipart({
          csrf,
          displayName: 'By URL',
          protocol: 'saml',
          domains: 'byurl.test',
          source: 'metadata',
          metadataUrl: saml.metadataUrl,
        }),
      );
      assert.equal(byUrl.status, 303, byUrl.page);
      const wsfed = await post(
        jar,
        `${adminUrl}/identities/new/saml`,
        multipart({
          csrf,
          displayName: 'Partner AD FS',
          protocol: 'wsfed',
          domains: 'wsfed.test',
          source: 'manual',
          metadataUrl: 'ignored: the typed values are used',
          issuerUri: saml.issuer,
          passiveSignInUri: saml.wsfedUrl,
          signingCertificate: saml.certPem,
        }),
      );
      assert.equal(wsfed.status, 303, wsfed.page);
      const all = await providers();
      assert.equal(all.find((p) => p.displayName === 'Uploaded')?.passiveSignInUri, saml.ssoUrl);
      assert.equal(all.find((p) => p.displayName === 'By URL')?.metadataExchangeUri, saml.metadataUrl);
      const adfs = all.find((p) => p.displayName === 'Partner AD FS')!;
      assert.deepEqual(
        [adfs.kind, adfs.passiveSignInUri, adfs.signingCertificates],
        ['wsfed', saml.wsfedUrl, [saml.certBase64]],
      );

      // Edit: the page shows the typed values; a second domain is added and a guest there is sent to the IdP.
      const editUrl = `${adminUrl}/identities/providers/${adfs.id}`;
      const edit = await open(jar, editUrl);
      assert.deepEqual(unlabelled(edit.page), []);
      assert.match(edit.page, /id="domains"[^>]*>wsfed\.test<\/textarea>/);
      assert.match(edit.page, /-----BEGIN CERTIFICATE-----/);
      const saved = await post(
        jar,
        editUrl,
        multipart({
          csrf,
          displayName: 'Partner AD FS',
          domains: 'wsfed.test\nwsfed2.test',
          source: 'manual',
          issuerUri: saml.issuer,
          passiveSignInUri: saml.wsfedUrl,
          signingCertificate: saml.certPem,
        }),
      );
      assert.equal(saved.status, 303, saved.page);
      assert.deepEqual((await providers()).find((p) => p.id === adfs.id)!.domains, ['wsfed.test', 'wsfed2.test']);
      assert.ok((await audit()).includes('Update identity provider'));
      const { started } = await start('wes@wsfed2.test');
      assert.ok(started.location?.startsWith(saml.wsfedUrl), started.location);
    });

    it('refuses bad metadata, a taken domain and bad values with a 400 at the field, and stores nothing', async () => {
      const { jar, csrf } = await adminForm('saml');
      const was = await providers();
      const events = (await audit()).length;
      const base = { csrf, displayName: 'Broken', protocol: 'saml', domains: 'broken.test', source: 'metadata' };
      for (const [fields, file, at, message] of [
        [
          { ...base, metadataXml: '<md:EntityDescriptor' },
          undefined,
          'metadata',
          'The metadata is not usable SAML 2.0 identity provider metadata: it is not well-formed XML.',
        ],
        [
          base,
          '<?xml version="1.0"?><nothing/>',
          'metadata',
          'The metadata is not usable SAML 2.0 identity provider metadata: no EntityDescriptor with an entityID.',
        ],
        [
          { ...base, metadataUrl: 'http://idp.example/metadata' },
          undefined,
          'metadata',
          'Enter a web address that starts with https://.',
        ],
        [
          { ...base, metadataUrl: 'http://127.0.0.1:1/metadata' },
          undefined,
          'metadata',
          'The metadata could not be read from http://127.0.0.1:1/metadata',
        ],
        [base, undefined, 'metadata', 'Paste the metadata, choose its file, or enter its URL.'],
        [
          { ...base, metadataXml: saml.metadataXml, metadataUrl: saml.metadataUrl },
          undefined,
          'metadata',
          'Give the metadata one way only',
        ],
        [
          { ...base, metadataXml: saml.metadataXml, domains: 'PARTNER.test' },
          undefined,
          'domains',
          "The domain partner.test is already served by the identity provider 'Partner SSO'",
        ],
        [
          { ...base, metadataXml: saml.metadataXml, domains: 'not a domain!' },
          undefined,
          'domains',
          "'not' is not a valid domain name.",
        ],
        [
          {
            ...base,
            source: 'manual',
            issuerUri: saml.issuer,
            passiveSignInUri: saml.ssoUrl,
            signingCertificate: 'not a certificate',
          },
          undefined,
          'signingCertificate',
          'The signing certificate is not a valid X.509 certificate',
        ],
        [
          { ...base, source: 'manual', issuerUri: '', passiveSignInUri: saml.ssoUrl, signingCertificate: saml.certPem },
          undefined,
          'issuerUri',
          'Enter the issuer, at most 2048 characters.',
        ],
      ] as const) {
        const refused = await post(jar, `${adminUrl}/identities/new/saml`, multipart(fields, file));
        assert.equal(refused.status, 400, JSON.stringify(fields));
        assert.ok(
          refused.page.includes(`id="${at}-error" class="error" role="alert">${message}`),
          `${message}\n${refused.page.match(/class="error"[^<]*<?[^<]*/g)}`,
        );
        assert.match(
          refused.page,
          at === 'metadata'
            ? /id="metadataUrl"[^>]*aria-invalid="true"[^>]*aria-describedby="metadata-error"/
            : new RegExp(`id="${at}"[^>]*aria-invalid="true"`),
        );
      }
      const oidc = await adminForm('oidc');
      const taken = await post(oidc.jar, `${adminUrl}/identities/new/oidc`, {
        csrf: oidc.csrf,
        displayName: 'Clash',
        issuer: corp.issuer,
        clientId: 'x',
        clientSecret: 'typed-secret-never-shown',
        domains: 'upload.test',
      });
      assert.equal(taken.status, 400);
      assert.match(
        taken.page,
        /id="domains-error" class="error" role="alert">The domain upload\.test is already served by the identity provider 'Uploaded'/,
      );
      assert.match(taken.page, /id="domains"[^>]*>upload\.test<\/textarea>/, 'the form keeps what was typed');
      const noIssuer = await post(oidc.jar, `${adminUrl}/identities/new/oidc`, {
        csrf: oidc.csrf,
        issuer: 'ftp://corp.example',
        clientId: 'x',
        clientSecret: 'y',
        domains: 'free.test',
      });
      assert.match(
        noIssuer.page,
        /id="issuer-error" class="error" role="alert">issuerUri or discoveryUrl must be an https URL\./,
      );
      assert.deepEqual(await providers(), was);
      assert.equal((await audit()).length, events);
      assert.equal(
        (
          await post(
            jar,
            `${adminUrl}/identities/new/saml`,
            multipart({ ...base, csrf: 'forged', metadataXml: saml.metadataXml }),
          )
        ).status,
        403,
      );
      assert.deepEqual(await providers(), was);
    });

    it('OpenID Connect: added from the page, redeems through it; an edit with the secret left empty keeps it', async () => {
      const { jar, csrf, page } = await adminForm('oidc');
      assert.deepEqual(unlabelled(page), []);
      assert.ok(
        page.includes(`<code>${s.baseUrl}/${t.tenantId}/federation/oidc/callback</code>`),
        'the redirect URI to register',
      );
      const added = await post(jar, `${adminUrl}/identities/new/oidc`, {
        csrf,
        displayName: 'Corp IdP',
        issuer: corp.issuer,
        clientId: corp.clientId,
        clientSecret: corp.clientSecret,
        domains: 'corp.test',
      });
      assert.equal(added.status, 303, added.page);
      const stored = (await providers()).find((p) => p.displayName === 'Corp IdP')!;
      assert.deepEqual(
        [stored.kind, stored.issuerUri, stored.clientId, stored.domains, stored.hasClientSecret],
        ['oidc', corp.issuer, corp.clientId, ['corp.test'], true],
      );

      const editUrl = `${adminUrl}/identities/providers/${stored.id}`;
      const edit = await open(jar, editUrl);
      assert.match(edit.page, /id="clientSecret" name="clientSecret" type="password" autocomplete="off" value=""/);
      assert.match(edit.page, /A client secret is stored\. It is never shown/);
      const saved = await post(jar, editUrl, {
        csrf,
        displayName: 'Corp Login',
        issuer: corp.issuer,
        clientId: corp.clientId,
        clientSecret: '',
        domains: 'corp.test',
      });
      assert.equal(saved.status, 303, saved.page);
      const now = (await providers()).find((p) => p.id === stored.id)!;
      assert.equal(now.displayName, 'Corp Login');
      assert.equal(await clientSecretOf(s.portico.services.store.db, now), corp.clientSecret);
      // mfa-policy: "trusted for MFA" is off unless ticked, and ticking it is saved.
      assert.equal(now.isMfaTrusted, false);
      assert.match((await open(jar, editUrl)).page, /id="mfaTrusted"/);
      const trusted = await post(jar, editUrl, {
        csrf,
        displayName: 'Corp Login',
        issuer: corp.issuer,
        clientId: corp.clientId,
        clientSecret: '',
        domains: 'corp.test',
        mfaTrusted: 'on',
      });
      assert.equal(trusted.status, 303, trusted.page);
      assert.equal((await providers()).find((p) => p.id === stored.id)!.isMfaTrusted, true);

      corp.accounts.set('carl', { sub: 'corp-carl', email: 'carl@corp.test', email_verified: true });
      const { inv, started } = await start('carl@corp.test');
      assert.ok(started.location?.startsWith(corp.issuer), started.location);
      await accept(
        await backAtPortico(started, await atOidcIdp(corp, started.location!, 'carl')),
        inv.invitedUser.id,
        corp.issuer,
      );
    });

    it('Google: added from the page; a gmail.com guest is sent to Google and redeems there', async () => {
      const list = await open(new CookieJar(), `${adminUrl}/identities`, asAdmin);
      assert.match(list.page, />Add Google<\/a>/);
      const { jar, csrf, page } = await adminForm('google');
      assert.deepEqual(unlabelled(page), []);
      const added = await post(jar, `${adminUrl}/identities/new/google`, {
        csrf,
        displayName: 'Google',
        clientId: google.clientId,
        clientSecret: google.clientSecret,
      });
      assert.equal(added.status, 303, added.page);
      const stored = (await providers()).find((p) => p.kind === 'google')!;
      assert.deepEqual(stored.domains, ['gmail.com', 'googlemail.com']);
      assert.doesNotMatch(
        (await open(jar, `${adminUrl}/identities`)).page,
        />Add Google<\/a>/,
        'one Google per tenant',
      );

      google.accounts.set('gina', { sub: 'google-sub-gina', email: 'gina@gmail.com', email_verified: true });
      const { inv, started } = await start('gina@gmail.com');
      assert.ok(started.location?.startsWith(google.issuer), started.location);
      await accept(
        await backAtPortico(started, await atOidcIdp(google, started.location!, 'gina')),
        inv.invitedUser.id,
        'google.com',
      );
    });

    it('removal asks first (a plain form), then the domain falls back to the passcode', async () => {
      const { jar, csrf } = await adminForm('saml');
      const added = await post(
        jar,
        `${adminUrl}/identities/new/saml`,
        multipart({
          csrf,
          displayName: 'Short-lived',
          protocol: 'saml',
          domains: 'gone.test',
          source: 'metadata',
          metadataXml: saml.metadataXml,
        }),
      );
      const id = /providers\/([\w-]+)/.exec(added.location)![1]!;
      assert.ok((await start('gus@gone.test')).started.location?.startsWith(saml.ssoUrl));

      const confirm = await open(jar, `${adminUrl}/identities/providers/${id}/remove`);
      assert.equal(confirm.status, 200);
      assert.match(confirm.page, /<h1>Remove Short-lived\?<\/h1>/);
      assert.match(
        confirm.page,
        new RegExp(`<form method="post" action="/admin/${t.tenantId}/identities/providers/${id}/remove">`),
      );
      assert.ok(
        (await providers()).some((p) => p.id === id),
        'the confirmation page changes nothing',
      );
      const removed = await post(jar, `${adminUrl}/identities/providers/${id}/remove`, { csrf });
      assert.equal(removed.status, 303);
      assert.ok(!(await providers()).some((p) => p.id === id));
      assert.ok((await audit()).includes('Delete identity provider'));
      assert.match(
        (await open(jar, new URL(removed.location, s.baseUrl).toString())).page,
        /role="status">The identity provider was removed\./,
      );
      assert.equal((await open(jar, `${adminUrl}/identities/providers/${id}`)).status, 404);

      const { started } = await start('gwen@gone.test');
      assert.equal(started.status, 200);
      assert.match(started.page, /Enter code/);
    });

    it('personal accounts off: an existing personal account is not used, and with no passcode the guest is told what to do', async () => {
      const { services } = s.portico;
      const tenant = () => requireTenant(services.store.db, t.tenantId);
      const jar = new CookieJar();
      const page = await open(jar, `${adminUrl}/identities`, asAdmin);
      assert.match(
        page.page,
        /<input id="personalAccountsEnabled" name="personalAccountsEnabled" type="checkbox" value="1" checked/,
      );
      assert.match(page.page, /<label for="personalAccountsEnabled" class="inline">/);
      const settings = (fields: Record<string, string>) =>
        post(jar, `${adminUrl}/identities`, {
          csrf: csrfOf(page.page),
          passcodeValidityMinutes: '10',
          requireInvitedAddressProof: '1',
          invitationTicketLifetimeDays: '30',
          ...fields,
        });

      await services.store.transaction(async (tx) =>
        createPersonalAccount(tx, services.clock, {
          email: 'pat@elsewhere.example',
          displayName: 'Pat',
          passwordHash: await hashPassword('personal-password-1', services.config.passwordCost),
          verified: true,
        }),
      );
      assert.match((await start('pat@elsewhere.example')).started.page, /Sign in with your personal account/);
      try {
        assert.equal((await settings({ emailPasscodeEnabled: '1' })).status, 303);
        assert.equal((await tenant()).settings.personalAccountsEnabled, false);
        assert.ok((await audit()).includes('Update external identities settings'));
        assert.doesNotMatch(
          (await open(jar, `${adminUrl}/identities`)).page,
          /id="personalAccountsEnabled"[^>]*checked/,
        );
        const again = await start('pat@elsewhere.example');
        assert.match(again.started.page, /Enter code/, 'the passcode, not the personal account');
        assert.equal(
          (await submit(s, again.started, '/redeem/personal', { password: 'personal-password-1' })).status,
          200,
        );
        assert.equal((await user(again.inv.invitedUser.id)).externalUserState, 'PendingAcceptance');

        assert.equal((await settings({})).status, 303);
        const { inv, started } = await start('nia@elsewhere.example');
        assert.equal(started.status, 403);
        assert.match(unescape(started.page), /<h1>No way to sign in<\/h1>/);
        assert.match(
          unescape(started.page),
          /Contoso invited nia@elsewhere\.example, but there is no way for this address to sign in.*Ask the person who invited you to have Contoso enable a way to sign in/,
        );
        const signup = await submit(s, started, '/redeem/signup', {
          displayName: 'Nia',
          password: 'a-long-enough-password',
        });
        assert.equal(signup.status, 403);
        assert.equal(await findPersonalAccount(services.store.db, 'nia@elsewhere.example'), undefined);
        assert.equal((await user(inv.invitedUser.id)).externalUserState, 'PendingAcceptance');
      } finally {
        await settings({ emailPasscodeEnabled: '1', personalAccountsEnabled: '1' });
      }
      assert.equal((await tenant()).settings.personalAccountsEnabled, true);
    });

    it('a Guest Inviter may open a provider page but not add, change or remove one', async () => {
      const jar = new CookieJar();
      const [target] = await providers();
      const view = await open(jar, `${adminUrl}/identities/providers/${target!.id}`, {
        email: 'ivy@contoso.example',
        password: PASSWORD,
      });
      assert.equal(view.status, 200);
      const csrf = csrfOf(view.page);
      assert.doesNotMatch((await open(jar, `${adminUrl}/identities`)).page, /Add SAML\/WS-Fed/);
      const was = await providers();
      assert.equal((await open(jar, `${adminUrl}/identities/new/oidc`)).status, 403);
      assert.equal((await open(jar, `${adminUrl}/identities/providers/${target!.id}/remove`)).status, 403);
      const refused = await post(jar, `${adminUrl}/identities/new/oidc`, {
        csrf,
        displayName: 'Sneaky',
        issuer: corp.issuer,
        clientId: 'x',
        clientSecret: 'y',
        domains: 'sneaky.test',
      });
      assert.equal(refused.status, 403);
      assert.match(refused.page, /Your role doesn't allow this/);
      assert.equal(
        (
          await post(
            jar,
            `${adminUrl}/identities/providers/${target!.id}`,
            multipart({ csrf, displayName: 'Renamed', domains: 'x.test', source: 'manual' }),
          )
        ).status,
        403,
      );
      assert.equal((await post(jar, `${adminUrl}/identities/providers/${target!.id}/remove`, { csrf })).status, 403);
      assert.deepEqual(await providers(), was);
    });

    it('no page ever carried a client secret', async () => {
      const all = await providers();
      for (const p of all.filter((x) => x.kind !== 'saml' && x.kind !== 'wsfed'))
        pages.push((await open(new CookieJar(), `${adminUrl}/identities/providers/${p.id}`, asAdmin)).page);
      assert.ok(pages.length > 20);
      for (const secret of [corp.clientSecret, google.clientSecret, 'typed-secret-never-shown']) {
        assert.ok(!pages.some((page) => page.includes(secret)), `a page shows ${secret}`);
      }
    });
  },
);
