// No redeemable secret at rest, end to end on both stores: every flow that mails a ticket or a code runs through
// the product's API and pages (single invitation with a personal message, its redemption by passcode, a bulk
// invitation, a reminder, a redemption that creates a personal account confirmed by a code, personal sign-up and
// reset, an opt-out, a direct sign-in by passcode at an app), the mail is delivered to a real SMTP server, and then
// no ticket and no code taken from those mails is found in any table of the store (nor in the SQLite file's bytes).
import assert from 'node:assert/strict';
import { before, it } from 'node:test';

import { updateTenantSettings } from '../../src/directory/settings.ts';
import { createBulkJob, getBulkJob } from '../../src/invitations/bulk-jobs.ts';
import { runInvitationLifecycle } from '../../src/invitations/lifecycle.ts';
import { tenantWithApi, type TenantApi } from '../helpers/api.ts';
import { relyingParty, typeAddress } from '../helpers/federation.ts';
import { optOut, optOutLinkFor } from '../helpers/optout.ts';
import { mailedCode, openLink, submit, type Redeemer } from '../helpers/redeem.ts';
import { findSecrets, secretsIn } from '../helpers/scan.ts';
import { CookieJar, follow, postForm } from '../helpers/signin.ts';
import { suite } from '../helpers/suite.ts';
import { address, Browser, codeIn, deliver } from '../personal/client.ts';

const DAY = 86_400_000;

