// Issue #22, secrets at rest, on both stores: after real use through the product (an OpenID Connect IdP whose client
// secret was set through the API and a guest who redeemed there, an authenticator app registered at the MFA step,
// the tenant's signing keys, an invitation mail queued), no table holds a secret in clear: not the client secret,
// the authenticator key, the deployment's HMAC and cookie keys, a private JWK (`"d":`, `PRIVATE KEY`) nor the
// deployment key itself. `portico keys rotate` seals everything under a new key; the restarted server signs in
// (password + authenticator code, and through the IdP), issues tokens and delivers the queued mail; `portico keys
// prune` removes the old key and the server still does all of it; a server given another key refuses to start.
// The server restarts are real ones (a new Portico on the same store and port), because a running server holds the
// key it started with (the README's rotation steps say to restart).
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { decodeJwt } from 'jose';
import pino from 'pino';

import { buildPortico, type Portico } from '../../src/app.ts';
import { prepareAtRest } from '../../src/at-rest.ts';
import { ManualClock } from '../../src/clock.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import { isSealed, keyId, keyRing } from '../../src/keyring.ts';
import { loadKeys } from '../../src/oidc/keys.ts';
import { newSecret } from '../../src/secrets.ts';
import { deploymentSecret } from '../../src/store/deployment.ts';
import { keysOf } from '../../src/store/keys.ts';
import { newUserBody, tenantWithApi, type TenantApi } from '../helpers/api.ts';
import { appClient, type AppClient } from '../helpers/app-client.ts';
import { cliEnv } from '../helpers/cli.ts';
import { relyingParty, typeAddress } from '../helpers/federation.ts';
import { postStep, registerTotp, requireMfa, totpCode } from '../helpers/mfa.ts';
import { atIdp, startOidcIdp, type OidcIdp } from '../helpers/oidc-idp.ts';
import { openLink, submit } from '../helpers/redeem.ts';
import { findSecrets } from '../helpers/scan.ts';
import { appToken, startTestServer, type TestServer } from '../helpers/server.ts';
import { CookieJar, follow, formAction, postForm } from '../helpers/signin.ts';
import { runCli } from '../helpers/spawn.ts';
import { createTestStore, storeKinds } from '../helpers/stores.ts';

const PASSWORD = newUserBody('x').passwordProfile.password;
const OIDC = '#microsoft.graph.openIdConnectIdentityProvider';

