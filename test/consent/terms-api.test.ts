// /v1.0/identityGovernance/termsOfUse/agreements: create, read, list, update, publish a version, read the file,
// the acceptance report, delete; the refusals (each checked by reading back that nothing changed); the file route
// the terms page links to; and the terms page itself.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';

import { readTermsForm, TermsPage } from '../../src/consent/terms-page.tsx';
import { fileFor, pendingAgreements, recordAcceptance } from '../../src/consent/terms.ts';
import { getTenant } from '../../src/directory/tenants.ts';
import { renderDocument } from '../../src/render.ts';
import {
  assertGraphError,
  ids,
  narrowApi,
  readAllPages,
  seedMembers,
  tenantWithApi,
  type Api,
  type GraphObject,
} from '../helpers/api.ts';
import { suite } from '../helpers/suite.ts';

const PATH = '/v1.0/identityGovernance/termsOfUse/agreements';
const b64 = (s: string | Buffer) => Buffer.from(s).toString('base64');
const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
const loc = (fileName: string, language: string, data: string | Buffer, isDefault?: boolean) => ({
  fileName,
  language,
  ...(isDefault !== undefined && { isDefault }),
  fileData: { data: b64(data) },
});
const body = (extra: Record<string, unknown> = {}) => ({
  displayName: 'Partner terms',
  isViewingBeforeAcceptanceRequired: true,
  userReacceptRequiredFrequency: 'P90D',
  file: {
    localizations: [
      loc('terms.pdf', 'en-US', PDF, true),
      loc('bedingungen.md', 'de-DE', '# Bedingungen\n\nSeien Sie nett.', false),
    ],
  },
  ...extra,
});

