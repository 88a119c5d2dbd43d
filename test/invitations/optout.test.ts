// Invitees opting out, over HTTP on both stores: the per-recipient link in the invitation email, the page, the code
// from the real SMTP catcher, blocking one organization (the next invitation refused with a stable code and an audit
// event, another organization unaffected, a bulk row failing alike), blocking every organization, undoing it, and
// the guest redeeming afterwards. A stranger with the link changes nothing; forms need their cookie; pages escape.
import assert from 'node:assert/strict';
import { before, it } from 'node:test';

import { listAudit } from '../../src/directory/audit.ts';
import { bulkInvite } from '../../src/invitations/bulk.ts';
import { blockState } from '../../src/invitations/optout.ts';
import { assertGraphError, tenantWithApi, type TenantApi } from '../helpers/api.ts';
import { fieldIn, optOut, optOutCode, optOutLinkFor } from '../helpers/optout.ts';
import { mailedCode, openLink, submit } from '../helpers/redeem.ts';
import { CookieJar, postForm, request } from '../helpers/signin.ts';
import { suite } from '../helpers/suite.ts';

const MIN = 60_000;

suite(
  'invitee opt-out',
  { clock: new Date('2026-03-01T09:00:00Z'), runWorker: false, tenant: 'Contoso' },
  ({ s, t, clock }) => {
    let f: TenantApi;
    before(async () => {
      f = await tenantWithApi(s, 'Fabrikam');
    });

    const db = () => s.portico.services.store.db;
    const invite = (api: TenantApi, email: string) =>
      api.api('POST', '/v1.0/invitations', {
        invitedUserEmailAddress: email,
        inviteRedirectUrl: `${s.baseUrl}/myapps`,
        sendInvitationMessage: true,
      });
    // issueCode's cool-down is a minute per address: each test's next code is asked for after it.
    const later = () => clock.advance(2 * MIN);

    it("every invitation email carries the recipient's own opt-out link, which shows no address", async () => {
      assert.equal((await invite(t, 'ann@partner.example')).status, 201);
      assert.equal((await invite(t, 'bob@partner.example')).status, 201);
      const ann = await optOutLinkFor(s, 'ann@partner.example');
      const bob = await optOutLinkFor(s, 'bob@partner.example');
      assert.notEqual(ann, bob);
      assert.doesNotMatch(ann, /ann|partner/i);
      const mail = s.smtp
        .messages()
        .filter((m) => m.to.includes('ann@partner.example'))
        .at(-1)!;
      assert.ok(mail.html!.includes(`href="${ann.replace(/&/g, '&amp;')}"`), 'the HTML part links to it too');
      const page = await (await request(new CookieJar(), ann)).text();
      assert.match(page, /Invitations to ann@partner\.example/);
      assert.match(page, /The invitation came from Contoso/);
    });

    it('a stranger with the link changes nothing: a wrong code is refused, a form without its cookie too', async () => {
      later();
      const link = await optOutLinkFor(s, 'bob@partner.example');
      const jar = new CookieJar();
      const start = await (await request(jar, link)).text();
      const noCookie = await postForm(new CookieJar(), `${s.baseUrl}/optout/code`, {
        token: fieldIn(start, 'token'),
        l: fieldIn(start, 'l'),
      });
      assert.equal(noCookie.status, 400);
      assert.match(await noCookie.text(), /This form has expired/);
      const sent = await postForm(jar, `${s.baseUrl}/optout/code`, {
        token: fieldIn(start, 'token'),
        l: fieldIn(start, 'l'),
      });
      assert.equal(sent.status, 303);
      const confirm = await (await request(jar, new URL(sent.headers.get('location')!, s.baseUrl).toString())).text();
      const real = await optOutCode(s, 'bob@partner.example');
      const wrong = await postForm(jar, `${s.baseUrl}/optout/confirm`, {
        token: fieldIn(confirm, 'token'),
        l: fieldIn(confirm, 'l'),
        code: real === '000000' ? '111111' : '000000',
        choice: 'blockAll',
      });
      assert.equal(wrong.status, 400);
      assert.match(await wrong.text(), /That code isn(?:'|&#39;)t right/);
      // One character in the middle changed: every bit of it counts (the last characters of base64 may carry unused
      // bits, so changing them could leave the sealed bytes as they were, and the check passed by chance).
      const sealed = fieldIn(confirm, 'l');
      const at = Math.floor(sealed.length / 2);
      const tampered = await postForm(jar, `${s.baseUrl}/optout/confirm`, {
        token: fieldIn(confirm, 'token'),
        l: `${sealed.slice(0, at)}${sealed[at] === 'A' ? 'B' : 'A'}${sealed.slice(at + 1)}`,
        code: real,
        choice: 'blockAll',
      });
      assert.equal(tampered.status, 303, 'an altered link is not a link');
      assert.deepEqual(await blockState(db(), 'bob@partner.example', t.tenantId), { tenant: false, everywhere: false });
      assert.equal((await invite(t, 'bob@partner.example')).status, 201);
    });

    it('blocks one organization: its next invitation is refused with a stable code and an audit event; others still invite', async () => {
      later();
      const done = await optOut(s, await optOutLinkFor(s, 'ann@partner.example'), 'ann@partner.example', 'blockTenant');
      assert.equal(done.status, 200, done.page);
      assert.match(done.page, /Invitations to ann@partner\.example from Contoso are stopped/);
      const refused = await invite(t, 'ANN@partner.example');
      assertGraphError(refused, 403, 'Request_InviteeOptedOut');
      assert.match(
        refused.body.error.message,
        /ANN@partner\.example has asked not to receive invitations from this organization/,
      );
      assert.match(refused.body.error.message, new RegExp(`${s.baseUrl}/optout`));
      const events = (await listAudit(db(), t.tenantId, { top: 50, activity: 'Invite external user' })).filter(
        (e) => e.result === 'failure',
      );
      assert.equal(events.length, 1);
      assert.match(events[0]!.resultReason ?? '', /opted out of invitations from this organization/);
      assert.ok(events[0]!.additionalDetails.some((d) => d.key === 'optedOut' && d.value === 'tenant'));
      const invitations = await db()
        .selectFrom('invitations')
        .select('id')
        .where('tenant_id', '=', t.tenantId)
        .where('invited_email', '=', 'ann@partner.example')
        .execute();
      assert.equal(invitations.length, 1, 'the refused invitation left nothing');
      assert.equal((await invite(f, 'ann@partner.example')).status, 201, 'another organization still invites');
      const [row] = await bulkInvite(
        s.portico.services,
        { csv: 'email\nann@partner.example\n' },
        {
          tenantId: t.tenantId,
          actor: { kind: 'system', displayName: 'test' },
          defaultRedirect: `${s.baseUrl}/myapps`,
        },
      );
      assert.equal(row!.outcome, 'failed');
      assert.match(row!.error, /ann@partner\.example has asked not to receive invitations from this organization/);
    });

    it('blocks every organization, then undoes it; the guest then redeems', async () => {
      later();
      const fromFabrikam = await optOutLinkFor(s, 'ann@partner.example');
      const blocked = await optOut(s, fromFabrikam, 'ann@partner.example', 'blockAll');
      assert.match(blocked.page, /from every organization on this service are stopped/);
      assertGraphError(await invite(f, 'ann@partner.example'), 403, 'Request_InviteeOptedOut');
      const both = await invite(t, 'ann@partner.example');
      assertGraphError(both, 403, 'Request_InviteeOptedOut');
      later();
      const undone = await optOut(s, fromFabrikam, 'ann@partner.example', 'allowAll');
      assert.match(undone.page, /Fabrikam may invite ann@partner\.example again/);
      assert.deepEqual(await blockState(db(), 'ann@partner.example', t.tenantId), { tenant: false, everywhere: false });
      const again = await invite(t, 'ann@partner.example');
      assert.equal(again.status, 201);
      const landing = await openLink(s, again.body.inviteRedeemUrl);
      const code = await submit(s, landing, '/redeem/start');
      const consent = await submit(s, code, '/redeem/passcode', { code: await mailedCode(s, 'ann@partner.example') });
      await submit(s, consent, '/redeem/consent', { decision: 'accept' });
      assert.equal((await t.api('GET', `/v1.0/users/${again.body.invitedUser.id}`)).body.externalUserState, 'Accepted');
    });

    it('allowing one organization again keeps the block for every organization, and says so', async () => {
      later();
      const link = await optOutLinkFor(s, 'bob@partner.example');
      await optOut(s, link, 'bob@partner.example', 'blockAll');
      later();
      const page = await optOut(s, link, 'bob@partner.example', 'allowTenant');
      assert.match(page.page, /from every organization on this service are stopped/);
      assertGraphError(await invite(t, 'bob@partner.example'), 403, 'Request_InviteeOptedOut');
    });

    it('without a link the person types the address and can only choose for every organization', async () => {
      later();
      const jar = new CookieJar();
      const start = await (await request(jar, `${s.baseUrl}/optout`)).text();
      assert.match(start, /name="email"/);
      const sent = await postForm(jar, `${s.baseUrl}/optout/code`, {
        token: fieldIn(start, 'token'),
        email: 'Cy@Partner.example',
      });
      assert.equal(sent.status, 303);
      const confirm = await (await request(jar, new URL(sent.headers.get('location')!, s.baseUrl).toString())).text();
      assert.doesNotMatch(confirm, /value="blockTenant"/);
      const code = await optOutCode(s, 'cy@partner.example');
      const form = { token: fieldIn(confirm, 'token'), l: fieldIn(confirm, 'l'), code };
      assert.equal(
        (await postForm(jar, `${s.baseUrl}/optout/confirm`, { ...form, choice: 'blockTenant' })).status,
        400,
      );
      assert.equal((await postForm(jar, `${s.baseUrl}/optout/confirm`, { ...form, choice: 'blockAll' })).status, 200);
      assertGraphError(await invite(t, 'cy@partner.example'), 403, 'Request_InviteeOptedOut');
      const bad = await postForm(jar, `${s.baseUrl}/optout/code`, {
        token: fieldIn(confirm, 'token'),
        email: 'not an address',
      });
      assert.equal(bad.status, 400);
    });

    it('speaks German, and escapes what it shows', async () => {
      later();
      const odd = await tenantWithApi(s, 'Tailspin <i>Toys</i>');
      await invite(odd, 'dee@partner.example');
      const link = await optOutLinkFor(s, 'dee@partner.example');
      const page = await (await request(new CookieJar(), link, { headers: { 'accept-language': 'de-DE' } })).text();
      assert.match(page, /Einladungen stoppen/);
      assert.match(page, /Tailspin &lt;i&gt;Toys&lt;\/i&gt;/);
      assert.doesNotMatch(page, /<i>Toys/);
      const bad = await request(new CookieJar(), `${s.baseUrl}/optout?l=garbage`);
      assert.equal(bad.status, 400);
      assert.match(await bad.text(), /This link is not valid/);
    });
  },
);
