// Bulk invitation a chunk at a time (bulk-chunks.ts, the CLI's path), on both stores: the rows that can only create
// a guest are invited together and write what invite() writes for such a row; every other row (an address in use, a
// contact's, a member's of another tenant, a second row of an address, a refusal) goes row by row, in line order, and
// a failing row in the middle of a chunk spoils none of its neighbours.
import assert from 'node:assert/strict';
import { before, it } from 'node:test';

import { inviteInChunks, inviteNewGuests } from '../../src/invitations/bulk-chunks.ts';
import { inviteRow, type BulkInput, type BulkRow } from '../../src/invitations/bulk.ts';
import { openMessage } from '../../src/mail/outbox.ts';
import { suite } from '../helpers/suite.ts';

const actor = { kind: 'system' as const, displayName: 'Bulk test' };
const redirect = 'https://apps.contoso.example/';

const row = (line: number, email: string, send = 'true', more: Partial<BulkInput> = {}): BulkInput => ({
  line,
  email,
  redirect: '',
  send,
  message: '',
  ...more,
});

suite('bulk invitation a chunk at a time', { runWorker: false, tenant: 'Contoso' }, ({ s, t }) => {
  const target = () => ({ tenantId: t.tenantId, actor, defaultRedirect: redirect });
  const db = () => s.portico.services.store.db;

  before(async () => {
    // An invited guest, a contact, and a member of another tenant: addresses a new guest cannot take.
    const invited = await t.api('POST', '/v1.0/invitations', {
      invitedUserEmailAddress: 'kept@partner.example',
      inviteRedirectUrl: redirect,
      sendInvitationMessage: false,
    });
    assert.equal(invited.status, 201, JSON.stringify(invited.body));
    const contact = await t.api('POST', '/v1.0/contacts', { displayName: 'Rae', mail: 'rae@partner.example' });
    assert.equal(contact.status, 201, JSON.stringify(contact.body));
    await s.provision('Fabrikam', { domain: 'fabrikam.example', adminEmail: 'boss@fabrikam.example' });
  });

  const usersOf = (address: string) =>
    db()
      .selectFrom('users')
      .selectAll()
      .where('tenant_id', '=', t.tenantId)
      .where('invited_email', '=', address)
      .execute();
  const invitationsOf = (address: string) =>
    db()
      .selectFrom('invitations')
      .selectAll()
      .where('tenant_id', '=', t.tenantId)
      .where('invited_email', '=', address)
      .execute();
  const mailsTo = async (address: string) =>
    (await db().selectFrom('outbox').selectAll().where('tenant_id', '=', t.tenantId).execute())
      .map((r) => ({ row: r, mail: openMessage(db(), r) }))
      .filter((m) => m.mail.to[0]?.toLowerCase() === address);
  const auditOf = async (address: string) =>
    (await db().selectFrom('audit_events').selectAll().where('tenant_id', '=', t.tenantId).execute()).filter((e) =>
      e.additional_details.includes(`"${address}"`),
    );

  /** A row as stored, with what differs between two invitations of different addresses made equal. */
  const same = (value: unknown, address: string) =>
    JSON.parse(
      JSON.stringify(value)
        .replaceAll(address.split('@')[0]!, 'someone')
        .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<id>')
        .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z/g, '<time>')
        .replace(/(ticket=|l=)[^"&\s)\]<>\\]+/g, '$1<token>')
        .replace(/"(ticket_hash|body)":"[^"]+"/g, '"$1":"<secret>"'),
    );

  it('invites together exactly the rows that can only create a guest, writing what invite() writes', async () => {
    const rows = [
      row(2, 'fresh1@partner.example', 'true', { message: 'Hello there' }),
      row(3, 'kept@partner.example'),
      row(4, 'rae@partner.example'),
      row(5, 'boss@fabrikam.example'),
      row(6, 'FRESH1@partner.example'),
      row(7, 'not-an-address'),
      row(8, 'fresh2@partner.example', 'false'),
      row(9, 'fresh3@partner.example', 'perhaps'),
      row(10, 'fresh4@partner.example', 'true', { redirect: 'javascript:alert(1)' }),
    ];
    const done = await inviteNewGuests(s.portico.services, target(), rows);
    assert.deepEqual(
      [...done.keys()].map((i) => rows[i]!.line),
      [2, 8],
      'only the new, valid first rows of their address',
    );
    for (const address of ['kept@partner.example', 'rae@partner.example', 'boss@fabrikam.example']) {
      const users = await usersOf(address);
      assert.ok(users.length <= 1, `${address}: no second user`);
    }
    assert.equal((await usersOf('fresh3@partner.example')).length, 0);
    assert.equal((await usersOf('fresh4@partner.example')).length, 0);

    // The same row through invite(), one at a time: the same user, invitation, email and audit event.
    const reference = await inviteRow(s.portico.services, target(), {
      ...rows[0]!,
      line: 11,
      email: 'refrow1@partner.example',
    });
    assert.equal(reference.outcome, 'created');
    const batched = done.get(0)!;
    assert.deepEqual(same({ ...batched, line: 0 }, 'fresh1@'), same({ ...reference, line: 0 }, 'refrow1@'));
    const [user] = await usersOf('fresh1@partner.example');
    assert.equal(user!.id, batched.userId);
    assert.deepEqual(same(user, 'fresh1@'), same((await usersOf('refrow1@partner.example'))[0], 'refrow1@'));
    assert.deepEqual(
      same(await invitationsOf('fresh1@partner.example'), 'fresh1@'),
      same(await invitationsOf('refrow1@partner.example'), 'refrow1@'),
    );
    const [mail, ...moreMail] = await mailsTo('fresh1@partner.example');
    assert.equal(moreMail.length, 0, 'one email');
    assert.match(mail!.mail.text, /Hello there/);
    assert.ok(mail!.mail.text.includes(batched.inviteRedeemUrl), 'the email carries the row redeem URL');
    assert.deepEqual(same(mail, 'fresh1@'), same((await mailsTo('refrow1@partner.example'))[0], 'refrow1@'));
    assert.deepEqual(
      same(await auditOf('fresh1@partner.example'), 'fresh1@'),
      same(await auditOf('refrow1@partner.example'), 'refrow1@'),
    );
    assert.equal((await mailsTo('fresh2@partner.example')).length, 0, 'send false: no email');
    assert.equal((await invitationsOf('fresh2@partner.example')).length, 1);
  });

  it('a chunk with failing rows in the middle: every other row lands, in line order, each email queued once', async () => {
    const rows = [
      // chunk 1
      row(2, 'c0@partner.example'),
      row(3, 'c1@partner.example'),
      row(4, 'not-an-address'),
      row(5, 'C1@PARTNER.example'),
      row(6, 'kept@partner.example'),
      // chunk 2
      row(7, 'c2@partner.example', 'false'),
      row(8, 'c3@partner.example', 'true', { redirect: 'javascript:alert(1)' }),
      row(9, 'c4@partner.example'),
      row(10, 'c1@partner.example'),
      row(11, 'rae@partner.example'),
      // chunk 3
      row(12, 'c5@partner.example', 'maybe'),
      row(13, 'c6@partner.example'),
    ];
    const inOrder: BulkRow[] = [];
    const heard: number[] = [];
    const taken = await inviteInChunks(s.portico.services, target(), rows, {
      chunkRows: 5,
      inFlight: 4,
      onRow: (r) => heard.push(r.line),
      inOrder: (r) => inOrder.push(r),
    });
    assert.equal(taken, rows.length);
    assert.deepEqual(
      inOrder.map((r) => r.line),
      rows.map((r) => r.line),
      'results in line order',
    );
    assert.deepEqual(
      heard.sort((a, b) => a - b),
      rows.map((r) => r.line),
      'onRow heard every row once',
    );
    assert.deepEqual(
      inOrder.map((r) => r.outcome),
      [
        'created',
        'created',
        'failed',
        'reinvited',
        'reinvited',
        'created',
        'failed',
        'created',
        'reinvited',
        'created',
        'failed',
        'created',
      ],
    );
    assert.match(inOrder[2]!.error, /not a valid email/);
    assert.match(inOrder[6]!.error, /inviteRedirectUrl/);
    assert.match(inOrder[10]!.error, /"maybe" is not true or false/);
    const c1 = inOrder.filter((r) => r.email.toLowerCase() === 'c1@partner.example');
    assert.equal(new Set(c1.map((r) => r.userId)).size, 1, 'one guest for the three rows of c1');
    const c1Invitations = await invitationsOf('c1@partner.example');
    assert.equal(c1Invitations.length, 3);
    assert.equal(c1Invitations.filter((i) => i.ticket_hash !== null).length, 1, 'one ticket of c1 stays open');

    // Each invited row that sends has exactly one email, carrying its own link; the others none.
    const expected: [string, number][] = [
      ['c0@partner.example', 1],
      ['c1@partner.example', 3],
      ['kept@partner.example', 1],
      ['c2@partner.example', 0],
      ['c3@partner.example', 0],
      ['c4@partner.example', 1],
      ['rae@partner.example', 1],
      ['c5@partner.example', 0],
      ['c6@partner.example', 1],
    ];
    for (const [address, count] of expected) {
      const mails = await mailsTo(address);
      assert.equal(mails.length, count, `emails to ${address}`);
      const links = inOrder.filter((r) => r.email.toLowerCase() === address && r.outcome !== 'failed');
      if (count > 0)
        for (const r of links)
          assert.equal(mails.filter((m) => m.mail.text.includes(r.inviteRedeemUrl)).length, 1, `line ${r.line}`);
    }
    for (const address of ['c3@partner.example', 'c5@partner.example']) {
      assert.equal((await usersOf(address)).length, 0, `${address}: refused, no user`);
      assert.equal((await invitationsOf(address)).length, 0);
    }
    const [rae] = await usersOf('rae@partner.example');
    assert.equal(rae!.contact_conflict, 1, "the contact's address went through invite(): a guest without mail");
  });
});
