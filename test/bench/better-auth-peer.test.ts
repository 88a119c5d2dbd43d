// The Better Auth peer of the `invite` and `redeem` benchmarks (bench/peer/better-auth.ts) works on each store:
// its invitations reach the SMTP sink, its OTP sign-in ends with a session cookie and fails with a wrong code, and
// closing it stops its process.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { codeBox } from '../../bench/flows.ts';
import { startBetterAuth, type BetterAuthPeer } from '../../bench/peer/better-auth.ts';
import type { CaughtMail } from '../../src/mail/catcher.ts';
import { storeKinds } from '../helpers/stores.ts';

async function until(done: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 100 && !done(); i++) await new Promise((resolve) => setTimeout(resolve, 50));
  assert.ok(done(), what);
}

for (const { kind, skip } of storeKinds()) {
  describe(`the Better Auth peer (${kind})`, { skip }, () => {
    const mails: CaughtMail[] = [];
    const codes = codeBox();
    let peer: BetterAuthPeer | undefined;
    before(async () => {
      peer = await startBetterAuth({
        store: kind,
        onMail: (m) => {
          mails.push(m);
          codes.onMail(m);
        },
      });
    });
    after(async () => {
      await peer?.close();
    });

    it('mails each invitation to its address', async () => {
      for (let i = 0; i < 3; i++) await peer!.invite();
      await until(() => mails.length >= 3, `3 invitation emails, got ${mails.length}`);
      assert.deepEqual(mails.map((m) => m.to[0]).sort(), [
        'guest0@partner0.example',
        'guest1@partner1.example',
        'guest2@partner2.example',
      ]);
      for (const m of mails) assert.match(m.text, /\/accept-invitation\/\w+/);
    });

    it('signs in with the mailed code, and not with another', async () => {
      mails.length = 0;
      await peer!.otpSignIn(codes);
      await peer!.otpSignIn(codes);
      assert.equal(mails.length, 2);
      const wrongCode = { ...codeBox(), next: async () => '000000' };
      await assert.rejects(peer!.otpSignIn(wrongCode), /sign-in\/email-otp answered 400/);
    });

    it('stops its process when closed', async () => {
      const { url } = peer!;
      await peer!.close();
      peer = undefined;
      await assert.rejects(fetch(`${url}/api/auth/ok`));
    });
  });
}