suite('API terms of use', { tenant: 'Contoso' }, ({ s, t }) => {
  let reader: Api;
  before(async () => {
    reader = await narrowApi(s, t.tenantId, ['Agreement.Read.All']);
  });

  const create = async (extra: Record<string, unknown> = {}) => {
    const res = await t.api('POST', PATH, body(extra));
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body as GraphObject;
  };
  const all = async () => (await readAllPages(t.api, s.baseUrl, PATH)).items;
  const auditActivities = async () =>
    (await t.api('GET', '/v1.0/auditLogs/directoryAudits')).body.value.map(
      (e: { activityDisplayName: string }) => e.activityDisplayName,
    ) as string[];

  it('targets all guests by default; appliesTo chooses all users or groups, and refuses groups it cannot name', async () => {
    const a = await create({ displayName: 'Targeted' });
    assert.deepEqual(a.appliesTo, { users: 'allGuests', groupIds: [], includeAdministrators: false });
    const group = (
      await t.api('POST', '/v1.0/groups', {
        displayName: 'Partners',
        mailEnabled: false,
        securityEnabled: true,
        mailNickname: 'partners',
      })
    ).body;
    const patched = await t.api('PATCH', `${PATH}/${a.id}`, {
      appliesTo: { users: 'groups', groupIds: [group.id], includeAdministrators: true },
    });
    assert.equal(patched.status, 204, JSON.stringify(patched.body));
    assert.deepEqual((await t.api('GET', `${PATH}/${a.id}`)).body.appliesTo, {
      users: 'groups',
      groupIds: [group.id],
      includeAdministrators: true,
    });
    const refusals: [unknown, RegExp][] = [
      [{ users: 'groups' }, /at least one group/],
      [{ users: 'groups', groupIds: ['00000000-0000-4000-8000-000000000000'] }, /is not a group of this organization/],
      [{ users: 'everyone' }, /appliesTo/],
    ];
    for (const [appliesTo, message] of refusals) {
      const res = await t.api('PATCH', `${PATH}/${a.id}`, { appliesTo });
      assert.equal(res.status, 400, JSON.stringify(appliesTo));
      assert.match(res.body.error.message, message);
    }
    assert.equal((await t.api('GET', `${PATH}/${a.id}`)).body.appliesTo.users, 'groups', 'refusals change nothing');
    assert.equal((await t.api('DELETE', `${PATH}/${a.id}`)).status, 204);
  });

  it('creates an agreement in Graph shape and reads it back by id and in the list', async () => {
    const a = await create();
    assert.equal(a['@odata.context'], `${s.baseUrl}/v1.0/$metadata#identityGovernance/termsOfUse/agreements/$entity`);
    assert.match(a.id, /^[0-9a-f-]{36}$/);
    assert.deepEqual(
      {
        displayName: a.displayName,
        isViewingBeforeAcceptanceRequired: a.isViewingBeforeAcceptanceRequired,
        isPerDeviceAcceptanceRequired: a.isPerDeviceAcceptanceRequired,
        userReacceptRequiredFrequency: a.userReacceptRequiredFrequency,
        version: a.version,
      },
      {
        displayName: 'Partner terms',
        isViewingBeforeAcceptanceRequired: true,
        isPerDeviceAcceptanceRequired: false,
        userReacceptRequiredFrequency: 'P90D',
        version: 1,
      },
    );
    assert.deepEqual((await t.api('GET', `${PATH}/${a.id}`)).body, a);
    const list = await reader('GET', PATH);
    assert.equal(list.status, 200);
    assert.equal(list.body['@odata.context'], `${s.baseUrl}/v1.0/$metadata#identityGovernance/termsOfUse/agreements`);
    assert.ok(list.body.value.some((x: GraphObject) => x.id === a.id));
    assert.equal((await reader('GET', `${PATH}/${a.id}`)).status, 200, 'Agreement.Read.All reads');
    assert.ok((await auditActivities()).includes('Create agreement'));
    // The same API under the tenant's own prefix.
    assert.equal((await t.api('GET', `/${t.tenantId}${PATH}/${a.id}`)).body.id, a.id);
  });

  it('accepts the older `files` list and weeks; a lone file is the default', async () => {
    const a = await create({
      displayName: 'Plain',
      userReacceptRequiredFrequency: 'P2W',
      file: undefined,
      files: [loc('terms.txt', 'en', 'Line one\nLine two')],
    });
    assert.equal(a.userReacceptRequiredFrequency, 'P14D');
    const file = (await t.api('GET', `${PATH}/${a.id}/file`)).body;
    assert.equal(file.fileName, 'terms.txt');
    assert.equal(file.isDefault, true);
    assert.equal(Buffer.from(file.fileData.data, 'base64').toString(), 'Line one\nLine two');
    const none = await create({ displayName: 'Once', userReacceptRequiredFrequency: null });
    assert.equal(none.userReacceptRequiredFrequency, null);
  });

  it('updates settings without a new version; publishes a new version; returns the current file', async () => {
    const a = await create();
    assert.equal(
      (
        await t.api('PATCH', `${PATH}/${a.id}`, {
          displayName: 'Renamed',
          userReacceptRequiredFrequency: null,
          isViewingBeforeAcceptanceRequired: false,
        })
      ).status,
      204,
    );
    const back = (await t.api('GET', `${PATH}/${a.id}`)).body;
    assert.deepEqual(
      [back.displayName, back.userReacceptRequiredFrequency, back.isViewingBeforeAcceptanceRequired, back.version],
      ['Renamed', null, false, 1],
    );
    const v2 = await t.api('POST', `${PATH}/${a.id}/versions`, {
      file: {
        localizations: [loc('v2.txt', 'en-US', 'Version two', true), loc('v2-de.txt', 'de', 'Version zwei', false)],
      },
    });
    assert.equal(v2.status, 201, JSON.stringify(v2.body));
    assert.equal(v2.body.version, 2);
    const file = (await t.api('GET', `${PATH}/${a.id}/file`)).body;
    assert.equal(file.version, 2);
    assert.deepEqual(
      file.localizations.map((l: GraphObject) => [l.language, l.fileName, l.isDefault]),
      [
        ['en-US', 'v2.txt', true],
        ['de', 'v2-de.txt', false],
      ],
    );
    const activities = await auditActivities();
    assert.ok(activities.includes('Update agreement') && activities.includes('Publish agreement version'));
  });

  it('reports acceptances in Graph shape, latest first, with paging', async () => {
    const a = await create({
      displayName: 'Report',
      userReacceptRequiredFrequency: 'P30D',
      appliesTo: { users: 'allUsers' },
    });
    const [u1, u2] = await seedMembers(s, t.tenantId, [
      { displayName: 'Ann', userPrincipalName: 'ann@contoso.portico.localhost' },
      { displayName: 'Ben', userPrincipalName: 'ben@contoso.portico.localhost' },
    ]);
    const { store, clock } = s.portico.services;
    await store.transaction((tx) => recordAcceptance(tx, clock, t.tenantId, u1!.id, a.id, 1, 'accepted'));
    await new Promise((r) => setTimeout(r, 5));
    await store.transaction((tx) => recordAcceptance(tx, clock, t.tenantId, u2!.id, a.id, 1, 'declined'));
    const pending = await pendingAgreements(store.db, t.tenantId, u1!.id, new Date());
    assert.ok(!pending.some((p) => p.id === a.id));
    const declinedBy = await pendingAgreements(store.db, t.tenantId, u2!.id, new Date());
    assert.ok(
      declinedBy.some((p) => p.id === a.id),
      'declined: still pending',
    );
    const res = await reader('GET', `${PATH}/${a.id}/acceptances`);
    assert.equal(res.status, 200);
    const [declined, accepted] = res.body.value as GraphObject[];
    assert.deepEqual(
      [declined!.userId, declined!.state, declined!.userPrincipalName, declined!.expirationDateTime],
      [u2!.id, 'declined', 'ben@contoso.portico.localhost', null],
    );
    assert.deepEqual(
      [accepted!.userId, accepted!.state, accepted!.agreementId, accepted!.version],
      [u1!.id, 'accepted', a.id, 1],
    );
    assert.match(accepted!.agreementFileId as string, /^[0-9a-f-]{36}$/);
    assert.equal(
      Date.parse(accepted!.expirationDateTime as string) - Date.parse(accepted!.recordedDateTime as string),
      30 * 86_400_000,
    );
    const { items, pages } = await readAllPages(t.api, s.baseUrl, `${PATH}/${a.id}/acceptances?$top=1`);
    assert.equal(pages.length, 2);
    assert.deepEqual(ids(items), ids(res.body.value));
    assert.ok((await auditActivities()).includes('Decline terms of use'));
  });

  it('deletes an agreement: reads and a second delete are 404', async () => {
    const a = await create();
    assert.equal((await t.api('DELETE', `${PATH}/${a.id}`)).status, 204);
    assertGraphError(await t.api('GET', `${PATH}/${a.id}`), 404, 'Request_ResourceNotFound');
    assert.ok(!ids(await all()).includes(a.id));
    assertGraphError(await t.api('DELETE', `${PATH}/${a.id}`), 404, 'Request_ResourceNotFound');
    assert.ok((await auditActivities()).includes('Delete agreement'));
  });

  it('404s for unknown ids and for another tenant’s agreements', async () => {
    const a = await create();
    const other = await tenantWithApi(s, 'Fabrikam');
    for (const [api, id] of [
      [t.api, '00000000-0000-4000-8000-000000000000'],
      [t.api, 'not-an-id'],
      [other.api, a.id],
    ] as const) {
      assertGraphError(await api('GET', `${PATH}/${id}`), 404, 'Request_ResourceNotFound');
      assertGraphError(await api('PATCH', `${PATH}/${id}`, { displayName: 'X' }), 404, 'Request_ResourceNotFound');
      assertGraphError(await api('DELETE', `${PATH}/${id}`), 404, 'Request_ResourceNotFound');
      assertGraphError(await api('GET', `${PATH}/${id}/acceptances`), 404, 'Request_ResourceNotFound');
      assertGraphError(await api('GET', `${PATH}/${id}/file`), 404, 'Request_ResourceNotFound');
      assertGraphError(
        await api('POST', `${PATH}/${id}/versions`, { file: { localizations: [loc('a.txt', 'en', 'x', true)] } }),
        404,
        'Request_ResourceNotFound',
      );
    }
    assert.equal((await t.api('GET', `${PATH}/${a.id}`)).body.displayName, 'Partner terms');
  });

  it('needs Agreement.Read.All to read and Agreement.ReadWrite.All to write', async () => {
    const a = await create();
    const none = await narrowApi(s, t.tenantId, ['Directory.ReadWrite.All']);
    assertGraphError(await none('GET', PATH), 403, 'Authorization_RequestDenied');
    assertGraphError(await none('GET', `${PATH}/${a.id}/acceptances`), 403, 'Authorization_RequestDenied');
    const before = ids(await all());
    assertGraphError(await reader('POST', PATH, body()), 403, 'Authorization_RequestDenied');
    assertGraphError(
      await reader('PATCH', `${PATH}/${a.id}`, { displayName: 'X' }),
      403,
      'Authorization_RequestDenied',
    );
    assertGraphError(
      await reader('POST', `${PATH}/${a.id}/versions`, { file: body().file }),
      403,
      'Authorization_RequestDenied',
    );
    assertGraphError(await reader('DELETE', `${PATH}/${a.id}`), 403, 'Authorization_RequestDenied');
    assert.deepEqual(ids(await all()), before);
    assert.deepEqual((await t.api('GET', `${PATH}/${a.id}`)).body, a);
    const writer = await narrowApi(s, t.tenantId, ['Agreement.ReadWrite.All']);
    assert.equal((await writer('GET', `${PATH}/${a.id}`)).status, 200);
    assertGraphError(await (await narrowApi(s, t.tenantId, []))('GET', PATH), 403, 'Authorization_RequestDenied');
  });

  describe('refused writes change nothing', () => {
    const bad: [string, () => unknown, number, string, RegExp?][] = [
      ['a duration in months', () => body({ userReacceptRequiredFrequency: 'P3M' }), 400, 'Request_BadRequest', /P90D/],
      [
        'a duration in hours',
        () => body({ userReacceptRequiredFrequency: 'PT12H' }),
        400,
        'Request_BadRequest',
        /whole number of days/,
      ],
      [
        'a zero duration',
        () => body({ userReacceptRequiredFrequency: 'P0D' }),
        400,
        'Request_BadRequest',
        /between P1D/,
      ],
      [
        'no default file',
        () => body({ file: { localizations: [loc('a.pdf', 'en', PDF, false), loc('b.txt', 'de', 'x', false)] } }),
        400,
        'Request_BadRequest',
        /isDefault/,
      ],
      [
        'two default files',
        () => body({ file: { localizations: [loc('a.pdf', 'en', PDF, true), loc('b.txt', 'de', 'x', true)] } }),
        400,
        'Request_BadRequest',
        /isDefault/,
      ],
      [
        'a fake PDF',
        () => body({ file: { localizations: [loc('a.pdf', 'en', '<script>alert(1)</script>', true)] } }),
        400,
        'Request_BadRequest',
        /not a PDF/,
      ],
      [
        'text that is not UTF-8',
        () => body({ file: { localizations: [loc('a.txt', 'en', Buffer.from([0xc3, 0x28]), true)] } }),
        400,
        'Request_BadRequest',
        /UTF-8/,
      ],
      [
        'an unsupported extension',
        () => body({ file: { localizations: [loc('a.docx', 'en', 'x', true)] } }),
        400,
        'Request_BadRequest',
        /\.pdf, \.txt or \.md/,
      ],
      [
        'data that is not base64',
        () =>
          body({
            file: {
              localizations: [
                { fileName: 'a.txt', language: 'en', isDefault: true, fileData: { data: 'not base64!' } },
              ],
            },
          }),
        400,
        'Request_BadRequest',
        /base64/,
      ],
      [
        'a bad language',
        () => body({ file: { localizations: [loc('a.txt', 'xx_YY!', 'x', true)] } }),
        400,
        'Request_BadRequest',
        /language tag/,
      ],
      ['no file', () => body({ file: undefined }), 400, 'Request_BadRequest'],
      ['no localizations', () => body({ file: { localizations: [] } }), 400, 'Request_BadRequest'],
      ['no displayName', () => body({ displayName: undefined }), 400, 'Request_BadRequest'],
      ['an unknown property', () => body({ termsExpiration: { frequency: 'P1D' } }), 400, 'Request_BadRequest'],
      [
        'per-device acceptance',
        () => body({ isPerDeviceAcceptanceRequired: true }),
        400,
        'Request_BadRequest',
        /per-device/,
      ],
      [
        'a file over 5 MB',
        () =>
          body({
            file: { localizations: [loc('big.pdf', 'en', Buffer.concat([PDF, Buffer.alloc(5 * 1024 * 1024)]), true)] },
          }),
        413,
        'Request_EntityTooLarge',
        /5 MB/,
      ],
      ['malformed JSON', () => '{"displayName":"X"', 400, 'BadRequest'],
    ];
    for (const [what, b, status, code, message] of bad) {
      it(`refuses to create with ${what} (${status} ${code})`, async () => {
        const before = ids(await all());
        const res = await t.api('POST', PATH, b());
        assertGraphError(res, status, code);
        if (message) assert.match(res.body.error.message, message);
        assert.deepEqual(ids(await all()), before);
      });
    }

    it('refuses bad versions and updates, and the agreement reads back unchanged', async () => {
      const a = await create();
      for (const [what, b, status, code] of bad) {
        if (
          what.includes('displayName') ||
          what.includes('JSON') ||
          what.includes('months') ||
          what.includes('property') ||
          what.includes('device') ||
          what.includes('duration')
        )
          continue;
        const file = (b() as { file?: unknown }).file;
        assertGraphError(await t.api('POST', `${PATH}/${a.id}/versions`, { file }), status, code);
      }
      assertGraphError(
        await t.api('POST', `${PATH}/${a.id}/versions`, { file: body().file, displayName: 'X' }),
        400,
        'Request_BadRequest',
      );
      for (const patch of [
        { userReacceptRequiredFrequency: 'P1Y' },
        { displayName: '' },
        { file: body().file },
        { version: 3 },
        { isViewingBeforeAcceptanceRequired: 'yes' },
      ]) {
        assertGraphError(await t.api('PATCH', `${PATH}/${a.id}`, patch), 400, 'Request_BadRequest');
      }
      assertGraphError(
        await t.api('PATCH', `${PATH}/${a.id}`, JSON.stringify({ displayName: 'X' }), { 'content-type': 'text/plain' }),
        415,
        'UnsupportedMediaType',
      );
      assert.deepEqual((await t.api('GET', `${PATH}/${a.id}`)).body, a);
      assert.equal((await t.api('GET', `${PATH}/${a.id}/file`)).body.version, 1);
    });

    it('refuses unsupported query options', async () => {
      assertGraphError(
        await t.api('GET', `${PATH}?$filter=${encodeURIComponent("displayName eq 'X'")}`),
        400,
        'Request_UnsupportedQuery',
      );
      assertGraphError(await t.api('GET', `${PATH}?$select=id,color`), 400, 'Request_UnsupportedQuery');
      const sel = await t.api('GET', `${PATH}?$select=id,displayName&$count=true`);
      assert.equal(sel.status, 200);
      assert.deepEqual(Object.keys(sel.body.value[0]), ['id', 'displayName']);
      assert.equal(sel.body['@odata.count'], sel.body.value.length);
    });
  });

  describe('the terms file route and page', () => {
    it('serves a PDF inline with nosniff, in the best language, and 404s otherwise', async () => {
      const a = await create();
      const url = (v: number | string, lang: string, tenant = t.tenantId, id = a.id) =>
        `${s.baseUrl}/terms/${tenant}/${id}/${v}/${lang}`;
      const res = await fetch(url(1, 'en-US'));
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('content-type'), 'application/pdf');
      assert.match(res.headers.get('content-disposition') ?? '', /^inline; filename="terms\.pdf"/);
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
      assert.deepEqual(Buffer.from(await res.arrayBuffer()), PDF);
      const de = await fetch(url(1, 'de-AT'));
      assert.equal(de.headers.get('content-type'), 'text/markdown; charset=utf-8');
      assert.equal(de.headers.get('content-language'), 'de-DE');
      assert.equal(await de.text(), '# Bedingungen\n\nSeien Sie nett.');
      assert.equal((await fetch(url(1, 'ja'))).headers.get('content-type'), 'application/pdf', 'the default file');
      for (const u of [
        url(2, 'en'),
        url('x', 'en'),
        url(1, 'en', '00000000-0000-4000-8000-000000000000'),
        url(1, 'en', t.tenantId, '00000000-0000-4000-8000-000000000000'),
      ]) {
        assert.equal((await fetch(u)).status, 404, u);
      }
    });

    it('renders text escaped with its line breaks, a PDF as a link, and the read box when viewing is required', async () => {
      const a = await create({
        file: {
          localizations: [
            loc('t.txt', 'en', 'Rule 1: <b>be</b> nice & fair\nRule 2: "no" spam\n\nSigned', true),
            loc('t.pdf', 'de', PDF, false),
          ],
        },
      });
      const { store } = s.portico.services;
      const tenant = (await getTenant(store.db, t.tenantId))!;
      const agreement = { id: a.id, displayName: '<Partner> terms', version: 1 };
      const text = (await fileFor(store.db, t.tenantId, a.id, 1, 'en'))!;
      const html = await renderDocument(
        TermsPage({
          lang: 'en-US',
          tenant,
          agreement,
          file: text,
          action: '/redeem/terms',
          csrf: 'tok"en',
          mustExpand: true,
          error: 'Open & read',
        }),
      );
      assert.ok(
        html.includes('<p>Rule 1: &lt;b&gt;be&lt;/b&gt; nice &amp; fair<br/>Rule 2: &quot;no&quot; spam</p>'),
        html,
      );
      assert.ok(!html.includes('<b>be</b>'));
      assert.match(html, /<p>Signed<\/p>/);
      assert.match(html, /&lt;Partner&gt; terms/);
      assert.match(html, /<form method="post" action="\/redeem\/terms">/);
      assert.match(html, /name="csrf" value="tok&quot;en"/);
      assert.match(html, /<input id="viewed" name="viewed" type="checkbox" value="1" required/);
      assert.match(html, /name="decision" value="accept"/);
      assert.match(html, /name="decision" value="decline"[^>]*formnovalidate/);
      assert.match(html, /role="alert">Open &amp; read</);
      const pdf = (await fileFor(store.db, t.tenantId, a.id, 1, 'de'))!;
      const de = await renderDocument(
        TermsPage({ lang: 'de-DE', tenant, agreement, file: pdf, action: '/x', csrf: 'c', mustExpand: false }),
      );
      assert.match(de, new RegExp(`href="/terms/${t.tenantId}/${a.id}/1/de"`));
      assert.match(de, /Nutzungsbedingungen/);
      assert.ok(!de.includes('name="viewed"'), 'no box when viewing is not required');
      assert.equal(
        (await fetch(`${s.baseUrl}/terms/${t.tenantId}/${a.id}/1/de`)).headers.get('content-type'),
        'application/pdf',
      );
    });

    it('reads the form: accept needs the box when viewing is required', () => {
      assert.deepEqual(readTermsForm({ decision: 'accept', viewed: '1', version: '2' }, true), {
        decision: 'accept',
        version: 2,
      });
      assert.deepEqual(readTermsForm({ decision: 'accept' }, true), { error: 'terms.mustView' });
      assert.deepEqual(readTermsForm({ decision: 'accept' }, false), { decision: 'accept', version: undefined });
      assert.deepEqual(readTermsForm({ decision: 'decline' }, true), { decision: 'decline', version: undefined });
      assert.deepEqual(readTermsForm({ decision: 'maybe', viewed: '1' }, true), { error: 'terms.mustView' });
    });
  });
});