for (const { kind, skip } of storeKinds()) {
  describe(`stored secrets sealed, and the deployment key rotated (${kind})`, { skip }, () => {
    const clock = new ManualClock();
    const dir = mkdtempSync(join(tmpdir(), 'portico-sealing-'));
    // The key file of this test's deployment (not the shared default beside the PostgreSQL tests).
    const keyFile = join(dir, 'portico.key');
    let s: TestServer;
    let t: TenantApi;
    let corp: OidcIdp;
    let rp: AppClient;
    let totpSecret = '';
    let ticket = '';
    let running: Portico | undefined;
    const env = () => ({ ...cliEnv(s), PORTICO_SECRET_KEY_FILE: keyFile });
    const upn = () => `ana@${t.domain}`;

    before(async () => {
      s = await startTestServer(kind, { clock, runWorker: false, env: { PORTICO_SECRET_KEY_FILE: keyFile } });
      running = s.portico;
      t = await tenantWithApi(s, 'Contoso');
      corp = await startOidcIdp({
        redirectUris: [`${s.baseUrl}/${t.tenantId}/federation/oidc/callback`],
        issuerPath: 'realms/corp',
      });
    });
    after(async () => {
      await running?.close().catch(() => undefined);
      await s?.smtp.close();
      await s?.testStore.dispose().catch(() => undefined);
      await corp?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    /** A new server on the same store, port and clock: what a restart with the key file as it is now gives. */
    async function restart(extra: Record<string, string> = {}): Promise<Portico> {
      await running?.close();
      running = undefined;
      const portico = await boot(extra);
      await portico.listen();
      running = portico;
      s = { ...s, portico };
      return portico;
    }
    const boot = (extra: Record<string, string> = {}) =>
      buildPortico(config(extra), { clock, log: pino({ level: 'silent' }), runWorker: false });
    const config = (extra: Record<string, string>): Config =>
      loadConfig({
        ...cliEnv(s),
        PORTICO_PORT: String(new URL(s.baseUrl).port),
        PORTICO_LOG_LEVEL: 'silent',
        PORTICO_DEV: '0',
        PORTICO_SMTP_URL: `smtp://127.0.0.1:${s.smtp.port}?ignoreTLS=true`,
        PORTICO_SECRET_KEY_FILE: keyFile,
        ...extra,
      });

    /** Ana opens the app's sign-in in a new browser and gives her password: the page reached. */
    async function passwordStep() {
      const jar = new CookieJar();
      const attempt = await rp.start();
      const idPage = await (await follow(jar, attempt.url, s.baseUrl)).res!.text();
      const pw = await postForm(jar, new URL(formAction(idPage, '/identifier'), s.baseUrl).toString(), {
        login: upn(),
      });
      const res = await postForm(jar, new URL(formAction(await pw.text(), '/password'), s.baseUrl).toString(), {
        login: upn(),
        password: PASSWORD,
      });
      return { jar, attempt, page: await res.text() };
    }

    /** Password, then the authenticator code: the ID token's amr. */
    async function signInWithCode(): Promise<string[]> {
      clock.advance(30_000); // a new time step: a code is accepted once
      const { jar, attempt, page } = await passwordStep();
      assert.match(page, /Enter code/);
      const verified = await postStep(s, jar, page, '/verify/code', {
        code: totpCode(totpSecret, clock.now().getTime()),
      });
      assert.equal(verified.res.status, 303, verified.page.slice(0, 500));
      const landed = await follow(jar, new URL(verified.res.headers.get('location')!, s.baseUrl).toString(), s.baseUrl);
      return decodeJwt((await attempt.tokens(landed.url)).id_token!).amr as string[];
    }

    /** The guest signs in again through the IdP (Portico sends the sealed client secret to its token endpoint). */
    async function federatedSignIn(): Promise<string> {
      const app = await relyingParty(s, t.tenantId);
      const { url, claims } = await app.authorize();
      const jar = new CookieJar();
      const toIdp = await typeAddress(s.baseUrl, jar, url, 'carl@corp.test');
      assert.ok(toIdp.url.startsWith(corp.issuer), toIdp.url);
      const callback = await follow(jar, await atIdp(corp, toIdp.url, 'carl'), s.baseUrl);
      assert.ok(callback.url.startsWith(app.redirectUri), callback.url);
      return (await claims(callback.url)).oid as string;
    }

    /** The server works: a sign-in with MFA, a client-credentials token, a federated sign-in. */
    async function works(guestId: string) {
      assert.deepEqual(await signInWithCode(), ['pwd', 'mfa', 'otp']);
      assert.equal((await t.api('GET', `/v1.0/users/${guestId}`)).status, 200, 'the API takes its tokens');
      const { clientId, clientSecret } = t.managementClient;
      assert.ok(await appToken(s.baseUrl, t.tenantId, clientId, clientSecret), 'token issuance');
      assert.equal(await federatedSignIn(), guestId);
    }

    let guestId = '';

    it('after real use, no table holds a secret in clear', async () => {
      // An OIDC IdP configured through the API, and a guest who redeems there.
      const idp = await t.api('POST', '/v1.0/identity/identityProviders', {
        '@odata.type': OIDC,
        displayName: 'Corp IdP',
        clientId: corp.clientId,
        clientSecret: corp.clientSecret,
        issuer: corp.issuer,
        domains: ['corp.test'],
      });
      assert.equal(idp.status, 201, JSON.stringify(idp.body));
      corp.accounts.set('carl', { sub: 'corp-carl', email: 'carl@corp.test', email_verified: true });
      const inv = await t.api('POST', '/v1.0/invitations', {
        invitedUserEmailAddress: 'carl@corp.test',
        inviteRedirectUrl: 'https://myapps.example/',
      });
      guestId = inv.body.invitedUser.id;
      const started = await submit(s, await openLink(s, inv.body.inviteRedeemUrl), '/redeem/start');
      assert.ok(started.location!.startsWith(corp.issuer), started.location);
      const back = await follow(started.jar, await atIdp(corp, started.location!, 'carl'), s.baseUrl);
      const consentPage = await back.res!.text();
      assert.match(consentPage, /Review permissions/);
      const csrf = /name="csrf" value="([^"]+)"/.exec(consentPage)![1]!;
      const done = await submit(s, { ...started, csrf, page: consentPage }, '/redeem/consent', { decision: 'accept' });
      assert.equal(done.status, 303, done.page);

      // A member whom a policy requires MFA of registers an authenticator app at the MFA step.
      const ana = (await t.api('POST', '/v1.0/users', newUserBody(upn(), 'Ana', { mail: 'ana@partner.example' }))).body;
      await requireMfa(t.api, [ana.id]);
      rp = await appClient(s, t.tenantId);
      const { jar, attempt, page } = await passwordStep();
      const registered = await registerTotp(s, jar, page, () => clock.now());
      totpSecret = registered.secret;
      const landed = await follow(
        jar,
        new URL(registered.res.headers.get('location')!, s.baseUrl).toString(),
        s.baseUrl,
      );
      assert.deepEqual(decodeJwt((await attempt.tokens(landed.url)).id_token!).amr, ['pwd', 'mfa', 'otp']);

      // An invitation mail left queued (no worker runs): its body holds the redeem link.
      const mailed = await t.api('POST', '/v1.0/invitations', {
        invitedUserEmailAddress: 'mia@partner.example',
        inviteRedirectUrl: 'https://myapps.example/',
        sendInvitationMessage: true,
      });
      ticket = new URL(mailed.body.inviteRedeemUrl).searchParams.get('ticket')!;

      // What the secrets are in clear, read through their owners: none of it may be in the store.
      const { db } = s.portico.services.store;
      const deployment = await db.selectFrom('deployment').select(['key', 'value']).execute();
      const deploymentSecrets = await Promise.all(
        deployment.filter((r) => isSealed(r.value)).map((r) => deploymentSecret(db, r.key)),
      );
      assert.ok(deploymentSecrets.length >= 3, `the cookie, form and link keys: ${deployment.map((r) => r.key)}`);
      assert.ok(
        deployment.every(
          (r) => isSealed(r.value) || ['sealing-key-id', 'server.base_url', 'server.version'].includes(r.key),
        ),
        'every other deployment value is sealed',
      );
      const jwks = await loadKeys(db, t.tenantId);
      assert.ok(jwks.length >= 2 && jwks.every((k) => k.d));
      const keyFileKeys = readFileSync(keyFile, 'utf8').trim().split(',');
      const hits = await findSecrets(s.testStore, [
        corp.clientSecret,
        totpSecret,
        ticket,
        ...deploymentSecrets,
        ...jwks.map((k) => k.d!),
        ...keyFileKeys,
        '"d":',
        'PRIVATE KEY',
      ]);
      assert.deepEqual(hits, []);
      // The scan can fail: the same values are found where they are known to be (the IdP's own secret, say).
      assert.equal((await findSecrets(s.testStore, [jwks[0]!.kid!], { files: false })).length > 0, true);
    });

    it('`portico keys status` counts every value under the one key; `rotate` seals them all under a new one', async () => {
      const [oldKey] = readFileSync(keyFile, 'utf8').trim().split(',');
      const before = await runCli(['keys', 'status', '--json'], env());
      assert.equal(before.code, 0, before.stderr);
      const status = JSON.parse(before.stdout) as { keys: { id: string; values: number }[]; other: unknown[] };
      assert.equal(status.keys.length, 1);
      assert.equal(status.keys[0]!.id, keyId(oldKey!));
      assert.ok(status.keys[0]!.values >= 8, `${status.keys[0]!.values} values`);
      assert.deepEqual(status.other, [], 'nothing in clear, nothing under another key');

      const rotated = await runCli(['keys', 'rotate', '--json'], env());
      assert.equal(rotated.code, 0, rotated.stderr);
      const out = JSON.parse(rotated.stdout) as { fromKeyId: string; toKeyId: string; resealed: number };
      assert.equal(out.fromKeyId, keyId(oldKey!));
      assert.equal(out.resealed, status.keys[0]!.values, 'every value re-sealed');
      assert.ok(!rotated.stdout.includes(oldKey!) && !rotated.stderr.includes(oldKey!), 'no key printed');
      const [newKey, kept] = readFileSync(keyFile, 'utf8').trim().split(',');
      assert.equal(keyId(newKey!), out.toKeyId);
      assert.equal(kept, oldKey, 'the old key stays listed until pruned');
      assert.ok(!rotated.stdout.includes(newKey!), 'the new key is not printed either');
      assert.equal(statSync(keyFile).mode & 0o777, 0o600);
      const audits = await t.api('GET', '/v1.0/auditLogs/directoryAudits');
      const event = (
        audits.body.value as { activityDisplayName: string; additionalDetails: { key: string; value: string }[] }[]
      ).find((e) => e.activityDisplayName === 'Rotate deployment key');
      assert.ok(event, 'the rotation is audited');
      assert.ok(!JSON.stringify(event).includes(newKey!) && !JSON.stringify(event).includes(oldKey!));

      // Nothing the store holds opens under the old key alone any more.
      const db = s.portico.services.store.db;
      const sealed = (
        await db.selectFrom('tenant_keys').select('jwk').where('tenant_id', '=', t.tenantId).execute()
      ).map((r) => r.jwk);
      assert.ok(sealed.every((v) => v.startsWith(`v2.${out.toKeyId}.`)));
    });

    it('the restarted server signs in, issues tokens, federates and delivers the mail queued before', async () => {
      const portico = await restart();
      await works(guestId);
      assert.ok((await portico.worker.runOnce()) >= 1, 'the queued mail goes out');
      const sent = await waitFor(() => s.smtp.messages().find((m) => m.to.includes('mia@partner.example')));
      assert.match(sent.text, new RegExp(`ticket=${ticket}`));
    });

    it('`portico keys prune` drops the old key; the server works with the new key alone', async () => {
      const pruned = await runCli(['keys', 'prune', '--json'], env());
      assert.equal(pruned.code, 0, pruned.stderr);
      assert.equal((JSON.parse(pruned.stdout) as { removed: string[] }).removed.length, 1);
      const keys = readFileSync(keyFile, 'utf8').trim().split(',');
      assert.equal(keys.length, 1);
      assert.equal(keysOf(s.portico.services.store.db).id, keyId(keys[0]!));
      await restart();
      await works(guestId);
    });

    it('a server with another key refuses to start, saying why', async () => {
      await running!.close();
      running = undefined;
      const other = 'A'.repeat(43);
      await assert.rejects(
        boot({ PORTICO_SECRET_KEY: other }),
        /sealed with a deployment key this process does not hold/,
      );
      await assert.rejects(boot({ PORTICO_SECRET_KEY_FILE: join(dir, 'elsewhere.key') }), /does not hold/);
      running = await boot();
    });
  });
}

