// Scale-out: two Portico processes (`src/main.ts`, as `npm start` runs it) sharing one PostgreSQL behind a
// round-robin balancer, so consecutive requests of one flow land on different nodes. A member's sign-in and a guest's
// passcode redemption succeed, and every email goes out exactly once although both nodes run the outbox worker. A
// client secret removed through one node is refused by the other, which had it cached, within a second
// (store/epochs.ts).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { startCluster, type Cluster } from '../../bench/cluster.ts';
import { codeBox, login, redeem } from '../../bench/flows.ts';
import { managementApi } from '../../bench/scenarios/common.ts';
import type { CaughtMail } from '../../src/mail/catcher.ts';
import { appToken } from '../helpers/server.ts';
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

  it('refuses a secret removed on node A at node B within a second, and takes one added there', async () => {
    const [a, b] = c.nodeUrls as [string, string];
    const { api } = await managementApi(c);
    const made = await api('POST', '/v1.0/applications', {
      displayName: 'Rotating',
      web: { redirectUris: ['https://rotating.example/callback'] },
    });
    assert.equal(made.status, 201);
    const app = made.body as {
      id: string;
      appId: string;
      passwordCredentials: { keyId: string; secretText: string }[];
    };
    const old = app.passwordCredentials[0]!;
    /** Whether node `at` gives a client-credentials token for this secret (openid-client's form of the request). */
    const works = (at: string, secret: string) =>
      appToken(c.baseUrl, c.tenant.tenantId, app.appId, secret, at).then(
        () => true,
        (error: Error) => {
          assert.match(error.message, /invalid_client/);
          return false;
        },
      );
    const within = async (what: string, at: string, secret: string, want: boolean, since: number) => {
      while (!((await works(at, secret)) === want)) {
        assert.ok(performance.now() - since < 1000, `${what} within a second`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return performance.now() - since;
    };
    // Node B has the app's secrets in its cache: it gave tokens for the old secret just now.
    assert.ok(await works(b, old.secretText));
    assert.ok(await works(b, old.secretText));

    const added = await fetch(`${a}/v1.0/applications/${app.id}/addPassword`, {
      method: 'POST',
      headers: { authorization: `Bearer ${(await managementApi(c)).token}`, 'content-type': 'application/json' },
      body: '{}',
    });
    assert.equal(added.status, 200);
    const fresh = (await added.json()) as { keyId: string; secretText: string };
    await within('the new secret taken at B', b, fresh.secretText, true, performance.now());

    const removed = await fetch(`${a}/v1.0/applications/${app.id}/removePassword`, {
      method: 'POST',
      headers: { authorization: `Bearer ${(await managementApi(c)).token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ keyId: old.keyId }),
    });
    const since = performance.now();
    assert.equal(removed.status, 204);
    assert.equal(await works(a, old.secretText), false, 'node A refuses it at once');
    const took = await within('the removed secret refused at B', b, old.secretText, false, since);
    assert.ok(took < 1000, `refused at B after ${Math.round(took)} ms`);
    assert.ok(await works(b, fresh.secretText), 'the new secret still works at B');
  });
});
