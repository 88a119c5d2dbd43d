// The invitation email as it reaches a real SMTP server on loopback, on both stores: headers, subject, the
// inviter, branding, privacy statement, the working redeem link, escaping, header injection, languages, the
// transactional outbox, and delivery after SMTP was down across a restart.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { simpleParser, type AddressObject } from 'mailparser';
import nodemailer, { type Transporter } from 'nodemailer';
import pino from 'pino';

import { GUEST_INVITER } from '../../src/admin/roles.ts';
import { buildPortico, type Portico } from '../../src/app.ts';
import { systemClock, type Clock } from '../../src/clock.ts';
import { loadConfig } from '../../src/config.ts';
import { provisionTenant } from '../../src/directory/provisioning.ts';
import { t as msg, type Lang } from '../../src/i18n/index.ts';
import { startMailCatcher, type CaughtMail } from '../../src/mail/catcher.ts';
import { hashSecret } from '../../src/secrets.ts';
import { openStore, type Store } from '../../src/store/index.ts';
import { csrfOf, grantRoles, openAdmin } from '../helpers/admin.ts';
import { newUserBody, tenantWithApi, type TenantApi } from '../helpers/api.ts';
import { userToken } from '../helpers/app-client.ts';
import { freePort } from '../helpers/net.ts';
import { apiClient, appToken, startTestServer, TEST_PASSWORD_COST, type TestServer } from '../helpers/server.ts';
import { CookieJar, postForm } from '../helpers/signin.ts';
import { createTestStore, postgresUrl, storeKinds, type TestStore } from '../helpers/stores.ts';
import { FROM, startSmtpPeer, startWorker } from '../mail/peer.ts';

const REDIRECT = 'https://apps.contoso.example/start';
const body = (email: string, extra: Record<string, unknown> = {}) => ({
  invitedUserEmailAddress: email,
  inviteRedirectUrl: REDIRECT,
  sendInvitationMessage: true,
  ...extra,
});
const ticketOf = (url: string) => new URL(url).searchParams.get('ticket')!;
/** As hono/jsx escapes text and attribute values. */
const html = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
/** The message's own header block (before the first blank line), unfolded. */
const headerBlock = (raw: string) => raw.slice(0, raw.indexOf('\r\n\r\n')).replace(/\r\n[ \t]+/g, ' ');
const addresses = (field: AddressObject | AddressObject[] | undefined) =>
  (Array.isArray(field) ? field : field ? [field] : []).flatMap((a) => a.value);

/** A second, independent store on the same SQLite file or PostgreSQL schema, as another process would open it. */
async function reopen(ts: TestStore): Promise<Store> {
  const store = ts.pgSchema ? openStore({ url: postgresUrl()!, pgSchema: ts.pgSchema }) : openStore({ url: ts.url });
  await store.migrate();
  return store;
}

/** A Portico process on its own connection to `ts`, mailing through `transport`, worker driven by hand. */
async function startProcess(ts: TestStore, transport: Transporter, clock: Clock = systemClock): Promise<Portico> {
  const port = await freePort();
  const config = loadConfig({
    PORTICO_DATABASE_URL: ts.url,
    PORTICO_PORT: String(port),
    PORTICO_BASE_URL: `http://127.0.0.1:${port}`,
    PORTICO_LOG_LEVEL: 'silent',
    PORTICO_DEV: '0',
    ...TEST_PASSWORD_COST,
  });
  const portico = await buildPortico(config, {
    store: await reopen(ts),
    clock,
    log: pino({ level: 'silent' }),
    transport,
    runWorker: false,
  });
  await portico.listen();
  return portico;
}

const smtpTransport = (port: number) =>
  nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });

for (const { kind, skip } of storeKinds()) {
  describe(`invitation email (${kind})`, { skip }, () => {
    let s: TestServer;
    let t: TenantApi;
    before(async () => {
      s = await startTestServer(kind, { runWorker: false });
      t = await tenantWithApi(s, 'Contoso');
    });
    after(async () => {
      await s?.close();
    });

    /** Delivers what is due, then returns the one mail sent to `to`, with its parsed headers. */
    async function deliveredTo(to: string) {
      await s.portico.worker.runOnce();
      const mails = s.smtp.messages().filter((m) => m.to.includes(to));
      assert.equal(mails.length, 1, `one mail to ${to}, got ${mails.length}`);
      const mail = mails[0]!;
      return { mail, parsed: await simpleParser(mail.raw) };
    }
    const storedTicketHash = async (invitationId: string) =>
      (
        await s.portico.services.store.db
          .selectFrom('invitations')
          .select('ticket_hash')
          .where('id', '=', invitationId)
          .executeTakeFirstOrThrow()
      ).ticket_hash;
    /** The redeem URL's ticket as the mail's text and HTML carry it; both must be the API's. */
    function assertRedeemLink(mail: CaughtMail, inviteRedeemUrl: string) {
      assert.ok(mail.text.includes(inviteRedeemUrl), 'the text part has the redeem URL');
      assert.ok(mail.html!.includes(`href="${html(inviteRedeemUrl)}"`), 'the HTML part links to the redeem URL');
      const linked = [
        ...mail.text.matchAll(/\/redeem\?ticket=([A-Za-z0-9_-]+)/g),
        ...mail.html!.matchAll(/\/redeem\?ticket=([A-Za-z0-9_-]+)/g),
      ].map((m) => m[1]);
      assert.ok(linked.length >= 2);
      assert.deepEqual(new Set(linked), new Set([ticketOf(inviteRedeemUrl)]));
    }

    it("sends an app's invitation: subject, From, To, Cc, caution, tenant, redirect host, working link, no privacy statement", async () => {
      const res = await t.api(
        'POST',
        '/v1.0/invitations',
        body('alice@fabrikam.example', {
          invitedUserDisplayName: 'Alice Smith',
          invitedUserMessageInfo: {
            ccRecipients: [{ emailAddress: { address: 'sponsor@contoso.example', name: 'Sponsor' } }],
          },
        }),
      );
      assert.equal(res.status, 201, JSON.stringify(res.body));
      assert.equal(res.body.sendInvitationMessage, true);
      const { mail, parsed } = await deliveredTo('alice@fabrikam.example');

      assert.equal(mail.subject, 'Contoso invited you to access applications within Contoso');
      assert.deepEqual(
        addresses(parsed.from).map((a) => [a.name, a.address]),
        [['Contoso via Portico', s.config.mailFrom]],
      );
      assert.deepEqual(mail.to, ['alice@fabrikam.example']);
      assert.deepEqual(mail.cc, ['sponsor@contoso.example']);
      assert.equal(parsed.replyTo, undefined, 'an app has no address to reply to');
      const p = { tenant: 'Contoso', host: 'apps.contoso.example' };
      for (const [key, params] of [
        ['invite.heading', p],
        ['invite.introNoAddress', { ...p, inviter: 'Contoso' }],
        ['invite.caution', p],
        ['invite.redirectHost', p],
        ['invite.noPrivacy', p],
      ] as const) {
        assert.ok(mail.text.includes(msg('en-US', key, params)), `text has ${key}`);
        assert.ok(mail.html!.includes(html(msg('en-US', key, params))), `HTML has ${key}`);
      }
      assert.ok(!/<img/i.test(mail.html!), 'no logo without branding');
      assert.match(mail.html!, /<p[^>]*>Contoso<\/p>/, 'the tenant is named where the logo would be');

      assertRedeemLink(mail, res.body.inviteRedeemUrl);
      assert.equal(
        hashSecret(ticketOf(res.body.inviteRedeemUrl)),
        await storedTicketHash(res.body.id),
        'the mailed link is the stored ticket',
      );
    });

    it("shows the tenant's logo and links its privacy statement when set", async () => {
      const f = await tenantWithApi(s, 'Fabrikam Partners');
      const logoUrl = 'https://cdn.fabrikam.example/logo.png';
      const statementUrl = 'https://fabrikam.example/privacy?lang=en&v=2';
      assert.equal(
        (
          await f.api('PATCH', `/v1.0/organization/${f.tenantId}`, {
            branding: { logoUrl },
            privacyProfile: { statementUrl },
          })
        ).status,
        204,
      );
      const res = await f.api(
        'POST',
        '/v1.0/invitations',
        body('bob@northwind.example', { inviteRedirectUrl: 'https://portal.fabrikam.example:8443/x' }),
      );
      const { mail } = await deliveredTo('bob@northwind.example');
      assert.equal(mail.subject, 'Fabrikam Partners invited you to access applications within Fabrikam Partners');
      assert.ok(mail.html!.includes(`<img src="${html(logoUrl)}" alt="Fabrikam Partners"`), mail.html!);
      assert.ok(mail.html!.includes(`<a href="${html(statementUrl)}">`), 'the privacy statement is linked');
      const privacy = msg('en-US', 'invite.privacy', { tenant: 'Fabrikam Partners', url: statementUrl });
      assert.ok(mail.text.includes(privacy));
      assert.ok(mail.html!.includes(html(privacy)));
      assert.ok(!mail.text.includes('has not provided a privacy statement'));
      assert.ok(mail.text.includes(msg('en-US', 'invite.redirectHost', { host: 'portal.fabrikam.example:8443' })));
      assertRedeemLink(mail, res.body.inviteRedeemUrl);
    });

    it('names an inviting user, with their address and Reply-To', async () => {
      const created = await t.api('POST', '/v1.0/users', newUserBody(`megan@${t.domain}`, 'Megan Bowen'));
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const megan = created.body as { id: string; userPrincipalName: string; mail: string };
      await grantRoles(t, megan.id, [GUEST_INVITER]);
      // Megan invites from the admin center's invite form, signed in with her own password.
      const jar = new CookieJar();
      const form = await openAdmin(s, jar, `${s.baseUrl}/admin/${t.tenantId}/users/invite`, {
        email: megan.userPrincipalName,
        password: newUserBody('x').passwordProfile.password,
      });
      assert.equal(form.status, 200);
      const posted = await postForm(jar, `${s.baseUrl}/admin/${t.tenantId}/users/invite`, {
        csrf: csrfOf(form.page),
        email: 'carol@fabrikam.example',
        displayName: '',
        message: 'Welcome aboard!',
        language: 'en-US',
        redirect: REDIRECT,
        send: '1',
      });
      assert.equal(posted.status, 200, "the new guest's page");
      const { mail, parsed } = await deliveredTo('carol@fabrikam.example');
      assert.equal(mail.subject, 'Megan Bowen invited you to access applications within Contoso');
      assert.deepEqual(
        addresses(parsed.from).map((a) => [a.name, a.address]),
        [['Contoso via Portico', s.config.mailFrom]],
        'sent via Portico, not as the user',
      );
      assert.deepEqual(
        addresses(parsed.replyTo).map((a) => a.address),
        [megan.mail],
      );
      const intro = msg('en-US', 'invite.intro', {
        inviter: 'Megan Bowen',
        inviterEmail: megan.mail,
        tenant: 'Contoso',
      });
      assert.ok(mail.text.includes(intro));
      assert.ok(mail.html!.includes(html(intro)));
      assert.ok(mail.text.includes('Message from Megan Bowen:\nWelcome aboard!'));
      const link = /(http:\/\/\S+\/redeem\?ticket=[\w-]+)/.exec(mail.text)![1]!;
      assertRedeemLink(mail, link);
      const carol = (
        await t.api('GET', `/v1.0/users?$filter=${encodeURIComponent("mail eq 'carol@fabrikam.example'")}`)
      ).body.value[0] as { id: string };
      const [invitation] = await s.portico.services.store.db
        .selectFrom('invitations')
        .select('id')
        .where('tenant_id', '=', t.tenantId)
        .where('user_id', '=', carol.id)
        .execute();
      assert.equal(hashSecret(ticketOf(link)), await storedTicketHash(invitation!.id));
      // The audit event names Megan as the one who invited.
      const audit = (await t.api('GET', '/v1.0/auditLogs/directoryAudits')).body.value.find(
        (e: { activityDisplayName: string; targetResources: { id: string }[] }) =>
          e.activityDisplayName === 'Invite external user' && e.targetResources[0]?.id === carol.id,
      );
      assert.equal(audit.initiatedBy.user.id, megan.id);
    });

    it('escapes the customized message in the HTML part', async () => {
      await t.api(
        'POST',
        '/v1.0/invitations',
        body('dave@fabrikam.example', {
          invitedUserMessageInfo: { customizedMessageBody: '<script>alert(1)</script><b>x</b>' },
        }),
      );
      const { mail } = await deliveredTo('dave@fabrikam.example');
      assert.ok(mail.html!.includes('&lt;script&gt;alert(1)&lt;/script&gt;&lt;b&gt;x&lt;/b&gt;'));
      assert.ok(!/<script/i.test(mail.html!), 'no raw <script');
      assert.ok(!mail.html!.includes('<b>x'), 'no raw markup from the message');
      assert.ok(mail.text.includes('<script>alert(1)</script><b>x</b>'), 'the text part shows the message as written');
    });

    it('keeps line breaks in names and the message out of the headers and the envelope', async () => {
      const x = await tenantWithApi(s, 'Injected');
      const injection = '\r\nBcc: evil@example.com';
      assert.equal(
        (await x.api('PATCH', `/v1.0/organization/${x.tenantId}`, { displayName: `Injected${injection}` })).status,
        204,
      );
      const created = await x.api('POST', '/v1.0/users', newUserBody(`eve@${x.domain}`, `Eve${injection}`));
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const eve = created.body as { id: string; userPrincipalName: string };
      // Eve invites through the API with her own token (signed in with her password), so the mail names her.
      await grantRoles(x, eve.id, [GUEST_INVITER]);
      const asEve = apiClient(
        s.baseUrl,
        await userToken(s, x.tenantId, eve.userPrincipalName, newUserBody('x').passwordProfile.password),
      );
      const invited = await asEve(
        'POST',
        '/v1.0/invitations',
        body('erin@fabrikam.example', {
          invitedUserMessageInfo: {
            customizedMessageBody: `x${injection}\r\n\r\nhi`,
            ccRecipients: [{ emailAddress: { address: 'cc@contoso.example' } }],
          },
        }),
      );
      assert.equal(invited.status, 201, JSON.stringify(invited.body));
      // This one delivery goes to a peer that records the envelope (RCPT TO), which the catcher does not.
      const peer = await startSmtpPeer();
      const w = startWorker(s.portico.services.store, systemClock, peer.port);
      try {
        assert.equal(await w.worker.runOnce(), 1);
        assert.deepEqual(
          peer.acceptedRecipients(),
          [['erin@fabrikam.example', 'cc@contoso.example']],
          'the envelope is To and Cc only',
        );
        const raw = peer.accepted()[0]!.toString('utf8');
        const headers = headerBlock(raw);
        const names = headers.split('\r\n').map((l) => /^([\w-]+):/.exec(l)?.[1]?.toLowerCase());
        assert.deepEqual(
          names.sort(),
          [
            'cc',
            'content-type',
            'date',
            'from',
            'message-id',
            'mime-version',
            'reply-to',
            'subject',
            'to',
            'x-portico-message-id',
          ],
          headers,
        );
        const parsed = await simpleParser(raw);
        assert.equal(parsed.bcc, undefined);
        assert.deepEqual(
          addresses(parsed.from).map((a) => a.address),
          [FROM],
        );
        assert.deepEqual(
          addresses(parsed.to).map((a) => a.address),
          ['erin@fabrikam.example'],
        );
        assert.deepEqual(
          addresses(parsed.cc).map((a) => a.address),
          ['cc@contoso.example'],
        );
        assert.deepEqual(
          addresses(parsed.replyTo).map((a) => a.address),
          [`eve@${x.domain}`],
        );
        assert.ok(!/[\r\n]/.test(parsed.subject ?? ''), 'the subject is one line');
        assert.match(parsed.text ?? '', /^x\r?\nBcc: evil@example\.com/m, 'the message stays in the body');
      } finally {
        await w.close();
        await peer.close();
      }
    });

    it('writes German for de-DE and falls back to en-US for an unknown language', async () => {
      await t.api(
        'POST',
        '/v1.0/invitations',
        body('frank@fabrikam.example', { invitedUserMessageInfo: { messageLanguage: 'de-DE' } }),
      );
      await t.api(
        'POST',
        '/v1.0/invitations',
        body('grace@fabrikam.example', { invitedUserMessageInfo: { messageLanguage: 'xx-YY' } }),
      );
      const expect = async (to: string, lang: Lang) => {
        const { mail, parsed } = await deliveredTo(to);
        const p = { tenant: 'Contoso', inviter: 'Contoso', host: 'apps.contoso.example' };
        assert.equal(mail.subject, msg(lang, 'invite.subject', p));
        assert.equal(addresses(parsed.from)[0]!.name, msg(lang, 'invite.fromName', p));
        for (const key of [
          'invite.heading',
          'invite.introNoAddress',
          'invite.accept',
          'invite.caution',
          'invite.noPrivacy',
          'invite.footer',
        ] as const) {
          assert.ok(mail.text.includes(msg(lang, key, p)), `${lang} text has ${key}`);
        }
        assert.match(mail.html!, new RegExp(`<html lang="${lang}"`));
      };
      await expect('frank@fabrikam.example', 'de-DE');
      assert.equal(
        s.smtp.messages().find((m) => m.to.includes('frank@fabrikam.example'))!.subject,
        'Contoso hat Sie eingeladen, auf Anwendungen von Contoso zuzugreifen',
      );
      await expect('grace@fabrikam.example', 'en-US');
    });

    it('sends nothing when not asked to, and queues nothing for a rejected invitation', async () => {
      const n = await tenantWithApi(s, 'Northwind');
      assert.equal(
        (await n.api('POST', '/v1.0/invitations', body('quiet1@fabrikam.example', { sendInvitationMessage: false })))
          .status,
        201,
      );
      const { sendInvitationMessage: _, ...omitted } = body('quiet2@fabrikam.example');
      const res = await n.api('POST', '/v1.0/invitations', omitted);
      assert.equal(res.status, 201);
      assert.equal(res.body.sendInvitationMessage, false);
      assert.equal((await n.api('POST', '/v1.0/invitations', body('not-an-address'))).status, 400);
      assert.equal(
        (
          await n.api(
            'POST',
            '/v1.0/invitations',
            body('ok@fabrikam.example', { inviteRedirectUrl: 'javascript:alert(1)' }),
          )
        ).status,
        400,
      );
      assert.equal(
        (
          await n.api(
            'POST',
            '/v1.0/invitations',
            body('ok@fabrikam.example', { invitedUserDisplayName: 'Ok\r\nBcc: evil@example.com' }),
          )
        ).status,
        400,
      );
      assert.deepEqual((await n.api('GET', '/v1.0/portico/outbox')).body.value, [], 'nothing queued for this tenant');
      assert.equal(await s.portico.worker.runOnce(), 0);
      const quiet = ['quiet1@fabrikam.example', 'quiet2@fabrikam.example', 'ok@fabrikam.example'];
      assert.ok(!s.smtp.messages().some((m) => m.to.some((a) => quiet.includes(a))), 'nothing was sent');
    });

    it('queues the email with the invitation: pending when POST returns, sent once the worker has run', async () => {
      const o = await tenantWithApi(s, 'Outbox Ltd');
      const res = await o.api('POST', '/v1.0/invitations', body('heidi@fabrikam.example'));
      assert.equal(res.status, 201);
      const queued = (await o.api('GET', '/v1.0/portico/outbox')).body.value;
      assert.equal(queued.length, 1);
      assert.equal(queued[0].kind, 'invitation');
      assert.ok(['pending', 'sent'].includes(queued[0].state), queued[0].state);
      assert.deepEqual(queued[0].to, ['heidi@fabrikam.example']);
      assert.equal(queued[0].subject, 'Outbox Ltd invited you to access applications within Outbox Ltd');
      await deliveredTo('heidi@fabrikam.example');
      const sent = (await o.api('GET', '/v1.0/portico/outbox?state=sent')).body.value;
      assert.deepEqual(
        sent.map((e: { id: string }) => e.id),
        [queued[0].id],
      );
      assert.ok(sent[0].sentDateTime);
      assert.equal(sent[0].lastError, null);
    });
  });

  describe(`invitation email across a restart with SMTP down (${kind})`, { skip }, () => {
    let ts: TestStore;
    before(async () => {
      ts = await createTestStore(kind);
    });
    after(async () => {
      await ts?.dispose();
    });

    it('delivers every invitation made while SMTP was down once a new process has SMTP again', async () => {
      // First process: nothing listens on its SMTP port.
      const first = await startProcess(ts, smtpTransport(await freePort()));
      const guests = ['g1', 'g2', 'g3', 'g4', 'g5'].map((g) => `${g}@fabrikam.example`);
      const urls = new Map<string, string>();
      let tenantId: string;
      try {
        const p = await provisionTenant(first.services, { name: 'Contoso' });
        tenantId = p.tenant.id;
        const base = first.services.config.baseUrl;
        const api = apiClient(
          base,
          await appToken(base, tenantId, p.managementClient.clientId, p.managementClient.clientSecret),
        );
        for (const g of guests) {
          const res = await api('POST', '/v1.0/invitations', body(g));
          assert.equal(res.status, 201, JSON.stringify(res.body));
          urls.set(g, res.body.inviteRedeemUrl);
        }
        assert.equal(await first.worker.runOnce(), 5, 'each mail was tried');
        const rows = await first.services.store.db
          .selectFrom('outbox')
          .select(['state', 'last_error'])
          .where('tenant_id', '=', tenantId)
          .execute();
        assert.deepEqual(
          rows.map((r) => r.state),
          guests.map(() => 'pending'),
          'a refused connection is a temporary failure',
        );
        assert.ok(
          rows.every((r) => r.last_error),
          'the failure is recorded',
        );
      } finally {
        await first.close();
      }

      // Second process on the same data, later (past the back-off), with a live SMTP server.
      const catcher = await startMailCatcher();
      const later: Clock = { now: () => new Date(Date.now() + 3_600_000) };
      const second = await startProcess(ts, smtpTransport(catcher.port), later);
      try {
        assert.equal(await second.worker.runOnce(), 5);
        assert.equal(await second.worker.runOnce(), 0);
        const mails = catcher.messages();
        assert.equal(mails.length, 5);
        assert.deepEqual(
          mails.map((m) => m.to).sort(),
          guests.map((g) => [g]),
        );
        for (const m of mails) assertSameTicket(m, urls.get(m.to[0]!)!);
        const states = await second.services.store.db
          .selectFrom('outbox')
          .select('state')
          .where('tenant_id', '=', tenantId!)
          .execute();
        assert.deepEqual(
          states.map((r) => r.state),
          guests.map(() => 'sent'),
        );
      } finally {
        await second.close();
        await catcher.close();
      }
    });
  });
}

function assertSameTicket(mail: CaughtMail, inviteRedeemUrl: string) {
  assert.equal(/\/redeem\?ticket=([A-Za-z0-9_-]+)/.exec(mail.text)?.[1], ticketOf(inviteRedeemUrl));
}