async function waitFor<T>(find: () => T | undefined): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const found = find();
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('not there in 4 s');
}

for (const { kind, skip } of storeKinds()) {
  describe(`portico keys rotate with PORTICO_SECRET_KEY (${kind})`, { skip }, () => {
    it('needs the new key named by --new-key-env, re-seals under it, and the old key alone is then refused', async () => {
      const ts = await createTestStore(kind);
      try {
        const [oldKey, newKey] = [newSecret(32), newSecret(32)];
        await prepareAtRest(ts.store, keyRing([oldKey], 'old'), pino({ level: 'silent' }));
        const cookieKey = await deploymentSecret(ts.store.db, 'cookie-key-1');
        const env = { PORTICO_DATABASE_URL: ts.url, PORTICO_SECRET_KEY: oldKey };

        const refused = await runCli(['keys', 'rotate'], env);
        assert.equal(refused.code, 2);
        assert.match(refused.stderr, /--new-key-env <VAR>/);
        const bad = await runCli(['keys', 'rotate', '--new-key-env', 'NEW_KEY'], { ...env, NEW_KEY: 'short' });
        assert.equal(bad.code, 2);
        assert.match(bad.stderr, /NEW_KEY must hold one new key/);

        const rotated = await runCli(['keys', 'rotate', '--new-key-env', 'NEW_KEY', '--json'], {
          ...env,
          NEW_KEY: newKey,
        });
        assert.equal(rotated.code, 0, rotated.stderr);
        assert.equal(JSON.parse(rotated.stdout).toKeyId, keyId(newKey));
        assert.ok(!rotated.stdout.includes(newKey) && !rotated.stderr.includes(newKey), 'the key is never printed');

        const status = await runCli(['keys', 'status', '--json'], {
          ...env,
          PORTICO_SECRET_KEY: `${newKey},${oldKey}`,
        });
        assert.equal(status.code, 0, status.stderr);
        const keys = (JSON.parse(status.stdout) as { keys: { id: string; values: number }[] }).keys;
        assert.equal(keys[0]!.id, keyId(newKey));
        assert.ok(keys[0]!.values > 0);
        assert.equal(keys[1]!.values, 0, 'nothing left under the old key');

        await assert.rejects(
          prepareAtRest(ts.store, keyRing([oldKey], 'old'), pino({ level: 'silent' })),
          /does not hold/,
          'a node with only the old key is refused',
        );
        await prepareAtRest(ts.store, keyRing([newKey], 'new'), pino({ level: 'silent' }));
        assert.equal(await deploymentSecret(ts.store.db, 'cookie-key-1'), cookieKey, 'the same secret, re-sealed');
        const row = await ts.store.db
          .selectFrom('deployment')
          .select('value')
          .where('key', '=', 'cookie-key-1')
          .executeTakeFirstOrThrow();
        assert.ok(row.value.startsWith(`v2.${keyId(newKey)}.`));
      } finally {
        await ts.dispose();
      }
    });
  });
}
