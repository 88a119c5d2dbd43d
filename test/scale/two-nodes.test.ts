// Scale-out: two Portico processes (`src/main.ts`, as `npm start` runs it) sharing one PostgreSQL behind a
// round-robin balancer, so consecutive requests of one flow land on different nodes. A member's sign-in and a guest's
// passcode redemption succeed, and every email goes out exactly once although both nodes run the outbox worker.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { startCluster, type Cluster } from '../../bench/cluster.ts';
import { codeBox, login, redeem } from '../../bench/flows.ts';
import { managementApi } from '../../bench/scenarios/common.ts';
import type { CaughtMail } from '../../src/mail/catcher.ts';
import { postgresRequired, postgresUrl } from '../helpers/stores.ts';

const skip = postgresUrl() ? false : 'PORTICO_TEST_DATABASE_URL not set (two nodes share one PostgreSQL)';
if (!postgresUrl() && postgresRequired()) throw new Error('CI=true but PORTICO_TEST_DATABASE_URL is not set');

describe('two nodes behind a round-robin balancer (postgres)', { skip }, () => {
  let c: Cluster;
  const mails: CaughtMail[] = [];
  const codes = codeBox();
  before(async () => {
    c = await startCluster({
      store: 'postgres',
      nodes: 2,
      env: { PORTICO_ARGON2_MEMORY_KIB: '1024', PORTICO_ARGON2_TIME_COST: '1' },
      onMail: (m) => {
        mails.push(m);
        codes.onMail(m);
      },
    });
  });
  after(async () => {
    await c?.close();
  });

  it('signs a member in with code + PKCE while the requests alternate between the nodes', async () => {
    const { api } = await managementApi(c);
    const redirectUri = 'https://app.example/callback';
    const app = (await api('POST', '/v1.0/applications', { displayName: 'App', web: { redirectUris: [redirectUri] } }))
      .body;
    const member = await api('POST', '/v1.0/users', {
      accountEnabled: true,
      displayName: 'Mo',
      mailNickname: 'mo',
      userPrincipalName: `mo@${c.tenant.initialDomain}`,
      passwordProfile: { password: 'correct-horse-battery' },
    });
    assert.equal(member.status, 201);
    const [first, second] = c.balanced!;
    await login(
      c.baseUrl,
      c.tenant.tenantId,
      { clientId: app.appId, clientSecret: app.passwordCredentials[0].secretText, redirectUri },
      `mo@${c.tenant.initialDomain}`,
      'correct-horse-battery',
    );
    assert.ok(c.balanced![0]! > first! && c.balanced![1]! > second!, 'both nodes served the sign-in');
  });

  it('redeems by passcode across both nodes, and each email is sent once', async () => {
    const { api } = await managementApi(c);
    const invited = [];
    for (let i = 0; i < 6; i++) {
      const res = await api('POST', '/v1.0/invitations', {
        invitedUserEmailAddress: `guest${i}@partner.example`,
        inviteRedirectUrl: `${c.baseUrl}/myapps`,
        sendInvitationMessage: true,
      });
      assert.equal(res.status, 201);
      invited.push(res.body);
    }
    const left = await redeem(c.baseUrl, invited[0].inviteRedeemUrl, 'guest0@partner.example', codes);
    assert.match(left, /\/myapps/);
    assert.equal((await api('GET', `/v1.0/users/${invited[0].invitedUser.id}`)).body.externalUserState, 'Accepted');

    // Six invitations and one passcode, raced for by both workers: wait until the outbox says all were sent.
    const unsent = async () =>
      Number(
        (
          await c.store.store.db
            .selectFrom('outbox')
            .select((eb) => eb.fn.countAll().as('n'))
            .where('state', '!=', 'sent')
            .executeTakeFirstOrThrow()
        ).n,
      );
    const deadline = Date.now() + 30_000;
    while ((mails.length < 7 || (await unsent()) > 0) && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 100));
    const ids = mails.map((m) => /X-Portico-Message-Id: (\S+)/i.exec(m.raw)?.[1]);
    assert.equal(mails.length, 7, `7 messages, got ${mails.length}`);
    assert.equal(new Set(ids).size, 7, 'no message twice');
    for (let i = 0; i < 6; i++)
      assert.equal(
        mails.filter((m) => m.to.includes(`guest${i}@partner.example`) && /invit/i.test(m.subject)).length,
        1,
      );
  });
});
