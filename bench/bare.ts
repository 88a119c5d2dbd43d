// Runs bench/bare-provider.ts as its own process, and its password login the way the scenarios sign in to Portico.
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';

import { freePort } from '../test/helpers/net.ts';
import { CookieJar, follow, postForm } from '../test/helpers/signin.ts';
import { ROOT } from '../test/helpers/spawn.ts';
import { BARE } from './bare-config.ts';
import { profileArgs } from './harness.ts';

export interface Bare {
  url: string;
  pid: number;
  close(): Promise<void>;
}

export async function startBare(): Promise<Bare> {
  const port = await freePort();
  const child = spawn(process.execPath, [...profileArgs(), '--import', 'tsx', 'bench/bare-provider.ts', String(port)], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      output += d;
      if (output.includes('ready')) resolve();
    });
    child.stderr!.on('data', (d: Buffer) => {
      output += d;
    });
    child.once('exit', () => reject(new Error(`the bare provider exited:\n${output}`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    close: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** Authorization code + PKCE with the password form, then the code exchange: the same steps as Portico's login. */
export async function bareLogin(url: string): Promise<void> {
  const jar = new CookieJar();
  const verifier = randomBytes(32).toString('base64url');
  const authorize = `${url}/auth?${new URLSearchParams({
    client_id: BARE.clientId,
    response_type: 'code',
    redirect_uri: BARE.redirectUri,
    scope: 'openid profile email',
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  })}`;
  const page = await follow(jar, authorize, url);
  if (!page.res) throw new Error('no login page');
  await page.res.arrayBuffer();
  const done = await postForm(jar, `${page.url}/login`, { login: 'member', password: BARE.password });
  const back = await follow(jar, new URL(done.headers.get('location') ?? '', url).toString(), url);
  const code = new URL(back.url).searchParams.get('code');
  if (!code) throw new Error(`no code: ${back.url}`);
  const res = await fetch(`${url}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: BARE.redirectUri,
      code_verifier: verifier,
      client_id: BARE.clientId,
      client_secret: BARE.clientSecret,
    }),
  });
  if (res.status !== 200) throw new Error(`token: ${res.status} ${await res.text()}`);
}
