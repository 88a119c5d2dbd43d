// Re-inviting a pending guest whose ticket expired, in one action, on both stores: the admin center's Re-invite
// (shown instead of Resend once the link expired) and `portico invite --resend`. Each repeats the latest invitation
// (redirect, language, message) with a new link that works; the old one stays dead.
import assert from 'node:assert/strict';
import { it } from 'node:test';

import { markExpired } from '../../src/invitations/lifecycle.ts';
import { block } from '../../src/invitations/optout.ts';
import { csrfOf, openAdmin } from '../helpers/admin.ts';
import { openLink } from '../helpers/redeem.ts';
import { TEST_PASSWORD_COST } from '../helpers/server.ts';
import { CookieJar, postForm } from '../helpers/signin.ts';
import { runCli } from '../helpers/spawn.ts';
import { suite } from '../helpers/suite.ts';

suite(
  're-inviting an expired pending guest',
  { runWorker: false, tenant: { name: 'Contoso', domain: 'contoso.example', adminEmail: 'admin@contoso.example' } },
  ({ s, t }) => {
    const db = () => s.portico.services.store.db;
    /** Invites `email`, then lets its ticket run out and the sweep mark it. */
    async function expiredInvitation(email: string, extra: Record<string, unknown> = {}) {
      const res = await t.api('POST', '/v1.0/invitations', {
        invitedUserEmailAddress: email,
        inviteRedirectUrl: 'https://apps.contoso.example/start',
        sendInvitationMessage: true,
        ...extra,
      });
      assert.equal(res.status, 201);
      // Written directly, not by moving an injected clock 30 days on: the CLI test below runs a separate process on
      // the system clock, and a server clock ahead of it makes every ticket the CLI issues look expired.
      await db()
        .updateTable('invitations')
        .set({ ticket_expires_at: new Date(Date.now() - 60_000).toISOString() })
        .where('tenant_id', '=', t.tenantId)
        .where('id', '=', res.body.id)
        .execute();
      assert.ok((await markExpired(s.portico.services)) >= 1);
      return res.body as { id: string; inviteRedeemUrl: string; invitedUser: { id: string } };
    }
    const mailsTo = async (address: string) => {
      await s.portico.worker.runOnce();
      return s.smtp.messages().filter((m) => m.to.includes(address));
    };

    it('the admin center offers Re-invite for an expired link and sends the same invitation with a new one', async () => {
      const old = await expiredInvitation('eve@partner.example', {
        invitedUserMessageInfo: { messageLanguage: 'de-DE', customizedMessageBody: 'Hallo Eve' },
      });
      const jar = new CookieJar();
      const userUrl = `${s.baseUrl}/admin/${t.tenantId}/users/${old.invitedUser.id}`;
      const page = await openAdmin(s, jar, userUrl, { email: 'admin@contoso.example', password: t.adminPassword });
      assert.equal(page.status, 200);
      assert.match(page.page, /Invitation link<\/th><td>Expired \d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
      assert.match(page.page, new RegExp(`action="/admin/${t.tenantId}/users/${old.invitedUser.id}/reinvite"`));
      assert.doesNotMatch(page.page, /\/resend"/, 'Resend gives way to Re-invite');
      const csrf = csrfOf(page.page);
      assert.equal((await postForm(jar, `${userUrl}/reinvite`, { csrf: 'forged' })).status, 403);
      const done = await postForm(jar, `${userUrl}/reinvite`, { csrf });
      assert.equal(done.status, 200);
      assert.match(await done.text(), /Re-invite/);
      const mails = await mailsTo('eve@partner.example');
      assert.equal(mails.length, 2);
      const latest = mails.find((m) => !m.text.includes(old.inviteRedeemUrl))!;
      assert.match(latest.text, /Hallo Eve/);
      assert.match(latest.text, /Einladung annehmen/);
      const url = /(http:\/\/\S+\/redeem\?ticket=\S+)/.exec(latest.text)![1]!;
      assert.equal((await openLink(s, url)).status, 200, 'the new link opens');
      assert.equal((await openLink(s, old.inviteRedeemUrl)).status, 400, 'the old one stays dead');
      const listed = await t.api(
        'GET',
        `/v1.0/invitations?$filter=${encodeURIComponent(`invitedUser/id eq '${old.invitedUser.id}'`)}`,
      );
      assert.deepEqual(listed.body.value.map((i: { status: string }) => i.status).sort(), [
        'Expired',
        'PendingAcceptance',
      ]);
      assert.ok(
        listed.body.value.every(
          (i: { inviteRedirectUrl: string }) => i.inviteRedirectUrl === 'https://apps.contoso.example/start',
        ),
      );
      const after = await openAdmin(s, jar, userUrl);
      assert.match(after.page, /Invitation link<\/th><td>Expires /);
      assert.match(after.page, /\/resend"/);
    });

    it('portico invite --resend does the same from the command line, and refuses what it cannot re-invite', async () => {
      const old = await expiredInvitation('fay@partner.example');
      const env = { PORTICO_DATABASE_URL: s.testStore.url, PORTICO_BASE_URL: s.baseUrl, ...TEST_PASSWORD_COST };
      const ran = await runCli(['invite', 'fay@partner.example', '--tenant', t.domain, '--resend', '--json'], env);
      assert.equal(ran.code, 0, ran.stderr);
      const out = JSON.parse(ran.stdout);
      assert.equal(out.outcome, 'reinvited');
      assert.equal(out.userId, old.invitedUser.id);
      assert.equal(out.emailQueued, true);
      assert.equal((await openLink(s, out.inviteRedeemUrl)).status, 200);
      assert.equal((await mailsTo('fay@partner.example')).length, 2);

      const unknown = await runCli(['invite', 'nobody@partner.example', '--tenant', t.domain, '--resend'], env);
      assert.equal(unknown.code, 2);
      assert.match(unknown.stderr, /No guest of Contoso was invited at 'nobody@partner\.example'/);
      await s.portico.services.store.transaction((tx) =>
        block(tx, s.portico.services.clock, 'fay@partner.example', null),
      );
      const optedOut = await runCli(['invite', 'fay@partner.example', '--tenant', t.domain, '--resend'], env);
      assert.equal(optedOut.code, 2);
      assert.match(
        optedOut.stderr,
        /asked not to receive invitations from any organization on this deployment.*\(Request_InviteeOptedOut\)/,
      );
    });
  },
);
