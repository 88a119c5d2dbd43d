// Response headers: HSTS only when the public base URL is https (there the listener sits behind a TLS-terminating
// proxy, as in test/invitations/graph-sdk.test.ts; HSTS depends on the configured base URL alone), and
// `Cache-Control: no-store` on every page that carries a flow, a code or a session, while static assets keep theirs.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';

import { buildPortico, type Portico } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { openAdmin } from '../helpers/admin.ts';
import { tenantWithApi, type TenantApi } from '../helpers/api.ts';
import { freePort } from '../helpers/net.ts';
import { TEST_PASSWORD_COST } from '../helpers/server.ts';
import { CookieJar, request } from '../helpers/signin.ts';
import { createTestStore, type TestStore } from '../helpers/stores.ts';
import { suite } from '../helpers/suite.ts';

const HSTS = 'strict-transport-security';

suite('security headers', { runWorker: false }, ({ s }) => {
  let tenant: TenantApi;
  before(async () => {
    tenant = await tenantWithApi(s, 'Contoso');
  });

  it('sends no HSTS over an http base URL', async () => {
    for (const path of [
      '/healthz',
      '/personal/signup',
      '/nowhere',
      `/${tenant.tenantId}/v2.0/.well-known/openid-configuration`,
    ]) {
      const res = await fetch(`${s.baseUrl}${path}`);
      await res.arrayBuffer();
      assert.equal(res.headers.get(HSTS), null, path);
    }
  });

  it('marks every flow, code and session page no-store, and static assets keep their own caching', async () => {
    const jar = new CookieJar();
    const admin = await openAdmin(s, jar, `${s.baseUrl}/admin/${tenant.tenantId}`, {
      email: tenant.admin.userPrincipalName,
      password: tenant.adminPassword,
    });
    assert.equal(admin.status, 200);
    const app = (
      await tenant.api('POST', '/v1.0/applications', {
        displayName: 'App',
        web: { redirectUris: ['https://app.example/cb'] },
      })
    ).body as { appId: string };
    const authorize = `${s.baseUrl}/${tenant.tenantId}/v2.0/auth?client_id=${app.appId}&response_type=code&scope=openid&redirect_uri=${encodeURIComponent('https://app.example/cb')}&code_challenge=${'a'.repeat(43)}&code_challenge_method=S256`;
    const browser = new CookieJar();
    const toInteraction = await request(browser, authorize);
    const interaction = new URL(toInteraction.headers.get('location')!, s.baseUrl).toString();
    const pages: [string, string, CookieJar?][] = [
      ['redemption', `${s.baseUrl}/redeem?ticket=${'a'.repeat(43)}`],
      ['personal sign-up', `${s.baseUrl}/personal/signup`],
      ['personal reset', `${s.baseUrl}/personal/reset`],
      ['personal reset confirm', `${s.baseUrl}/personal/reset/confirm`],
      ['opt-out', `${s.baseUrl}/optout`],
      ['my apps', `${s.baseUrl}/myapps`],
      ['admin center', `${s.baseUrl}/admin/${tenant.tenantId}`, jar],
      ['admin users', `${s.baseUrl}/admin/${tenant.tenantId}/users`, jar],
      ['authorization endpoint', authorize],
      ['sign-in interaction', interaction, browser],
      ['federation callback', `${s.baseUrl}/${tenant.tenantId}/federation/oidc/callback?state=x&code=y`],
      ['not-found page', `${s.baseUrl}/nowhere`],
      ['refusal page', `${s.baseUrl}/redeem?ticket=%00`],
      ['API', `${s.baseUrl}/v1.0/users`],
    ];
    for (const [what, url, cookies] of pages) {
      const res = await request(cookies ?? new CookieJar(), url, { headers: { accept: 'text/html' } });
      await res.arrayBuffer();
      assert.equal(res.headers.get('cache-control'), 'no-store', `${what} (${res.status})`);
    }
    const css = await fetch(`${s.baseUrl}/static/portico.css`);
    assert.equal(css.headers.get('cache-control'), 'public, max-age=3600');
  });
});

describe('HSTS and the development mail pages behind an https base URL (sqlite)', () => {
  let store: TestStore;
  let portico: Portico;
  let listener: string;
  before(async () => {
    store = await createTestStore('sqlite');
    const port = await freePort();
    // PORTICO_DEV with no SMTP URL: the built-in catcher and its /dev/mail pages, as `npm start` runs on a laptop.
    const config = loadConfig({
      PORTICO_DATABASE_URL: store.url,
      PORTICO_PORT: String(port),
      PORTICO_BASE_URL: 'https://portico.test',
      PORTICO_LOG_LEVEL: 'silent',
      PORTICO_DEV: '1',
      ...TEST_PASSWORD_COST,
    });
    portico = await buildPortico(config, {
      store: store.store,
      log: pino({ level: 'silent' }),
      runWorker: false,
      runBulk: false,
    });
    await portico.listen();
    listener = `http://127.0.0.1:${port}`;
  });
  after(async () => {
    await portico?.close();
    await store?.dispose().catch(() => undefined);
  });

  it('sends HSTS on pages and API answers, and the mail pages are no-store', async () => {
    for (const path of ['/healthz', '/personal/signup', '/v1.0/users', '/nowhere', '/dev/mail']) {
      const res = await fetch(`${listener}${path}`, {
        headers: { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'portico.test' },
      });
      await res.arrayBuffer();
      assert.equal(res.headers.get(HSTS), 'max-age=15552000; includeSubDomains', path);
      if (path !== '/healthz') assert.equal(res.headers.get('cache-control'), 'no-store', path);
    }
    const mail = await fetch(`${listener}/dev/mail`);
    assert.equal(mail.status, 200, 'the development mail pages are mounted');
  });
});
