// Starts the load generator (bench/load/worker.ts) as a child process for one job and returns its figures: the
// servers under test, the SMTP sink and the balancer never share a process with the load.
import { spawn } from 'node:child_process';

import type { CaughtMail } from '../../src/mail/catcher.ts';
import { ROOT } from '../../test/helpers/spawn.ts';
import type { AppClient } from '../flows.ts';
import { profileArgs, type Figures } from '../harness.ts';

/** One HTTP request repeated, by autocannon: `connections` keep-alive connections, a warm-up, then `operations`. */
export interface HttpJob {
  kind: 'http';
  /** the origin, e.g. http://127.0.0.1:3000 */
  url: string;
  method: 'GET' | 'POST';
  /** the path of every request, or `paths` taken in turn */
  path?: string;
  paths?: string[];
  headers: Record<string, string>;
  /** the same body for every request, or `bodyTemplate` with `{n}` (and `{n%97}`) a number new to each request */
  body?: string;
  bodyTemplate?: string;
  /** the first `{n}` (to continue a numbering the bench already used) */
  firstN?: number;
  /** the status every answer must have; any other counts as an error */
  status: number;
  connections: number;
  operations: number;
  warmup: number;
}

export type Flow =
  | {
      name: 'login';
      baseUrl: string;
      tenantId: string;
      app: AppClient;
      domain: string;
      accounts: number;
      password: string;
    }
  | { name: 'redeem'; baseUrl: string; invitations: { url: string; email: string }[] }
  | { name: 'bare-login'; url: string }
  | { name: 'otp-sign-in'; url: string };

/** A multi-step operation with cookies (bench/flows.ts), `concurrency` at a time, a warm-up, then `operations`. */
export interface FlowJob {
  kind: 'flow';
  flow: Flow;
  concurrency: number;
  operations: number;
  warmup: number;
}

export type ToWorker = HttpJob | FlowJob | { mail: Pick<CaughtMail, 'to' | 'text'> };

export interface Load {
  figures: Promise<Figures>;
  /** hands a message the bench's SMTP sink received to the flow (mailed codes) */
  mail(mail: CaughtMail): void;
}

/** Runs one job in a new generator process. */
export function startLoad(job: HttpJob | FlowJob): Load {
  // BENCH_CPU_PROF=<dir> profiles the generator too, which shows whether it, not the server, is the bound.
  const profile = profileArgs();
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', 'bench/load/worker.ts'], {
    cwd: ROOT,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const figures = new Promise<Figures>((resolve, reject) => {
    let answered = false;
    child.on('message', (m: { figures?: Figures; error?: string }) => {
      answered = true;
      if (m.figures) resolve(m.figures);
      else reject(new Error(`the load generator failed: ${m.error}`));
    });
    child.once('exit', (code) => {
      if (!answered) reject(new Error(`the load generator exited with ${code} before answering`));
    });
  });
  child.send(job);
  return {
    figures,
    mail: (m) => {
      if (child.connected) child.send({ mail: { to: m.to, text: m.text } });
    },
  };
}

/** Runs one job in a new generator process and waits for its figures. */
export const load = (job: HttpJob | FlowJob): Promise<Figures> => startLoad(job).figures;
