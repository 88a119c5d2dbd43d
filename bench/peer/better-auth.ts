// Runs bench/peer/better-auth-server.ts as its own process on a fresh store of the run's kind, with its own loopback
// SMTP sink, an owner and an organization made through its API, and drives it the way the scenarios drive Portico.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

import { startMailCatcher, type CaughtMail } from '../../src/mail/catcher.ts';
import { freePort } from '../../test/helpers/net.ts';
import { CookieJar, request } from '../../test/helpers/signin.ts';
import { ROOT } from '../../test/helpers/spawn.ts';
import { postgresUrl, withSchema, type StoreKind } from '../../test/helpers/stores.ts';
import { vmHwmMb } from '../cluster.ts';
import { newVisitor, type codeBox } from '../flows.ts';
import { profileArgs } from '../harness.ts';

/** The installed version, named in each result beside its figures. */
export const BETTER_AUTH_VERSION = (
  JSON.parse(readFileSync(join(ROOT, 'node_modules/better-auth/package.json'), 'utf8')) as { version: string }
).version;

export interface BetterAuthPeer {
  url: string;
  /** one invitation to a new address by the organization's owner; its email reaches the sink afterwards */
  invite(): Promise<void>;
  /** a code mailed to a new address and typed back, as a new person at a new address; resolves once signed in */
  otpSignIn(codes: ReturnType<typeof codeBox>): Promise<void>;
  /** what the load generator needs to send the owner's invitations itself: `{n}` in the body is a new number each */
  invitations(): { path: string; headers: Record<string, string>; bodyTemplate: string };
  peakRssMb(): number;
  close(): Promise<void>;
}

/** A browser's fetch sends its origin; Better Auth refuses a cookie-bearing POST without a trusted one. */
async function postJson(url: string, jar: CookieJar, path: string, body: unknown) {
  const res = await request(jar, `${url}/api/auth${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: url },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`${path} answered ${res.status}: ${text.slice(0, 300)}`);
  return JSON.parse(text) as Record<string, unknown>;
}

let signedIn = 0;
/** The peer's email OTP sign-in as a new person at a new address: a code mailed, read from the sink, typed back. */
export async function otpSignIn(url: string, codes: ReturnType<typeof codeBox>): Promise<void> {
  const email = `person${signedIn++}@partner.example`;
  const jar = newVisitor();
  await postJson(url, jar, '/email-otp/send-verification-otp', { email, type: 'sign-in' });
  await postJson(url, jar, '/sign-in/email-otp', { email, otp: await codes.next(email) });
  if (!jar.names().some((name) => name.endsWith('session_token')))
    throw new Error(`no session cookie: ${jar.names().join(', ')}`);
}

/** An empty store for Better Auth's own schema: a new SQLite file, or a new schema in the test PostgreSQL. */
async function freshStore(kind: StoreKind): Promise<{ url: string; dispose(): Promise<void> }> {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'better-auth-'));
    return {
      url: `sqlite:${join(dir, 'auth.db')}`,
      dispose: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const url = postgresUrl();
  if (!url) throw new Error('the PostgreSQL peer needs PORTICO_TEST_DATABASE_URL');
  const schema = `ba_${randomBytes(6).toString('hex')}`;
  const admin = async (sql: string) => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  };
  await admin(`create schema ${schema}`);
  return { url: withSchema(url, schema), dispose: () => admin(`drop schema ${schema} cascade`) };
}

export async function startBetterAuth(opts: {
  store: StoreKind;
  onMail?: (mail: CaughtMail) => void;
}): Promise<BetterAuthPeer> {
  const store = await freshStore(opts.store);
  const smtp = await startMailCatcher({ keep: 100, onMail: opts.onMail });
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  // BENCH_CPU_PROF=<dir> writes its V8 CPU profile there when it stops, as it does for the Portico nodes.
  const profile = profileArgs();
  const child = spawn(
    process.execPath,
    [...profile, '--import', 'tsx', 'bench/peer/better-auth-server.ts', String(port), String(smtp.port), store.url],
    {
      cwd: ROOT,
      env: { ...process.env, NODE_ENV: 'production' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const stopped = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const close = async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await stopped;
    }
    await smtp.close();
    await store.dispose().catch(() => undefined);
  };
  try {
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (d: Buffer) => {
        output += d;
        if (output.includes('ready')) resolve();
      });
      child.stderr!.on('data', (d: Buffer) => {
        output += d;
      });
      void stopped.then(() => reject(new Error(`the Better Auth peer exited:\n${output}`)));
    });
  } catch (error) {
    await close();
    throw error;
  }

  const post = (jar: CookieJar, path: string, body: unknown) => postJson(url, jar, path, body);

  let organizationId = '';
  const owner = new CookieJar({ 'x-forwarded-for': '198.19.255.254' });
  try {
    await post(owner, '/sign-up/email', {
      email: 'owner@peer.bench.example',
      password: randomBytes(12).toString('hex'),
      name: 'Bench Owner',
    });
    organizationId = String(
      (await post(owner, '/organization/create', { name: 'Bench', slug: `bench-${randomBytes(4).toString('hex')}` }))
        .id,
    );
  } catch (error) {
    await close();
    throw error;
  }

  let invited = 0;
  return {
    url,
    async invite() {
      const n = invited++;
      await post(owner, '/organization/invite-member', {
        email: `guest${n}@partner${n % 97}.example`,
        role: 'member',
        organizationId,
      });
    },
    otpSignIn: (codes) => otpSignIn(url, codes),
    invitations: () => ({
      path: '/api/auth/organization/invite-member',
      headers: { 'content-type': 'application/json', origin: url, cookie: owner.header() },
      bodyTemplate: JSON.stringify({ email: 'guest{n}@partner{n%97}.example', role: 'member', organizationId }),
    }),
    peakRssMb: () => vmHwmMb(child.pid!),
    close,
  };
}
