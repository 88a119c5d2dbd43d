// Portico's own Graph-shaped API as a resource with Graph's delegated scopes (src/apps/graph-api.ts), used as an app
// written for Entra uses Microsoft Graph: an app registered through the API lists Graph's scopes in its
// requiredResourceAccess (Microsoft Graph's appId), an administrator consents, MSAL Node signs people in through
// Chromium behind https (test/helpers/tls.ts) with `User.Read` and `https://graph.microsoft.com/User.Invite.All`, and
// the Microsoft Graph JS SDK calls the API with the token. What the token may do is the intersection of its `scp` and
// the user's directory roles (src/api/delegated.ts). Also: Entra's URL shapes at /organizations (MSAL with hard-coded
// endpoints), and a passcode guest completing MSAL's device code flow.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, it } from 'node:test';
import {
  ConfidentialClientApplication,
  CryptoProvider,
  PublicClientApplication,
  type AuthenticationResult,
  type DeviceCodeRequest,
} from '@azure/msal-node';
import {
  Client,
  GraphError,
  MiddlewareFactory,
  type Context,
  type Middleware,
} from '@microsoft/microsoft-graph-client';
import { createLocalJWKSet, decodeJwt, jwtVerify, type JSONWebKeySet } from 'jose';
import type { Browser, Page } from 'playwright-core';

import { GUEST_INVITER } from '../../src/admin/roles.ts';
import { GRAPH_APP_ID } from '../../src/apps/graph-api.ts';
import { grantRoles } from '../helpers/admin.ts';
import { inviteGuest, newUserBody, type Api } from '../helpers/api.ts';
import { browserSkip, haveBrowser, launchBrowser, startLandingSite } from '../helpers/browser.ts';
import { passcodeInBrowser } from '../helpers/redeem.ts';
import { apiClient, appToken } from '../helpers/server.ts';
import { suite } from '../helpers/suite.ts';
import { chromiumTlsArgs, httpsRequest, msalNetwork, tlsFetch, tlsProxy, type TlsProxy } from '../helpers/tls.ts';

const PASSWORD = 'correct-horse-battery';
/** Graph's delegated scope ids, as an app registration written for Entra lists them. */
const USER_READ = 'e1fe6dd8-ba31-4d61-89e7-88639da4683d';
const USER_INVITE_ALL = '63dd7cd9-b489-4adf-a28c-ac38b9a0f962';

type DeviceCodeResponse = Parameters<DeviceCodeRequest['deviceCodeCallback']>[0];

/** The SDK's last middleware over TLS that trusts the test certificate (as test/invitations/graph-sdk.test.ts). */
class TlsMessageHandler implements Middleware {
  async execute(context: Context): Promise<void> {
    context.response = await tlsFetch(context.request as string, context.options as RequestInit);
  }
}

