// The load generator as its own process (started by bench/load/index.ts, one job per process), so that its work never
// runs in the process hosting a server under test, nor in the bench process beside the SMTP sink and the balancer.
// - `http`: one request repeated, sent by autocannon (its HTTP/1.1 client writes prebuilt requests on keep-alive
//   connections, a fraction of fetch's cost per request); a warm-up run, then the measured run of `operations`.
// - `flow`: a multi-step operation (a sign-in, a redemption: several requests with cookies) run by the bench's flow
//   code (bench/flows.ts, bench/bare.ts, the Better Auth peer) with `concurrency` loops; codes mailed to the bench
//   process's SMTP sink are forwarded here as messages.
import autocannon, { type Request } from 'autocannon';

import { bareLogin } from '../bare.ts';
import { codeBox, login, redeem } from '../flows.ts';
import { figuresOf, measure, type Figures } from '../harness.ts';
import { otpSignIn } from '../peer/better-auth.ts';
import type { FlowJob, HttpJob, ToWorker } from './index.ts';

const codes = codeBox();

/** `{n}` is a number new to each request; `{n%97}` the same number modulo 97. */
const fill = (template: string, n: number) =>
  template.replace(/\{n(?:%(\d+))?\}/g, (_, m?: string) => String(m ? n % Number(m) : n));

function cannon(job: HttpJob, amount: number, counter: { n: number }): Promise<Figures> {
  return new Promise((resolve, reject) => {
    const latencies: number[] = [];
    let errors = 0;
    let firstError: string | undefined;
    const dynamic = job.paths || job.bodyTemplate;
    // autocannon builds every connection's first request when it starts and may build one past the last: requests
    // are numbered from a counter that keeps going, so none repeats.
    const setupRequest = (request: Request): Request => {
      const n = counter.n++;
      return {
        ...request,
        ...(job.paths && { path: job.paths[n % job.paths.length] }),
        ...(job.bodyTemplate && { body: fill(job.bodyTemplate, n) }),
      };
    };
    const started = performance.now();
    const instance = autocannon(
      {
        url: `${job.url}${job.path ?? ''}`,
        connections: Math.min(job.connections, amount),
        pipelining: 1,
        amount,
        timeout: 30,
        method: job.method,
        headers: job.headers,
        ...(job.body !== undefined && { body: job.body }),
        ...(dynamic && { requests: [{ setupRequest }] }),
      },
      (error) => {
        if (error) return reject(error);
        resolve(figuresOf(latencies, (performance.now() - started) / 1000, errors, firstError));
      },
    );
    instance.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
      latencies.push(ms);
      if (status !== job.status && errors++ === 0) firstError = `answered ${status}, expected ${job.status}`;
    });
    // A connection error or a timeout has no latency to count; it is an error, and the run goes on.
    instance.on('reqError', (error: Error) => {
      if (errors++ === 0) firstError = error.message;
    });
  });
}

async function runHttp(job: HttpJob): Promise<Figures> {
  const counter = { n: job.firstN ?? 0 };
  if (job.warmup > 0) await cannon(job, job.warmup, counter);
  return cannon(job, job.operations, counter);
}

function flowOp(job: FlowJob): () => Promise<void> {
  let n = 0;
  const f = job.flow;
  switch (f.name) {
    case 'login':
      return () => login(f.baseUrl, f.tenantId, f.app, `m${n++ % f.accounts}@${f.domain}`, f.password);
    case 'redeem':
      return async () => {
        const inv = f.invitations[n++]!;
        await redeem(f.baseUrl, inv.url, inv.email, codes);
      };
    case 'bare-login':
      return () => bareLogin(f.url);
    case 'otp-sign-in':
      return () => otpSignIn(f.url, codes);
  }
}

process.on('message', (message: ToWorker) => {
  if ('mail' in message) return codes.onMail(message.mail);
  const run =
    message.kind === 'http'
      ? runHttp(message)
      : measure(flowOp(message), {
          concurrency: message.concurrency,
          operations: message.operations,
          warmup: message.warmup,
        });
  run.then(
    (figures) => process.send!({ figures }, () => process.exit(0)),
    (error: Error) => process.send!({ error: error.stack ?? error.message }, () => process.exit(1)),
  );
});
