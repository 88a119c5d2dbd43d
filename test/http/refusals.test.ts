// Refusals by code: one refusal (a tenant cannot be its own cross-tenant partner) reached through the product's
// three edges. The API keeps Graph's code and the English message word for word; the admin center says it in the
// admin's language (Accept-Language); the CLI says it in its locale's language (LANG), English by default.
import assert from 'node:assert/strict';
import { it } from 'node:test';

import { csrfOf, openAdmin } from '../helpers/admin.ts';
import { cliEnv } from '../helpers/cli.ts';
import { CookieJar, postForm } from '../helpers/signin.ts';
import { runCli } from '../helpers/spawn.ts';
import { suite } from '../helpers/suite.ts';

const ENGLISH = 'A tenant cannot be its own partner.';
const GERMAN = 'Ein Mandant kann nicht sein eigener Partner sein.';

suite('refusals by code', { runWorker: false, tenant: 'Contoso' }, ({ s, t }) => {
  const partners = async () =>
    (await t.api('GET', '/v1.0/policies/crossTenantAccessPolicy/partners')).body.value as unknown[];

  it('the API answers with Graph’s code and the English message, whatever language the client asks for', async () => {
    const res = await t.api(
      'POST',
      '/v1.0/policies/crossTenantAccessPolicy/partners',
      { tenantId: t.tenantId },
      { 'accept-language': 'de-DE' },
    );
    assert.equal(res.status, 400);
    assert.equal(res.body.error.code, 'Request_BadRequest');
    assert.equal(res.body.error.message, ENGLISH);
    assert.deepEqual(await partners(), []);
  });

  /** The admin center's answer to adding the tenant itself as a partner, for a browser that prefers `language`. */
  const adminRefusal = async (language: string) => {
    const jar = new CookieJar({ 'accept-language': language });
    const url = `${s.baseUrl}/admin/${t.tenantId}/cross-tenant`;
    const main = await openAdmin(s, jar, url, { email: t.admin.userPrincipalName, password: t.adminPassword });
    assert.equal(main.status, 200);
    const res = await postForm(jar, `${url}/partners`, { csrf: csrfOf(main.page), organization: t.tenantId });
    assert.equal(res.status, 400);
    return (await res.text()).replace(/&#39;|&#x27;/g, "'").replace(/&quot;/g, '"');
  };

  it('a German admin reads the refusal in German in the admin center; an English one in English', async () => {
    const german = await adminRefusal('de-DE,de;q=0.9,en;q=0.5');
    assert.ok(german.includes(`<p id="organization-error" class="error" role="alert">${GERMAN}</p>`), german);
    assert.ok(!german.includes(ENGLISH));
    const english = await adminRefusal('en-US');
    assert.ok(english.includes(`<p id="organization-error" class="error" role="alert">${ENGLISH}</p>`));
    assert.deepEqual(await partners(), []);
  });

  it('the CLI prints the refusal in its locale’s language, with the code; English when the locale names none', async () => {
    const setOwn = ['xtap', 'set', '--tenant', t.domain, '--partner', t.tenantId, '--inbound', 'block'];
    const german = await runCli(setOwn, { ...cliEnv(s), LANG: 'de_DE.UTF-8', LC_ALL: '', LC_MESSAGES: '' });
    assert.equal(german.code, 2);
    assert.equal(german.stderr.trim(), `portico: ${GERMAN} (Request_BadRequest)`);
    // LC_ALL outranks LANG, as POSIX orders them: C is no language, so English.
    const c = await runCli(setOwn, { ...cliEnv(s), LANG: 'de_DE.UTF-8', LC_ALL: 'C' });
    assert.equal(c.stderr.trim(), `portico: ${ENGLISH} (Request_BadRequest)`);
    const english = await runCli(setOwn, { ...cliEnv(s), LANG: 'C.UTF-8', LC_ALL: '', LC_MESSAGES: '' });
    assert.equal(english.code, 2);
    assert.equal(english.stderr.trim(), `portico: ${ENGLISH} (Request_BadRequest)`);
    assert.deepEqual(await partners(), []);
  });
});
