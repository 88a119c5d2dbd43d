// /v1.0/organization: the tenant as Graph's organization, and its PATCH (displayName, privacyProfile, branding),
// with the refusals checked by reading back that nothing changed.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { assertGraphError, tenantWithApi } from '../helpers/api.ts';
import { suite } from '../helpers/suite.ts';

suite('API organization', { tenant: 'Contoso' }, ({ s, t }) => {
  const org = async (api = t.api, id = t.tenantId) => {
    const res = await api('GET', `/v1.0/organization/${id}`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body;
  };

  it("lists the caller's tenant as the one organization", async () => {
    const res = await t.api('GET', '/v1.0/organization');
    assert.equal(res.status, 200);
    assert.equal(res.body['@odata.context'], `${s.baseUrl}/v1.0/$metadata#organization`);
    assert.equal(res.body.value.length, 1);
    const o = res.body.value[0];
    assert.equal(o.id, t.tenantId);
    assert.equal(o.displayName, 'Contoso');
    assert.equal(o.tenantType, 'AAD');
    assert.ok(!Number.isNaN(Date.parse(o.createdDateTime)));
    assert.deepEqual(o.verifiedDomains, [
      { name: t.domain, isInitial: true, isDefault: true, type: 'Managed', capabilities: 'None' },
    ]);
    assert.deepEqual(o.privacyProfile, { statementUrl: null, contactEmail: null });
    assert.deepEqual(o.branding, {});
  });

  it('reads the organization by id, in any case, as an entity', async () => {
    const o = await org(t.api, t.tenantId.toUpperCase());
    assert.equal(o['@odata.context'], `${s.baseUrl}/v1.0/$metadata#organization/$entity`);
    assert.equal(o.id, t.tenantId);
    const { '@odata.context': _, ...entity } = o;
    assert.deepEqual(entity, (await t.api('GET', '/v1.0/organization')).body.value[0]);
  });

  it('lists a domain the operator vouched for as verified', async () => {
    const other = await tenantWithApi(s, 'Fabrikam', { domain: 'fabrikam.example' });
    const names = (await org(other.api, other.tenantId)).verifiedDomains.map(
      (d: { name: string; isInitial: boolean }) => [d.name, d.isInitial],
    );
    assert.deepEqual(names, [
      [other.domain, true],
      ['fabrikam.example', false],
    ]);
  });

  it('updates privacyProfile, and a partial update keeps the other property', async () => {
    const profile = { statementUrl: 'https://contoso.example/privacy', contactEmail: 'privacy@contoso.example' };
    assert.equal((await t.api('PATCH', `/v1.0/organization/${t.tenantId}`, { privacyProfile: profile })).status, 204);
    assert.deepEqual((await org()).privacyProfile, profile);
    assert.equal(
      (
        await t.api('PATCH', `/v1.0/organization/${t.tenantId}`, {
          privacyProfile: { contactEmail: 'dpo@contoso.example' },
        })
      ).status,
      204,
    );
    assert.deepEqual((await org()).privacyProfile, { ...profile, contactEmail: 'dpo@contoso.example' });
    assert.equal(
      (await t.api('PATCH', `/v1.0/organization/${t.tenantId}`, { privacyProfile: { statementUrl: null } })).status,
      204,
    );
    assert.deepEqual((await org()).privacyProfile, { statementUrl: null, contactEmail: 'dpo@contoso.example' });
  });

  it("merges branding, and the sign-in pages' stylesheet uses it", async () => {
    assert.equal(
      (
        await t.api('PATCH', `/v1.0/organization/${t.tenantId}`, {
          branding: { primaryColor: '#2f5bd3', logoUrl: 'https://cdn.contoso.example/logo.png' },
        })
      ).status,
      204,
    );
    assert.equal(
      (await t.api('PATCH', `/v1.0/organization/${t.tenantId}`, { branding: { backgroundColor: '#f3f5f9' } })).status,
      204,
    );
    assert.deepEqual((await org()).branding, {
      primaryColor: '#2f5bd3',
      logoUrl: 'https://cdn.contoso.example/logo.png',
      backgroundColor: '#f3f5f9',
    });
    const css = await (await fetch(`${s.baseUrl}/static/brand/${t.tenantId}.css`)).text();
    assert.match(css, /--brand: #2f5bd3;/);
    assert.match(css, /--brand-bg: #f3f5f9;/);
  });

  it('renames the organization', async () => {
    const other = await tenantWithApi(s, 'Renamed Ltd');
    assert.equal(
      (await other.api('PATCH', `/v1.0/organization/${other.tenantId}`, { displayName: 'Renamed Limited' })).status,
      204,
    );
    assert.equal((await org(other.api, other.tenantId)).displayName, 'Renamed Limited');
  });

  it("keeps another tenant's organization out of reach: 404 on read and on write, which changes nothing", async () => {
    const other = await tenantWithApi(s, 'Northwind');
    const before = await org(other.api, other.tenantId);
    assertGraphError(await t.api('GET', `/v1.0/organization/${other.tenantId}`), 404, 'Request_ResourceNotFound');
    assertGraphError(
      await t.api('PATCH', `/v1.0/organization/${other.tenantId}`, { displayName: 'Hijacked' }),
      404,
      'Request_ResourceNotFound',
    );
    assertGraphError(await t.api('GET', '/v1.0/organization/not-an-id'), 404, 'Request_ResourceNotFound');
    assert.deepEqual(await org(other.api, other.tenantId), before);
  });

  describe('refused updates change nothing', () => {
    const patches: [string, unknown, number, string, Record<string, string>?][] = [
      ['an unknown property', { displayName: 'Changed', city: 'Oslo' }, 400, 'Request_BadRequest'],
      [
        'an unknown privacyProfile property',
        { privacyProfile: { statementUrl: 'https://x.example', phone: '1' } },
        400,
        'Request_BadRequest',
      ],
      [
        'an unknown branding property',
        { branding: { primaryColor: '#000', css: 'body{}' } },
        400,
        'Request_BadRequest',
      ],
      ['a colour name', { branding: { primaryColor: 'red' } }, 400, 'Request_BadRequest'],
      [
        'a colour that smuggles CSS',
        { branding: { backgroundColor: '#fff; background: url(https://evil.example)' } },
        400,
        'Request_BadRequest',
      ],
      [
        'a javascript: statement URL',
        { privacyProfile: { statementUrl: 'javascript:alert(1)' } },
        400,
        'Request_BadRequest',
      ],
      [
        'a statement URL that is not a URL',
        { privacyProfile: { statementUrl: 'privacy page' } },
        400,
        'Request_BadRequest',
      ],
      ['a data: logo URL', { branding: { logoUrl: 'data:image/png;base64,AAAA' } }, 400, 'Request_BadRequest'],
      ['an invalid contact email', { privacyProfile: { contactEmail: 'privacy' } }, 400, 'Request_BadRequest'],
      ['an empty displayName', { displayName: ' ' }, 400, 'Request_BadRequest'],
      ['branding that is not an object', { branding: '#2f5bd3' }, 400, 'Request_BadRequest'],
      ['malformed JSON', '{"displayName":"Changed",', 400, 'BadRequest'],
      [
        'a text/plain body',
        JSON.stringify({ displayName: 'Changed' }),
        415,
        'UnsupportedMediaType',
        { 'content-type': 'text/plain' },
      ],
    ];
    for (const [what, body, status, code, headers] of patches) {
      it(`refuses ${what} (${status} ${code})`, async () => {
        const before = await org();
        assertGraphError(await t.api('PATCH', `/v1.0/organization/${t.tenantId}`, body, headers), status, code);
        assert.deepEqual(await org(), before);
      });
    }
  });
});
