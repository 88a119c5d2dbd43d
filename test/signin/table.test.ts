// The sign-in table is one: a step added to it (as MFA will be) runs in the invitation flow and in an app's sign-in,
// blocks completion until its form is answered, and keeps what it remembers (the memo) between its page and its POST.
// The step is inserted through buildPortico's `signIn` seam, as a feature's row in signin/table.ts would be.
import assert from 'node:assert/strict';
import { it } from 'node:test';

import { DONE, type Step } from '../../src/signin/step.ts';
import { appClient, REDIRECT } from '../helpers/app-client.ts';
import { mailedCode, openLink, submit } from '../helpers/redeem.ts';
import { CookieJar, follow, formAction, postForm } from '../helpers/signin.ts';
import { suite } from '../helpers/suite.ts';

/** A step that asks one question: pending until answered "yes" in this sign-in; records who it was shown to. */
function dummyStep(shown: { userId: string; action: string }[]): Step {
  const step: Step = {
    name: 'dummy',
    pending: async (signIn) => signIn.memo('dummy') !== 'answered',
    async show(c, signIn, page = {}) {
      shown.push({ userId: signIn.userId, action: signIn.action('dummy') });
      return c.html(
        `<h1>Dummy step for ${signIn.tenant.displayName}</h1>${page.error ? `<p role="alert">${page.error}</p>` : ''}
        <form method="post" action="${signIn.action('dummy')}"><input type="hidden" name="csrf" value="${await signIn.formToken()}"><button name="answer" value="yes">Yes</button></form>`,
        page.status ?? 200,
      );
    },
    posts: {
      async dummy(c, signIn, form) {
        if (form.answer !== 'yes') return step.show(c, signIn, { error: 'Say yes', status: 400 });
        await signIn.remember('dummy', 'answered');
        return DONE;
      },
    },
  };
  return step;
}

const csrfOf = (html: string) => /name="csrf" value="([^"]+)"/.exec(html)![1]!;

suite('a step added to the sign-in table', { tenant: 'Contoso' }, ({ s, t, prepare }) => {
  const shown: { userId: string; action: string }[] = [];
  // The step records into this suite's own list, so the server's options are made once the body has it.
  prepare(async () => ({ runWorker: false, signIn: { extraSteps: [dummyStep(shown)] } }));

  it('runs in the invitation flow, after consent, and the redemption completes only once it is answered', async () => {
    const inv = (
      await t.api('POST', '/v1.0/invitations', {
        invitedUserEmailAddress: 'dummy@partner.example',
        inviteRedirectUrl: 'https://x.example/',
      })
    ).body;
    const code = await submit(s, await openLink(s, inv.inviteRedeemUrl), '/redeem/start');
    const consent = await submit(s, code, '/redeem/passcode', { code: await mailedCode(s, 'dummy@partner.example') });
    const dummy = await submit(s, consent, '/redeem/consent', { decision: 'accept' });
    assert.equal(dummy.status, 200);
    assert.match(dummy.page, /Dummy step for Contoso/);
    assert.deepEqual(shown.at(-1), { userId: inv.invitedUser.id, action: '/redeem/dummy' });
    // Completing is refused while the step is pending: the flow shows the step again.
    const early = await submit(s, dummy, '/redeem/complete');
    assert.match(early.page, /Dummy step/);
    assert.equal((await t.api('GET', `/v1.0/users/${inv.invitedUser.id}`)).body.externalUserState, 'PendingAcceptance');
    // A wrong answer is the step's own 400; the right one completes the redemption.
    const wrong = await submit(s, dummy, '/redeem/dummy', { answer: 'no' });
    assert.equal(wrong.status, 400);
    const done = await submit(s, dummy, '/redeem/dummy', { answer: 'yes' });
    assert.equal(done.status, 303);
    assert.match(done.location!, /\/myapps\?tenantid=/, 'left the flow for where redemption sends the guest');
    assert.equal((await t.api('GET', `/v1.0/users/${inv.invitedUser.id}`)).body.externalUserState, 'Accepted');
  });

  it("runs in an app's sign-in after the password, and the app gets its code only once it is answered", async () => {
    const rp = await appClient(s, t.tenant.id);
    const jar = new CookieJar();
    const attempt = await rp.start();
    const first = await follow(jar, attempt.url, s.baseUrl);
    const pwPage = await (
      await postForm(jar, new URL(formAction(await first.res!.text(), '/identifier'), s.baseUrl).toString(), {
        login: t.admin.userPrincipalName,
      })
    ).text();
    const afterPassword = await postForm(jar, new URL(formAction(pwPage, '/password'), s.baseUrl).toString(), {
      login: t.admin.userPrincipalName,
      password: t.adminPassword,
    });
    assert.equal(afterPassword.status, 200, 'the step is shown instead of returning to the app');
    const page = await afterPassword.text();
    assert.match(page, /Dummy step for Contoso/);
    const action = new URL(formAction(page, '/dummy'), s.baseUrl).toString();
    assert.equal(shown.at(-1)!.userId, t.admin.id);
    assert.match(shown.at(-1)!.action, /\/interaction\/[^/]+\/dummy$/);
    // The form token is signed: a forged memo ("already answered") is refused, and so is a missing one.
    const [payload, mac] = csrfOf(page).split('.');
    const forged = JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8')) as { s: Record<string, unknown> };
    forged.s = { dummy: 'answered' };
    assert.equal(
      (
        await postForm(jar, action, {
          csrf: `${Buffer.from(JSON.stringify(forged)).toString('base64url')}.${mac}`,
          answer: 'yes',
        })
      ).status,
      400,
    );
    assert.equal((await postForm(jar, action, { answer: 'yes' })).status, 400);
    const answered = await postForm(jar, action, { csrf: csrfOf(page), answer: 'yes' });
    assert.equal(answered.status, 303);
    const landed = await follow(jar, new URL(answered.headers.get('location')!, s.baseUrl).toString(), s.baseUrl);
    assert.ok(landed.url.startsWith(`${REDIRECT}?code=`), landed.url);
    const tokens = await attempt.tokens(landed.url);
    assert.equal(tokens.claims()!.sub.length > 0, true);
  });
});
