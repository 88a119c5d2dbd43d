// GET /v1.0/users filtered and ordered by signInActivity (issue #19), as Graph answers
// `$filter=signInActivity/lastSignInDateTime le 2026-01-01T00:00:00Z` and `$orderby=signInActivity/lastSignInDateTime
// desc`: four guests reach their activity through the product at known times of the manual clock (two redeem a day
// apart, one only types a wrong passcode, one never tries), and the lists are read back through the API, across
// pages. Bad filters and orders are Graph's 400; without AuditLog.Read.All, 403.
import assert from 'node:assert/strict';
import { before, it } from 'node:test';

import { assertGraphError, inviteGuest, narrowApi, type GraphObject } from '../helpers/api.ts';
import { mailedCode, openLink, redeemedGuest, submit } from '../helpers/redeem.ts';
import { suite } from '../helpers/suite.ts';

const DAY = 86_400_000;
const LAST = 'signInActivity/lastSignInDateTime';
const SUCCESS = 'signInActivity/lastSuccessfulSignInDateTime';

suite('users by signInActivity', { clock: 'manual', runWorker: false, tenant: 'Contoso' }, ({ s, t, clock }) => {
  const id: Record<'early' | 'late' | 'failed' | 'never', string> = { early: '', late: '', failed: '', never: '' };
  const at: Record<'early' | 'late' | 'failed', string> = { early: '', late: '', failed: '' };
  const nameOf = (userId: string) => Object.entries(id).find(([, v]) => v === userId)?.[0];

  before(async () => {
    id.early = (await redeemedGuest(s, t.api, 'early@partner.example')).id;
    at.early = clock.now().toISOString();
    clock.advance(DAY);
    id.late = (await redeemedGuest(s, t.api, 'late@partner.example')).id;
    at.late = clock.now().toISOString();
    clock.advance(DAY);
    const invited = await inviteGuest(t.api, 'failed@partner.example');
    id.failed = invited.id;
    const codePage = await submit(s, await openLink(s, invited.redeemUrl), '/redeem/start');
    const code = await mailedCode(s, 'failed@partner.example');
    const wrong = await submit(s, codePage, '/redeem/passcode', { code: code === '000000' ? '111111' : '000000' });
    assert.equal(wrong.status, 400);
    at.failed = clock.now().toISOString();
    id.never = (await inviteGuest(t.api, 'never@partner.example')).id;
  });

  /** The guests of this test a query lists, in its order (following every nextLink). */
  const listed = async (query: string): Promise<string[]> => {
    const out: string[] = [];
    let url: string | undefined = `/v1.0/users?${query}`;
    while (url) {
      const res = await t.api('GET', url);
      assert.equal(res.status, 200, `${query}: ${JSON.stringify(res.body)}`);
      for (const u of res.body.value as GraphObject[]) {
        const name = nameOf(u.id as string);
        if (name) out.push(name);
      }
      const next = res.body['@odata.nextLink'] as string | undefined;
      url = next && next.slice(s.baseUrl.length);
    }
    return out;
  };
  const filtered = async (filter: string) => (await listed(`$filter=${encodeURIComponent(filter)}`)).sort();

  it('filters on lastSignInDateTime with le, ge, eq and ne, any outcome counting', async () => {
    assert.deepEqual(await filtered(`${LAST} le ${at.late}`), ['early', 'late']);
    assert.deepEqual(await filtered(`${LAST} ge ${at.late}`), ['failed', 'late']);
    assert.deepEqual(await filtered(`${LAST} eq ${at.early}`), ['early']);
    assert.deepEqual(await filtered(`${LAST} ne ${at.early}`), ['failed', 'late', 'never']);
    // Graph's example: everyone who last tried before a date, written with an offset.
    const dayBefore = new Date(Date.parse(at.late) - 1000).toISOString().replace('Z', '+00:00');
    assert.deepEqual(await filtered(`${LAST} le ${dayBefore}`), ['early']);
  });

  it('eq null is who never tried; on lastSuccessfulSignInDateTime also who only failed', async () => {
    assert.deepEqual(await filtered(`${LAST} eq null`), ['never']);
    assert.deepEqual(await filtered(`${LAST} ne null`), ['early', 'failed', 'late']);
    assert.deepEqual(await filtered(`${SUCCESS} eq null`), ['failed', 'never']);
    assert.deepEqual(await filtered(`${SUCCESS} ge ${at.late}`), ['late']);
    assert.deepEqual(await filtered(`${SUCCESS} le ${at.failed} and userType eq 'Guest'`), ['early', 'late']);
    assert.deepEqual(await filtered(`${SUCCESS} eq null or ${LAST} eq ${at.early}`), ['early', 'failed', 'never']);
  });

  it('orders by either time, desc and asc, the never-signed-in last and first, across pages of one', async () => {
    const order = (property: string, dir: string) =>
      listed(`$orderby=${encodeURIComponent(`${property} ${dir}`)}&$top=1&$select=id,signInActivity`);
    assert.deepEqual(await order(LAST, 'desc'), ['failed', 'late', 'early', 'never']);
    assert.deepEqual(await order(LAST, 'asc'), ['never', 'early', 'late', 'failed']);
    assert.deepEqual(await order(SUCCESS, 'desc'), [
      'late',
      'early',
      ...(id.failed < id.never ? ['never', 'failed'] : ['failed', 'never']),
    ]);
    // Without a direction, ascending; with a filter, only what it keeps.
    assert.deepEqual(
      await listed(`$orderby=${encodeURIComponent(LAST)}&$filter=${encodeURIComponent(`${LAST} ne null`)}`),
      ['early', 'late', 'failed'],
    );
    const page = await t.api(
      'GET',
      `/v1.0/users?$orderby=${encodeURIComponent(`${LAST} desc`)}&$select=id,signInActivity`,
    );
    const times = (page.body.value as GraphObject[])
      .map((u) => (u.signInActivity as { lastSignInDateTime: string | null }).lastSignInDateTime)
      .filter((v) => v !== null);
    assert.deepEqual(times, [...times].sort().reverse(), 'every user of the page in order');
  });

  it('refuses bad filters and orders with 400 Request_UnsupportedQuery, and both without AuditLog.Read.All', async () => {
    for (const query of [
      `$filter=${encodeURIComponent(`${LAST} le 'yesterday'`)}`,
      `$filter=${encodeURIComponent(`${LAST} ge null`)}`,
      `$filter=${encodeURIComponent(`${LAST} le 2026-02-30T00:00:00Z`)}`,
      `$filter=${encodeURIComponent(`startswith(${LAST}, '2026')`)}`,
      `$filter=${encodeURIComponent('signInActivity/lastNonInteractiveSignInDateTime le 2026-01-01T00:00:00Z')}`,
      `$orderby=displayName`,
      `$orderby=${encodeURIComponent(`${LAST} sideways`)}`,
      `$orderby=${encodeURIComponent(`${LAST} desc,displayName`)}`,
      `$orderby=${encodeURIComponent(`${LAST} desc`)}&$skiptoken=${Buffer.from(JSON.stringify({ a: 'x' })).toString('base64url')}`,
    ]) {
      const res = await t.api('GET', `/v1.0/users?${query}`);
      assertGraphError(res, 400, 'Request_UnsupportedQuery');
    }
    // A group's members list users without the sign-in log's permission check: it filters on none of it.
    const group = await t.api('POST', '/v1.0/groups', {
      displayName: 'Partners',
      mailEnabled: false,
      securityEnabled: true,
      mailNickname: 'partners',
    });
    assert.equal(group.status, 201, JSON.stringify(group.body));
    const ref = { '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${id.early}` };
    assert.equal((await t.api('POST', `/v1.0/groups/${group.body.id}/members/$ref`, ref)).status, 204);
    assertGraphError(
      await t.api('GET', `/v1.0/groups/${group.body.id}/members?$filter=${encodeURIComponent(`${LAST} eq null`)}`),
      400,
      'Request_UnsupportedQuery',
    );
    const reader = await narrowApi(s, t.tenantId, ['User.Read.All']);
    assert.equal((await reader('GET', `/v1.0/users`)).status, 200);
    for (const query of [
      `$filter=${encodeURIComponent(`${LAST} eq null`)}`,
      `$orderby=${encodeURIComponent(`${LAST} desc`)}`,
    ])
      assertGraphError(await reader('GET', `/v1.0/users?${query}`), 403, 'Authorization_RequestDenied');
  });
});