suite(
  'no ticket or code at rest after the flows that mail them',
  { runWorker: false, clock: 'manual', tenant: 'Contoso' },
  ({ s, t, clock }) => {
    let f: TenantApi;
    before(async () => {
      f = await tenantWithApi(s, 'Fabrikam', { domain: 'fabrikam.example', adminEmail: 'admin@fabrikam.example' });
    });

    const tickets = new Set<string>();
    const codes = new Set<string>();
    /** Delivers the outbox and collects the tickets and codes of every mail that arrived. */
    const harvest = async () => {
      await s.portico.worker.runOnce();
      for (const m of s.smtp.messages()) {
        const found = secretsIn(m);
        found.tickets.forEach((x) => tickets.add(x));
        found.codes.forEach((x) => codes.add(x));
      }
    };
    const csrfOf = (html: string) => /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
    const redeemUrlIn = async (to: string) => {
      await s.portico.worker.runOnce();
      const mail = s.smtp
        .messages()
        .filter((m) => m.to.includes(to) && /\/redeem\?ticket=/.test(m.text))
        .at(-1);
      assert.ok(mail, `an invitation mail to ${to}`);
      return /(http:\/\/\S+\/redeem\?ticket=[A-Za-z0-9_-]{43})/.exec(mail.text)![1]!;
    };

    it('drives every flow that mails a ticket or a code', async () => {
      // A single invitation with a personal message, redeemed from its mail by the emailed passcode.
      const ann = await t.api('POST', '/v1.0/invitations', {
        invitedUserEmailAddress: 'ann@partner.example',
        inviteRedirectUrl: 'https://app.example/',
        sendInvitationMessage: true,
        invitedUserMessageInfo: { customizedMessageBody: 'Hello Ann, welcome aboard.' },
      });
      assert.equal(ann.status, 201, JSON.stringify(ann.body));
      tickets.add(new URL(ann.body.inviteRedeemUrl).searchParams.get('ticket')!);
      const start = await submit(s, await openLink(s, await redeemUrlIn('ann@partner.example')), '/redeem/start');
      assert.match(start.page, /Enter code/);
      const consent = await submit(s, start, '/redeem/passcode', { code: await mailedCode(s, 'ann@partner.example') });
      assert.match(consent.page, /Review permissions/);
      await submit(s, consent, '/redeem/consent', { decision: 'accept' });
      assert.equal((await t.api('GET', `/v1.0/users/${ann.body.invitedUser.id}`)).body.externalUserState, 'Accepted');

      // The passcode turned off: the guest creates a personal account, confirmed by a code to the invited address.
      await s.portico.services.store.transaction((tx) =>
        updateTenantSettings(tx, clock, f.tenantId, { emailPasscodeEnabled: false }),
      );
      const nia = await f.api('POST', '/v1.0/invitations', {
        invitedUserEmailAddress: 'nia@partner.example',
        inviteRedirectUrl: 'https://app.example/',
        sendInvitationMessage: true,
      });
      const signup = await submit(s, await openLink(s, await redeemUrlIn('nia@partner.example')), '/redeem/start');
      assert.match(signup.page, /Create your account/);
      const proof = await submit(s, signup, '/redeem/signup', {
        displayName: 'Nia',
        password: 'a-long-enough-password',
      });
      const niaConsent = await submit(s, proof, '/redeem/proof', { code: await mailedCode(s, 'nia@partner.example') });
      await submit(s, niaConsent, '/redeem/consent', { decision: 'accept' });
      assert.equal((await f.api('GET', `/v1.0/users/${nia.body.invitedUser.id}`)).body.externalUserState, 'Accepted');

      // A bulk invitation (the admin center's upload, run by the bulk runner).
      const actor = { kind: 'app' as const, appId: t.managementClient.clientId, displayName: 'Management' };
      const jobId = await createBulkJob(s.portico.services, t.tenantId, actor, {
        fileName: 'guests.csv',
        csv: Buffer.from('email,send\nbo1@partner.example,true\nbo2@partner.example,true\n'),
        defaultRedirect: 'https://app.example/',
      });
      // The server's runner may have taken the job already: run it here too, then wait for it to finish.
      await s.portico.bulk.runOnce();
      for (
        let i = 0;
        i < 200 && (await getBulkJob(s.portico.services.store.db, t.tenantId, jobId))?.status !== 'completed';
        i++
      )
        await new Promise((r) => setTimeout(r, 20));
      await redeemUrlIn('bo1@partner.example');

      // Personal sign-up and password reset codes.
      const email = address('kim');
      const b = new Browser(s);
      await b.get('/personal/signup');
      assert.equal(
        (await b.post('/personal/signup', { email, displayName: 'Kim', password: 'correct horse battery' })).status,
        303,
      );
      const verify = (await deliver(s, 0)).filter((m) => m.to.includes(email)).at(-1)!;
      await b.get('/personal/verify');
      assert.match((await b.post('/personal/verify', { code: codeIn(verify) })).html, /Email address verified/);
      const r = new Browser(s);
      await r.submit('/personal/reset', { email });
      const reset = (await deliver(s, 0)).filter((m) => m.to.includes(email)).at(-1)!;
      assert.equal(
        (await r.post('/personal/reset/confirm', { email, code: codeIn(reset), password: 'brand new password' }))
          .status,
        200,
      );

      // An opt-out confirmed by the code mailed to the address, from the link in bo2's invitation.
      const done = await optOut(s, await optOutLinkFor(s, 'bo2@partner.example'), 'bo2@partner.example', 'blockTenant');
      assert.equal(done.status, 200, done.page);

      // A direct sign-in at an app by the accepted guest, with a passcode (the interaction state of the provider).
      const app = await relyingParty(s, t.tenantId);
      const jar = new CookieJar();
      const authorization = await app.authorize();
      const reached = await typeAddress(s.baseUrl, jar, authorization.url, 'ann@partner.example');
      const page = reached.res ? await reached.res.text() : '';
      assert.match(page, /Enter code/);
      const r2: Redeemer = { jar, csrf: csrfOf(page), page, status: 200 };
      const posted = await postForm(r2.jar, `${s.baseUrl}/redeem/passcode`, {
        csrf: r2.csrf,
        code: await mailedCode(s, 'ann@partner.example'),
      });
      assert.equal(posted.status, 303);
      const landed = await follow(jar, new URL(posted.headers.get('location')!, s.baseUrl).toString(), s.baseUrl);
      assert.ok(landed.url.startsWith(app.redirectUri), landed.url);
      assert.equal((await authorization.claims(landed.url)).email, 'ann@partner.example');

      // A reminder, seven days before bo1's ticket runs out (the clock moves; the lifecycle sweep mails it).
      await s.portico.services.store.transaction((tx) =>
        updateTenantSettings(tx, clock, t.tenantId, { invitationReminderDays: [7] }),
      );
      clock.advance(24 * DAY);
      assert.ok((await runInvitationLifecycle(s.portico.services)).reminders >= 1);
      await harvest();
      assert.ok(
        s.smtp.messages().some((m) => m.to.includes('bo1@partner.example') && /remind|expires/i.test(m.subject)),
        'the reminder went out',
      );
    });

    it('finds none of the mailed tickets and codes anywhere in the store', async () => {
      await harvest();
      // 4 invitations mailed (ann, nia, bo1, bo2); codes: ann's passcode twice, nia's proof, kim's sign-up and reset, bo2's opt-out.
      assert.ok(tickets.size >= 4, `tickets found in the mail: ${tickets.size}`);
      assert.ok(codes.size >= 5, `codes found in the mail: ${codes.size}`);
      assert.deepEqual(await findSecrets(s.testStore, [...tickets, ...codes]), []);
    });

    it('the search itself finds a secret the store holds (it can fail)', async () => {
      const ticket = [...tickets][0]!;
      const code = [...codes][0]!;
      // A shortcut on purpose: a value written straight into a table, only to show the search would see it.
      await s.portico.services.store.db
        .insertInto('deployment')
        .values({ key: 'scan-probe', value: JSON.stringify({ ticket, code }) })
        .execute();
      try {
        const hits = await findSecrets(s.testStore, [ticket, code]);
        assert.ok(
          hits.some((h) => h.startsWith('deployment.value') && h.endsWith(ticket)),
          hits.join('\n'),
        );
        assert.ok(
          hits.some((h) => h.startsWith('deployment.value') && h.endsWith(code)),
          hits.join('\n'),
        );
      } finally {
        await s.portico.services.store.db.deleteFrom('deployment').where('key', '=', 'scan-probe').execute();
      }
    });
  },
);