suite(
  "Portico's API with Graph's delegated scopes, through MSAL and the Graph SDK",
  { runWorker: false },
  ({ s, prepare }) => {
    let proxy: TlsProxy;
    let origin: string;
    let tenantId: string;
    let api: Api;
    let site: Awaited<ReturnType<typeof startLandingSite>>;
    let redirectUri: string;
    let browser: Browser | undefined;
    let web: { appId: string; secret: string };
    let ivy: { id: string; upn: string };
    let mo: { id: string; upn: string };

    prepare(async () => {
      proxy = await tlsProxy();
      return { env: { PORTICO_BASE_URL: proxy.origin } };
    });

    const graphAccess = (...ids: string[]) => [
      { resourceAppId: GRAPH_APP_ID, resourceAccess: ids.map((id) => ({ id, type: 'Scope' })) },
    ];

    async function member(name: string) {
      const upn = `${name}@contoso.example`;
      const res = await api('POST', '/v1.0/users', newUserBody(upn, name));
      assert.equal(res.status, 201, JSON.stringify(res.body));
      return { id: res.body.id as string, upn };
    }

    before(async () => {
      origin = proxy.origin;
      const listener = `http://${s.config.host}:${s.config.port}`;
      await proxy.start(listener);
      const p = await s.provision('Contoso', { domain: 'contoso.example', adminEmail: 'admin@contoso.example' });
      tenantId = p.tenant.id;
      api = apiClient(
        listener,
        await appToken(s.baseUrl, tenantId, p.managementClient.clientId, p.managementClient.clientSecret, listener),
      );
      ivy = await member('ivy');
      mo = await member('mo');
      // Guest Inviter, granted through Graph's roleAssignments as an administrator would.
      await grantRoles({ api }, ivy.id, [GUEST_INVITER]);
      site = await startLandingSite();
      redirectUri = `${site.origin}/callback`;

      const reg = await api('POST', '/v1.0/applications', {
        displayName: 'Contoso Guest Desk',
        web: { redirectUris: [redirectUri] },
        requiredResourceAccess: graphAccess(USER_READ, USER_INVITE_ALL),
      });
      assert.equal(reg.status, 201, JSON.stringify(reg.body));
      web = { appId: reg.body.appId, secret: reg.body.passwordCredentials[0].secretText };
      const consent = await api('POST', `/v1.0/applications/${reg.body.id}/adminConsent`);
      assert.equal(consent.status, 200, JSON.stringify(consent.body));
      assert.deepEqual(
        (consent.body['@portico.resourceGrants'] as { resourceAppId: string; value: string }[])
          .filter((g) => g.resourceAppId === GRAPH_APP_ID)
          .map((g) => g.value)
          .sort(),
        ['User.Invite.All', 'User.Read'],
        'admin consent grants the Graph scopes the app lists',
      );
      if (haveBrowser) browser = await launchBrowser(chromiumTlsArgs);
    });
    after(async () => {
      await browser?.close();
      await site?.close();
      await proxy?.close();
    });

    const msal = (authority = `${origin}/${tenantId}`, extra: Record<string, unknown> = {}) => {
      const network = msalNetwork();
      const cca = new ConfidentialClientApplication({
        auth: {
          clientId: web.appId,
          clientSecret: web.secret,
          authority,
          knownAuthorities: [new URL(origin).host],
          ...extra,
        },
        system: { networkClient: network },
      });
      return { cca, network };
    };

    async function newPage(): Promise<Page> {
      const context = await browser!.newContext({ locale: 'en-US' });
      const page = await context.newPage();
      page.on('pageerror', (error) => assert.fail(`script error: ${error.message}`));
      return page;
    }

    const passwordSignIn = (upn: string) => async (page: Page) => {
      await page.getByLabel('Email address').fill(upn);
      await page.getByRole('button', { name: 'Next' }).click();
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
    };

    const passcodeSignIn = (email: string) => (page: Page) => passcodeInBrowser(s, page, email);

    /** The code flow with PKCE as an MSAL web app runs it, in a new browser context; MSAL redeems the code. */
    async function signIn(
      scopes: string[],
      act: (page: Page) => Promise<void>,
      cca = msal().cca,
    ): Promise<AuthenticationResult> {
      const { verifier, challenge } = await new CryptoProvider().generatePkceCodes();
      const state = randomUUID();
      const url = await cca.getAuthCodeUrl({
        scopes,
        redirectUri,
        codeChallenge: challenge,
        codeChallengeMethod: 'S256',
        state,
      });
      const page = await newPage();
      try {
        await page.goto(url);
        await act(page);
        await page.waitForURL((u) => u.href.startsWith(redirectUri));
        const back = new URL(page.url());
        const code = back.searchParams.get('code');
        assert.ok(code, `the app got a code: ${page.url()}`);
        return await cca.acquireTokenByCode({ code, scopes, redirectUri, codeVerifier: verifier, state });
      } finally {
        await page.context().close();
      }
    }

    /** The Graph SDK as an app builds it against Portico, with the user's token from MSAL. */
    const graph = (accessToken: string) => {
      const middleware = MiddlewareFactory.getDefaultMiddlewareChain({ getAccessToken: async () => accessToken });
      middleware.splice(middleware.length - 1, 1, new TlsMessageHandler());
      return Client.initWithMiddleware({
        middleware,
        baseUrl: `${origin}/`,
        defaultVersion: 'v1.0',
        customHosts: new Set([new URL(origin).hostname]),
      });
    };

    async function graphRefusal(request: Promise<unknown>, statusCode: number, code: string): Promise<GraphError> {
      let thrown: unknown;
      await assert.rejects(request, (e) => {
        thrown = e;
        return true;
      });
      assert.ok(thrown instanceof GraphError, `a GraphError, got ${String(thrown)}`);
      assert.equal(thrown.statusCode, statusCode, thrown.body);
      assert.equal(thrown.code, code, thrown.body);
      return thrown;
    }

    const invite = (client: Client, email: string) =>
      client
        .api('/invitations')
        .post({ invitedUserEmailAddress: email, inviteRedirectUrl: 'https://apps.contoso.example/' });

    const scp = (result: AuthenticationResult) => String(decodeJwt(result.accessToken).scp).split(' ').sort();

    it(
      'a member with the Guest Inviter role and User.Invite.All invites a guest with the Graph SDK and reads /me',
      { skip: browserSkip },
      async () => {
        const result = await signIn(
          ['User.Read', 'https://graph.microsoft.com/User.Invite.All'],
          passwordSignIn(ivy.upn),
        );
        const claims = decodeJwt(result.accessToken);
        assert.equal(claims.aud, `${origin}/v1.0`, "the token is for Portico's API, whichever name the app used");
        assert.equal(claims.iss, `${origin}/${tenantId}/v2.0`);
        assert.equal(claims.tid, tenantId);
        assert.equal(claims.oid, ivy.id);
        assert.equal(claims.azp, web.appId);
        assert.deepEqual(
          scp(result),
          ['User.Invite.All', 'User.Read'],
          "Graph's scope values, as Graph's tokens carry",
        );
        assert.deepEqual(
          result.scopes.sort(),
          ['User.Invite.All', 'User.Read'].map((v) => `${origin}/v1.0/${v}`).sort(),
        );

        const client = graph(result.accessToken);
        const invited = (await invite(client, 'gia@partner.example')) as {
          invitedUser: { id: string };
          status: string;
        };
        assert.equal(invited.status, 'PendingAcceptance');
        const guest = await api('GET', `/v1.0/users/${invited.invitedUser.id}`);
        assert.equal(guest.body.userType, 'Guest');
        const me = (await client.api('/me').get()) as { id: string; userPrincipalName: string };
        assert.equal(me.id, ivy.id);
        assert.equal(me.userPrincipalName, ivy.upn);
        // Her role reads users, but the token was not given User.Read.All: the intersection refuses.
        await graphRefusal(client.api('/users').get(), 403, 'Authorization_RequestDenied');
      },
    );

    it(
      'a member without an inviting role: refused under adminsAndGuestInviters (403, Graph’s error), allowed when members may invite',
      { skip: browserSkip },
      async () => {
        const policy = async (allowInvitesFrom: string) =>
          assert.equal((await api('PATCH', '/v1.0/policies/authorizationPolicy', { allowInvitesFrom })).status, 204);
        await policy('adminsAndGuestInviters');
        const result = await signIn(['User.Read', 'User.Invite.All'], passwordSignIn(mo.upn));
        assert.deepEqual(scp(result), ['User.Invite.All', 'User.Read']);
        const client = graph(result.accessToken);
        const refused = await graphRefusal(
          invite(client, 'mo-guest@partner.example'),
          403,
          'Authorization_RequestDenied',
        );
        assert.match(refused.message, /Insufficient privileges/);
        assert.equal(((await client.api('/me').get()) as { id: string }).id, mo.id);
        const invited = async () =>
          (await api('GET', `/v1.0/users?$filter=${encodeURIComponent("mail eq 'mo-guest@partner.example'")}`)).body
            .value as unknown[];
        assert.deepEqual(await invited(), [], 'nobody was invited');
        // Entra's guest invite settings let members invite: the same token now invites.
        await policy('adminsGuestInvitersAndAllMembers');
        await invite(client, 'mo-guest@partner.example');
        assert.equal((await invited()).length, 1);
        await policy('everyone');
      },
    );

    it('a token without User.Invite.All cannot invite, whatever the role', { skip: browserSkip }, async () => {
      const result = await signIn(['User.Read'], passwordSignIn(ivy.upn));
      assert.deepEqual(scp(result), ['User.Read']);
      await graphRefusal(
        invite(graph(result.accessToken), 'not-asked@partner.example'),
        403,
        'Authorization_RequestDenied',
      );
    });

    it("a guest's token reads /me and nothing else", { skip: browserSkip }, async () => {
      const { id } = await inviteGuest(api, 'pia@partner.example', 'Pia');
      const result = await signIn(['User.Read', 'User.Invite.All'], passcodeSignIn('pia@partner.example'));
      const claims = decodeJwt(result.accessToken);
      assert.equal(claims.oid, id);
      assert.equal(claims.acct, 1);
      const client = graph(result.accessToken);
      const me = (await client.api('/me').get()) as { id: string; userType: string };
      assert.equal(me.id, id);
      assert.equal(me.userType, 'Guest');
      await graphRefusal(invite(client, 'friend@partner.example'), 403, 'Authorization_RequestDenied');
      await graphRefusal(client.api('/users').get(), 403, 'Authorization_RequestDenied');
    });

    it('an app token at /me is refused as Graph refuses it; unknown and unconsented Graph scopes get AADSTS errors', async () => {
      const me = await api('GET', '/v1.0/me');
      assert.equal(me.status, 400);
      assert.equal(me.body.error.code, 'BadRequest');
      assert.equal(me.body.error.message, '/me request is only valid with delegated authentication flow.');

      const { cca } = msal();
      const refusal = async (scopes: string[]) => {
        const url = await cca.getAuthCodeUrl({
          scopes,
          redirectUri,
          codeChallenge: (await new CryptoProvider().generatePkceCodes()).challenge,
          codeChallengeMethod: 'S256',
        });
        const res = await httpsRequest(url);
        assert.equal(res.status, 303, res.text.slice(0, 300));
        const back = new URL(res.headers.location!);
        assert.ok(back.href.startsWith(redirectUri), 'the refusal goes to the registered redirect URI');
        return { error: back.searchParams.get('error'), description: back.searchParams.get('error_description') ?? '' };
      };
      const unknown = await refusal(['https://graph.microsoft.com/Mail.Send.Everything']);
      assert.equal(unknown.error, 'invalid_scope');
      assert.match(unknown.description, /^AADSTS70011:/);
      const notConsented = await refusal(['https://graph.microsoft.com/Group.Read.All']);
      assert.equal(notConsented.error, 'consent_required');
      assert.match(notConsented.description, /^AADSTS65001:/);
      // The client credentials grant takes Graph's names too: the app's own token, with its application permissions.
      const app = await msal().cca.acquireTokenByClientCredential({ scopes: ['https://graph.microsoft.com/.default'] });
      assert.equal(decodeJwt(app!.accessToken).aud, `${origin}/v1.0`);
      assert.equal(decodeJwt(app!.accessToken).idtyp, 'app');
    });

    it(
      "MSAL with authority /organizations and Entra's hard-coded endpoints: /organizations/oauth2/v2.0/authorize, /token, /discovery/v2.0/keys",
      { skip: browserSkip },
      async () => {
        const reg = await api('POST', '/v1.0/applications', {
          displayName: 'Contoso Everywhere',
          signInAudience: 'AzureADMultipleOrgs',
          web: { redirectUris: [redirectUri] },
          requiredResourceAccess: graphAccess(USER_READ),
        });
        assert.equal(reg.status, 201, JSON.stringify(reg.body));
        const at = `${origin}/organizations`;
        const network = msalNetwork();
        const cca = new ConfidentialClientApplication({
          auth: {
            clientId: reg.body.appId,
            clientSecret: reg.body.passwordCredentials[0].secretText,
            authority: at,
            knownAuthorities: [new URL(origin).host],
            authorityMetadata: JSON.stringify({
              issuer: `${origin}/{tenantid}/v2.0`,
              authorization_endpoint: `${at}/oauth2/v2.0/authorize`,
              token_endpoint: `${at}/oauth2/v2.0/token`,
              end_session_endpoint: `${at}/oauth2/v2.0/logout`,
              jwks_uri: `${at}/discovery/v2.0/keys`,
            }),
          },
          system: { networkClient: network },
        });
        const result = await signIn(
          ['User.Read'],
          async (page) => {
            assert.ok(page.url().startsWith(`${at}/oauth2/v2.0/authorize?`), page.url());
            await page.getByRole('heading', { name: 'Sign in' }).waitFor();
            await page.getByLabel('Email address').fill(ivy.upn);
            await page.getByRole('button', { name: 'Next' }).click();
            await page.waitForURL(/\/interaction\//);
            await page.getByRole('button', { name: 'Next' }).click();
            await page.getByLabel('Password').fill(PASSWORD);
            await page.getByRole('button', { name: 'Sign in' }).click();
          },
          cca,
        );
        assert.ok(
          network.calls.some((c) => c.method === 'POST' && c.url.startsWith(`${at}/oauth2/v2.0/token`)),
          'MSAL redeemed the code at the hard-coded /organizations/oauth2/v2.0/token',
        );
        assert.equal(result.tenantId, tenantId);
        assert.deepEqual(scp(result), ['User.Read']);
        const keys = await httpsRequest(`${at}/discovery/v2.0/keys`);
        assert.equal(keys.status, 200);
        const { payload } = await jwtVerify(result.idToken, createLocalJWKSet(JSON.parse(keys.text) as JSONWebKeySet), {
          issuer: `${origin}/${tenantId}/v2.0`,
          audience: reg.body.appId,
        });
        assert.equal(payload.oid, ivy.id);
        const me = (await graph(result.accessToken).api('/me').get()) as { id: string };
        assert.equal(me.id, ivy.id);
        // The same token endpoint refuses an unknown code as Entra's does.
        const bad = await httpsRequest(`${origin}/common/oauth2/v2.0/token`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({
            grant_type: 'authorization_code',
            code: 'nope',
            client_id: reg.body.appId,
          }).toString(),
        });
        assert.equal(bad.status, 400);
        assert.match(JSON.parse(bad.text).error_description, /^AADSTS70000/);
      },
    );

    it(
      "a passcode guest completes MSAL's acquireTokenByDeviceCode in Chromium: the token has the guest's oid, tid and idp",
      { skip: browserSkip },
      async () => {
        const reg = await api('POST', '/v1.0/applications', {
          displayName: 'Contoso CLI',
          isFallbackPublicClient: true,
          requiredResourceAccess: graphAccess(USER_READ),
        });
        assert.equal(reg.status, 201, JSON.stringify(reg.body));
        const email = 'dora@partner.example';
        const { id } = await inviteGuest(api, email, 'Dora');
        const pca = new PublicClientApplication({
          auth: {
            clientId: reg.body.appId,
            authority: `${origin}/${tenantId}`,
            knownAuthorities: [new URL(origin).host],
          },
          system: { networkClient: msalNetwork() },
        });
        let shown!: (r: DeviceCodeResponse) => void;
        const codeShown = new Promise<DeviceCodeResponse>((resolve) => (shown = resolve));
        const tokens = pca.acquireTokenByDeviceCode({ scopes: ['User.Read'], deviceCodeCallback: (r) => shown(r) });
        const code = await codeShown;
        const page = await newPage();
        try {
          await page.goto(code.verificationUri);
          await page.getByLabel('Code').fill(code.userCode);
          await page.getByRole('button', { name: 'Next' }).click();
          await passcodeSignIn(email)(page);
          await page.getByRole('heading', { name: 'Are you trying to sign in to Contoso CLI?' }).waitFor();
          await page.getByRole('button', { name: 'Continue' }).click();
          await page.getByRole('heading', { name: "You're signed in" }).waitFor();
        } finally {
          await page.context().close();
        }
        const result = await tokens;
        assert.ok(result);
        const idToken = result.idTokenClaims as Record<string, unknown>;
        const access = decodeJwt(result.accessToken);
        for (const claims of [idToken, access]) {
          assert.equal(claims.oid, id);
          assert.equal(claims.tid, tenantId);
          assert.equal(claims.acct, 1);
          assert.equal(typeof claims.idp, 'string', 'the guest’s home identity provider');
        }
        assert.equal((await api('GET', `/v1.0/users/${id}`)).body.externalUserState, 'Accepted', 'redeemed');
        assert.equal(((await graph(result.accessToken).api('/me').get()) as { id: string }).id, id);
      },
    );
  },
);
