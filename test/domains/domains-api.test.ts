// Verified domains through /v1.0/domains on both stores, against a real DNS server on loopback: an added domain
// names nothing until its TXT record is published and verified; then the direct link /myapps/<domain> and the
// issuer alias work, and stop at once when it is deleted or unverified. A wrong record changes nothing, a second
// tenant cannot verify a name another has, two verifying at once end with one owner, and errors are Graph-shaped.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';

import { listAudit } from '../../src/directory/audit.ts';
import { unverifyDomain } from '../../src/directory/domains.ts';
import { resolveTenant } from '../../src/directory/tenants.ts';
import { assertGraphError, narrowApi, tenantWithApi, type TenantApi } from '../helpers/api.ts';
import { startTestDns, type TestDns } from '../helpers/dns.ts';
import { CookieJar, request } from '../helpers/signin.ts';
import { suite } from '../helpers/suite.ts';

suite('verified domains API', {}, ({ s, prepare }) => {
  let dns: TestDns;
  let contoso: TenantApi;
  let fabrikam: TenantApi;
  prepare(async () => {
    dns = await startTestDns();
    return { runWorker: false, env: { PORTICO_DNS_SERVERS: dns.server } };
  });
  before(async () => {
    contoso = await tenantWithApi(s, 'Contoso');
    fabrikam = await tenantWithApi(s, 'Fabrikam');
  });
  after(async () => {
    await dns?.close();
  });

  /** The direct link's answer: 303 to the tenant's sign-in when the domain names it, else the refusal page. */
  const directLink = (name: string) => request(new CookieJar(), `${s.baseUrl}/myapps/${name}`);
  const alias = (name: string) => fetch(`${s.baseUrl}/${name}/v2.0/.well-known/openid-configuration`);
  const txtOf = async (t: TenantApi, name: string) => {
    const res = await t.api('GET', `/v1.0/domains/${name}/verificationDnsRecords`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body.value[0] as {
      text: string;
      label: string;
      recordType: string;
      ttl: number;
      '@odata.type': string;
      isOptional: boolean;
    };
  };
  const activities = async (t: TenantApi) =>
    (await listAudit(s.portico.services.store.db, t.tenantId, { top: 100 })).map(
      (e) => `${e.activityDisplayName} ${e.targetResources[0]?.id}`,
    );

  it('add → refused direct link → publish → verify → direct link and issuer alias work → delete → refused again', async () => {
    const name = 'contoso.example';
    const added = await contoso.api('POST', '/v1.0/domains', { id: 'Contoso.Example' });
    assert.equal(added.status, 201, JSON.stringify(added.body));
    assert.equal(added.body.id, name);
    assert.equal(added.body.isVerified, false);
    assert.equal(added.body.isInitial, false);
    assert.match(added.body['@odata.context'], /\$metadata#domains\/\$entity$/);

    const listed = (await contoso.api('GET', '/v1.0/domains')).body.value as {
      id: string;
      isVerified: boolean;
      isInitial: boolean;
    }[];
    assert.deepEqual(
      listed.map((d) => [d.id, d.isInitial, d.isVerified]),
      [
        [contoso.domain, true, true],
        [name, false, false],
      ],
    );

    // Unverified, the name leads nowhere: a clear refusal page, no alias, no tenant for the CLI.
    const before = await directLink(name);
    assert.equal(before.status, 404);
    assert.match(await before.text(), /doesn(?:'|&#39;)t exist here/);
    assert.equal((await alias(name)).status, 404);
    assert.equal(await resolveTenant(s.portico.services.store.db, name), undefined);

    const record = await txtOf(contoso, name);
    assert.deepEqual(
      [record['@odata.type'], record.recordType, record.label, record.ttl, record.isOptional],
      ['#microsoft.graph.domainDnsTxtRecord', 'Txt', name, 3600, false],
    );
    assert.match(record.text, /^portico-verification=[A-Za-z0-9_-]{32}$/);
    assert.equal((await txtOf(contoso, name)).text, record.text, 'the record stays the same');

    dns.publish(name, 'v=spf1 -all', record.text);
    const asked = dns.queries(name);
    const verified = await contoso.api('POST', `/v1.0/domains/${name}/verify`);
    assert.equal(verified.status, 200, JSON.stringify(verified.body));
    assert.equal(verified.body.isVerified, true);
    assert.ok(dns.queries(name) > asked, 'the DNS server on loopback was asked');

    const after = await directLink(name);
    assert.equal(after.status, 303);
    const location = new URL(after.headers.get('location')!);
    assert.equal(location.pathname, `/${contoso.tenantId}/v2.0/auth`);
    assert.equal(location.searchParams.get('client_id'), 'portico-myapps');
    const discovery = await alias(name);
    assert.equal(discovery.status, 200);
    assert.equal(((await discovery.json()) as { issuer: string }).issuer, `${s.baseUrl}/${contoso.tenantId}/v2.0`);
    const org = (await contoso.api('GET', '/v1.0/organization')).body.value[0] as {
      verifiedDomains: { name: string }[];
    };
    assert.ok(org.verifiedDomains.some((d) => d.name === name));

    const removed = await contoso.api('DELETE', `/v1.0/domains/${name}`);
    assert.equal(removed.status, 204);
    assert.equal((await directLink(name)).status, 404);
    assert.equal((await alias(name)).status, 404);
    assertGraphError(await contoso.api('GET', `/v1.0/domains/${name}`), 404, 'Request_ResourceNotFound');
    assert.deepEqual((await activities(contoso)).filter((a) => a.endsWith(name)).reverse(), [
      `Add unverified domain ${name}`,
      `Verify domain ${name}`,
      `Remove verified domain ${name}`,
    ]);
  });

  it('a wrong or missing TXT record does not verify and changes nothing', async () => {
    const name = 'wrong.example';
    assert.equal((await contoso.api('POST', '/v1.0/domains', { id: name })).status, 201);
    const events = (await activities(contoso)).length;

    const missing = await contoso.api('POST', `/v1.0/domains/${name}/verify`);
    assertGraphError(missing, 400, 'Request_BadRequest');
    assert.match(missing.body.error.message, /no TXT record "portico-verification=/);

    // Another tenant's value for the same name is not this tenant's proof.
    assert.equal((await fabrikam.api('POST', '/v1.0/domains', { id: name })).status, 201);
    dns.publish(name, (await txtOf(fabrikam, name)).text, 'portico-verification=guessed');
    const mismatch = await contoso.api('POST', `/v1.0/domains/${name}/verify`);
    assertGraphError(mismatch, 400, 'Request_BadRequest');
    assert.match(mismatch.body.error.message, /does not match/);

    assert.equal((await contoso.api('GET', `/v1.0/domains/${name}`)).body.isVerified, false);
    assert.equal((await directLink(name)).status, 404);
    assert.equal((await activities(contoso)).length, events, 'no audit event: nothing changed');
  });

  it('a second tenant cannot verify a name another has verified; two verifying at once end with one owner', async () => {
    const name = 'shared.example';
    for (const t of [contoso, fabrikam])
      assert.equal((await t.api('POST', '/v1.0/domains', { id: name })).status, 201, 'any tenant may add a name');
    dns.publish(name, (await txtOf(contoso, name)).text, (await txtOf(fabrikam, name)).text);

    const raced = await Promise.all([contoso, fabrikam].map((t) => t.api('POST', `/v1.0/domains/${name}/verify`)));
    const won = raced.filter((r) => r.status === 200);
    assert.equal(won.length, 1, JSON.stringify(raced.map((r) => r.body)));
    const lost = raced.find((r) => r.status !== 200)!;
    assertGraphError(lost, 400, 'Request_MultipleObjectsWithSameKeyValue');
    assert.match(lost.body.error.message, /verified by another organization/);

    const owner = (await resolveTenant(s.portico.services.store.db, name))!.id;
    const loser = owner === contoso.tenantId ? fabrikam : contoso;
    assert.equal((await loser.api('GET', `/v1.0/domains/${name}`)).body.isVerified, false);
    assertGraphError(
      await loser.api('POST', `/v1.0/domains/${name}/verify`),
      400,
      'Request_MultipleObjectsWithSameKeyValue',
    );
    // The store itself refuses a second verified row for a name, whatever code writes it.
    await assert.rejects(
      s.portico.services.store.db
        .updateTable('tenant_domains')
        .set({ is_verified: 1 })
        .where('tenant_id', '=', loser.tenantId)
        .where('name', '=', name)
        .execute(),
      (e: Error & { code?: string }) => /UNIQUE|23505/.test(`${e.code} ${e.message}`),
    );

    // Once the owner lets go, the other tenant's own record verifies it for them.
    const winner = owner === contoso.tenantId ? contoso : fabrikam;
    assert.equal((await winner.api('DELETE', `/v1.0/domains/${name}`)).status, 204);
    assert.equal((await loser.api('POST', `/v1.0/domains/${name}/verify`)).status, 200);
    assert.equal((await resolveTenant(s.portico.services.store.db, name))!.id, loser.tenantId);
  });

  it('unverifying takes effect at once; the published record verifies it again', async () => {
    const name = 'again.example';
    assert.equal((await fabrikam.api('POST', '/v1.0/domains', { id: name })).status, 201);
    dns.publish(name, (await txtOf(fabrikam, name)).text);
    assert.equal((await fabrikam.api('POST', `/v1.0/domains/${name}/verify`)).status, 200);
    assert.equal((await directLink(name)).status, 303);
    assert.equal((await alias(name)).status, 200, 'the alias works (and its provider is now in the pool)');

    const { store, clock } = s.portico.services;
    await store.transaction((tx) =>
      unverifyDomain(tx, clock, fabrikam.tenantId, name, { kind: 'system', displayName: 'test' }),
    );
    assert.equal((await directLink(name)).status, 404);
    assert.equal((await alias(name)).status, 404, 'no cache keeps the alias alive');
    assert.equal((await alias(fabrikam.tenantId)).status, 200, 'the tenant itself is untouched');
    assert.ok((await activities(fabrikam)).includes(`Unverify domain ${name}`));

    assert.equal((await fabrikam.api('POST', `/v1.0/domains/${name}/verify`)).status, 200);
    assert.equal((await directLink(name)).status, 303);
  });

  it('the initial domain cannot be removed; bad input gets Graph-shaped errors and changes nothing', async () => {
    const initial = await contoso.api('DELETE', `/v1.0/domains/${contoso.domain}`);
    assertGraphError(initial, 400, 'Request_BadRequest');
    assert.match(initial.body.error.message, /initial domain/);
    assert.equal((await directLink(contoso.domain)).status, 303);
    const initialVerify = await contoso.api('POST', `/v1.0/domains/${contoso.domain}/verify`);
    assert.equal(initialVerify.body.isVerified, true, 'verifying a verified domain returns it as it is');

    const count = (await contoso.api('GET', '/v1.0/domains')).body.value.length;
    assertGraphError(await contoso.api('POST', '/v1.0/domains', { id: 'not a domain' }), 400, 'Request_BadRequest');
    assertGraphError(
      await contoso.api('POST', '/v1.0/domains', { id: 'x.portico.localhost' }),
      400,
      'Request_BadRequest',
    );
    assertGraphError(await contoso.api('POST', '/v1.0/domains', { id: fabrikam.domain }), 400, 'Request_BadRequest');
    assertGraphError(await contoso.api('POST', '/v1.0/domains', {}), 400, 'Request_BadRequest');
    assertGraphError(
      await contoso.api('POST', '/v1.0/domains', { id: 'ok.example', isDefault: true }),
      400,
      'Request_BadRequest',
    );
    assert.equal((await contoso.api('POST', '/v1.0/domains', { id: 'dup.example' })).status, 201);
    assertGraphError(
      await contoso.api('POST', '/v1.0/domains', { id: 'DUP.example' }),
      400,
      'Request_MultipleObjectsWithSameKeyValue',
    );
    assert.equal((await contoso.api('GET', '/v1.0/domains')).body.value.length, count + 1);
    assertGraphError(
      await contoso.api('GET', '/v1.0/domains/nowhere.example/verificationDnsRecords'),
      404,
      'Request_ResourceNotFound',
    );
    assertGraphError(
      await contoso.api('POST', '/v1.0/domains/nowhere.example/verify'),
      404,
      'Request_ResourceNotFound',
    );
    assertGraphError(
      await contoso.api('GET', '/v1.0/domains?$filter=isVerified eq true'),
      400,
      'Request_UnsupportedQuery',
    );
    // Another tenant's domain is not found here, whatever its state.
    assertGraphError(await contoso.api('DELETE', `/v1.0/domains/${fabrikam.domain}`), 404, 'Request_ResourceNotFound');
  });

  it('reading needs Domain.Read.All (or a directory permission); changing needs Domain.ReadWrite.All', async () => {
    const reader = await narrowApi(s, contoso.tenantId, ['Domain.Read.All']);
    assert.equal((await reader('GET', '/v1.0/domains')).status, 200);
    assert.equal((await reader('GET', `/v1.0/domains/${contoso.domain}/verificationDnsRecords`)).status, 200);
    assertGraphError(
      await reader('POST', '/v1.0/domains', { id: 'reader.example' }),
      403,
      'Authorization_RequestDenied',
    );
    const directory = await narrowApi(s, contoso.tenantId, ['Directory.ReadWrite.All']);
    assert.equal((await directory('GET', '/v1.0/domains')).status, 200);
    assertGraphError(await directory('DELETE', '/v1.0/domains/dup.example'), 403, 'Authorization_RequestDenied');
    const users = await narrowApi(s, contoso.tenantId, ['User.Read.All']);
    assertGraphError(await users('GET', '/v1.0/domains'), 403, 'Authorization_RequestDenied');
    assert.equal((await contoso.api('GET', '/v1.0/domains/dup.example')).status, 200, 'nothing was removed');
  });
});
