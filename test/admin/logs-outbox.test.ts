// The admin center's Logs and Outbox sections over HTTP on both stores: the audit and sign-in logs with their
// filters (run in the query) and paging; the outbox by state, and retrying or discarding a dead letter, which needs
// the CSRF value and the 'settings' right (a Guest Inviter may look but not act). Dead letters are made the way
// they happen: invitation mail to an address the SMTP server (a real one on loopback) refuses with 550.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';

import { GUEST_INVITER } from '../../src/admin/roles.ts';
import { listAudit, recordAudit } from '../../src/directory/audit.ts';
import { recordSignIn } from '../../src/signins/signins.ts';
import { grantRoles, openAdmin, type Login } from '../helpers/admin.ts';
import { CookieJar, postForm, request } from '../helpers/signin.ts';
import { suite } from '../helpers/suite.ts';
import { startSmtpPeer, type SmtpPeer } from '../mail/peer.ts';

const PASSWORD = 'correct-horse-battery';
const at = (iso: string) => ({ now: () => new Date(iso) });
const pad = (i: number) => String(i).padStart(2, '0');

suite(
  'admin logs and outbox',
  { tenant: { name: 'Contoso', domain: 'contoso.example', adminEmail: 'admin@contoso.example' } },
  ({ s, t, prepare }) => {
    let adminUrl: string;
    const db = () => s.portico.services.store.db;
    let smtp: SmtpPeer;
    /** the addresses the SMTP server refuses with 550 */
    const refused = new Set<string>();

    prepare(async () => {
      smtp = await startSmtpPeer({ refuse: (to) => (refused.has(to) ? 550 : null) });
      return { runWorker: false, smtpUrl: `smtp://127.0.0.1:${smtp.port}?ignoreTLS=true` };
    });
    before(async () => {
      adminUrl = `${s.baseUrl}/admin/${t.tenantId}`;
      const created = (
        await t.api('POST', '/v1.0/users', {
          accountEnabled: true,
          displayName: 'ivy',
          mailNickname: 'ivy',
          userPrincipalName: 'ivy@contoso.example',
          passwordProfile: { password: PASSWORD },
        })
      ).body;
      await grantRoles(t, created.id, [GUEST_INVITER]);
      const system = { kind: 'system', displayName: 'Test' } as const;
      for (let i = 0; i < 55; i++) {
        await recordAudit(db(), at(`2024-01-01T00:00:${pad(i)}.000Z`), t.tenantId, {
          category: 'UserManagement',
          activity: `Seeded event ${pad(i)}`,
          operationType: 'Other',
          actor: system,
          targets: [],
        });
      }
      await recordAudit(db(), at('2023-06-01T12:00:00.000Z'), t.tenantId, {
        category: 'Policy',
        activity: 'Old thing',
        operationType: 'Other',
        actor: system,
        targets: [],
      });
      for (let i = 0; i < 55; i++) {
        await recordSignIn(db(), at(`2024-02-01T00:00:${pad(i)}.000Z`), t.tenantId, {
          userPrincipalName: `bulk${pad(i)}@contoso.example`,
          identityProvider: 'mail',
          method: 'password',
        });
      }
      await recordSignIn(db(), at('2024-03-05T08:00:00.000Z'), t.tenantId, {
        userPrincipalName: 'Mallory@Partner.example',
        identityProvider: 'mail',
        method: 'password',
        error: 'invalidCredentials',
      });
    });
    after(async () => {
      await smtp?.close();
    });

    const open = (jar: CookieJar, url: string, login?: Login) => openAdmin(s, jar, url, login);
    const asAdmin = {
      email: 'admin@contoso.example',
      get password() {
        return t.adminPassword;
      },
    };
    const rows = (html: string) => (html.match(/<tr><td><time/g) ?? []).length;
    const nextLink = (html: string) => /href="([^"]+)" rel="next"/.exec(html)?.[1]?.replace(/&amp;/g, '&');
    const csrfOf = (html: string) => /name="csrf" value="([^"]+)"/.exec(html)![1]!;

    /** The outbox as the API lists it. */
    const outbox = async (state = '') =>
      (await t.api('GET', `/v1.0/portico/outbox${state && `?state=${state}`}`)).body.value as {
        id: string;
        to: string[];
        state: string;
        attempts: number;
        subject: string;
        lastError: string | null;
      }[];
    /** Invites `to` with the invitation email, which the SMTP server refuses: a dead letter; returns its outbox id. */
    async function deadLetter(to: string): Promise<string> {
      refused.add(to);
      const invited = await t.api('POST', '/v1.0/invitations', {
        invitedUserEmailAddress: to,
        inviteRedirectUrl: 'https://apps.example/',
        sendInvitationMessage: true,
      });
      assert.equal(invited.status, 201, JSON.stringify(invited.body));
      await s.portico.worker.runOnce();
      const dead = (await outbox('dead')).filter((m) => m.to.includes(to));
      assert.equal(dead.length, 1, `the mail to ${to} is a dead letter after one 550`);
      return dead[0]!.id;
    }
    const stateOf = async (id: string) => {
      const found = (await outbox()).find((m) => m.id === id);
      return found && { state: found.state, attempts: found.attempts };
    };

    it('shows the audit log, filtered by activity and dates in the query, with paging', async () => {
      const jar = new CookieJar();
      const all = await open(jar, `${adminUrl}/logs`, asAdmin);
      assert.equal(all.url, `${adminUrl}/logs`);
      assert.equal(all.status, 200);
      assert.match(all.page, /aria-current="page"[^>]*>Logs/);
      assert.match(all.page, /Seeded event 54/);
      const one = await open(jar, `${adminUrl}/logs?log=audit&q=seeded+EVENT+07`);
      assert.match(one.page, /Seeded event 07/);
      assert.equal(rows(one.page), 1);
      const old = await open(jar, `${adminUrl}/logs?log=audit&from=2023-06-01&to=2023-06-01`);
      assert.match(old.page, /Old thing/);
      assert.equal(rows(old.page), 1);
      const none = await open(jar, `${adminUrl}/logs?q=${encodeURIComponent('50%')}`);
      assert.equal(rows(none.page), 0, 'a % is matched literally');
      const first = await open(jar, `${adminUrl}/logs?q=Seeded&from=2024-01-01&to=2024-01-01`);
      assert.equal(rows(first.page), 50);
      const next = nextLink(first.page);
      assert.ok(next, 'a next-page link');
      assert.match(next, /q=Seeded/);
      const second = await open(jar, `${s.baseUrl}${next}`);
      assert.equal(rows(second.page), 5);
      assert.match(second.page, /Seeded event 00/);
      assert.equal(nextLink(second.page), undefined);
    });

    it('shows the sign-in log, filtered by user, result and dates, with paging', async () => {
      const jar = new CookieJar();
      const all = await open(jar, `${adminUrl}/logs?log=signins`, asAdmin);
      assert.equal(all.status, 200);
      assert.match(all.page, /admin@contoso\.example/, 'the real sign-in just made');
      const mallory = await open(jar, `${adminUrl}/logs?log=signins&q=mallory`);
      assert.equal(rows(mallory.page), 1);
      assert.match(mallory.page, /50126/);
      const failures = await open(jar, `${adminUrl}/logs?log=signins&result=failure`);
      assert.equal(rows(failures.page), 1);
      assert.match(failures.page, /Mallory@Partner\.example/);
      assert.equal(rows((await open(jar, `${adminUrl}/logs?log=signins&q=mallory&result=success`)).page), 0);
      const day = await open(jar, `${adminUrl}/logs?log=signins&from=2024-03-05&to=2024-03-05`);
      assert.equal(rows(day.page), 1);
      const first = await open(jar, `${adminUrl}/logs?log=signins&q=bulk&result=success`);
      assert.equal(rows(first.page), 50);
      const next = nextLink(first.page);
      assert.ok(next);
      const second = await open(jar, `${s.baseUrl}${next}`);
      assert.equal(rows(second.page), 5);
      assert.match(second.page, /bulk00@contoso\.example/);
    });

    it('lists the outbox by state, retries a dead letter so the worker delivers it, and discards one', async () => {
      const one = await deadLetter('retry-me@partner.example');
      const two = await deadLetter('drop-me@partner.example');
      const subject = (await outbox()).find((m) => m.id === one)!.subject;
      const jar = new CookieJar();
      const dead = await open(jar, `${adminUrl}/outbox?state=dead`, asAdmin);
      assert.equal(dead.status, 200);
      assert.match(dead.page, /retry-me@partner\.example/);
      assert.match(dead.page, /550 test peer says no/, "the server's answer");
      assert.match(dead.page, /Retry<\/button>/);
      assert.equal(rows((await open(jar, `${adminUrl}/outbox?state=sent`)).page), 0);
      assert.equal(smtp.accepted().length, 0, 'nothing was delivered');
      const csrf = csrfOf(dead.page);

      assert.equal((await postForm(jar, `${adminUrl}/outbox/${one}/retry`, { csrf: 'forged' })).status, 403);
      assert.equal((await postForm(jar, `${adminUrl}/outbox/${two}/discard`, {})).status, 403);
      assert.deepEqual(await stateOf(one), { state: 'dead', attempts: 1 });
      assert.equal((await stateOf(two))?.state, 'dead');

      const retried = await postForm(jar, `${adminUrl}/outbox/${one}/retry`, { csrf });
      assert.equal(retried.status, 303);
      assert.deepEqual(await stateOf(one), { state: 'pending', attempts: 0 });
      const notice = await open(jar, new URL(retried.headers.get('location')!, s.baseUrl).toString());
      assert.match(notice.page, /queued again/);
      const pending = await open(jar, `${adminUrl}/outbox?state=pending`);
      assert.match(pending.page, /retry-me@partner\.example/);
      assert.doesNotMatch(pending.page, /drop-me@partner\.example/);

      refused.delete('retry-me@partner.example');
      await s.portico.worker.runOnce();
      assert.equal((await stateOf(one))?.state, 'sent');
      assert.deepEqual(smtp.acceptedRecipients(), [['retry-me@partner.example']]);
      assert.equal((await smtp.parsed())[0]!.subject, subject);
      assert.match((await open(jar, `${adminUrl}/outbox?state=sent`)).page, /retry-me@partner\.example/);
      const again = await postForm(jar, `${adminUrl}/outbox/${one}/retry`, { csrf });
      assert.match(again.headers.get('location')!, /done=unchanged/, 'only a dead letter is retried');
      assert.equal((await stateOf(one))?.state, 'sent');

      assert.equal((await postForm(jar, `${adminUrl}/outbox/${two}/discard`, { csrf })).status, 303);
      assert.equal(await stateOf(two), undefined);
      const activities = (await listAudit(db(), t.tenantId, { top: 10 })).map((e) => e.activityDisplayName);
      assert.ok(activities.includes('Retry undeliverable email'));
      assert.ok(activities.includes('Discard undeliverable email'));
      const logged = await open(jar, `${adminUrl}/logs?q=undeliverable`);
      assert.equal(rows(logged.page), 2);
      assert.match(logged.page, /admin@contoso\.example/);
    });

    it('lets a guest inviter see the outbox but not retry or discard', async () => {
      const three = await deadLetter('stays-dead@partner.example');
      const jar = new CookieJar();
      const page = await open(jar, `${adminUrl}/outbox?state=dead`, {
        email: 'ivy@contoso.example',
        password: PASSWORD,
      });
      assert.equal(page.status, 200);
      assert.match(page.page, /stays-dead@partner\.example/);
      assert.doesNotMatch(page.page, /Retry<\/button>/);
      assert.equal((await open(jar, `${adminUrl}/logs`)).status, 200);
      const csrf = csrfOf(page.page);
      assert.equal((await postForm(jar, `${adminUrl}/outbox/${three}/retry`, { csrf })).status, 403);
      assert.equal((await postForm(jar, `${adminUrl}/outbox/${three}/discard`, { csrf })).status, 403);
      assert.deepEqual(await stateOf(three), { state: 'dead', attempts: 1 });
      assert.equal((await request(new CookieJar(), `${adminUrl}/outbox`)).status, 303, 'a visitor is sent to sign in');
    });
  },
);
