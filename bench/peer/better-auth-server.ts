// The peer for `invite` and the OTP sign-in: Better Auth in its own process, set up as its documentation says:
// betterAuth() with email and password (for the organization's owner), the organization plugin sending invitation
// emails and the email OTP plugin sending sign-in codes, its schema made by its own migration API, served on
// node:http through its Node handler. Emails go through nodemailer's SMTP pool, as Portico's do.
// `node --import tsx bench/peer/better-auth-server.ts <port> <smtp port> <store url>` prints `ready` once listening;
// the store URL is `sqlite:<file>` or a PostgreSQL URL (its `options=-c search_path=` picks the schema).
// NODE_ENV=production (set by bench/peer/better-auth.ts) turns on its default rate limits, as in a deployment.
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { betterAuth, type BetterAuthOptions } from 'better-auth';
import { getMigrations } from 'better-auth/db/migration';
import { toNodeHandler } from 'better-auth/node';
import { emailOTP, organization } from 'better-auth/plugins';
import SQLite from 'better-sqlite3';
import nodemailer from 'nodemailer';
import pg from 'pg';

const [port, smtpPort, storeUrl] = [Number(process.argv[2]), Number(process.argv[3]), process.argv[4] ?? ''];
const baseURL = `http://127.0.0.1:${port}`;

function openDatabase(url: string): SQLite.Database | pg.Pool {
  if (!url.startsWith('sqlite:')) return new pg.Pool({ connectionString: url });
  const database = new SQLite(url.slice('sqlite:'.length));
  // The same pragmas as Portico's SQLite store (src/store/index.ts), so both write to the file the same way.
  database.pragma('journal_mode = WAL');
  database.pragma('busy_timeout = 5000');
  database.pragma('synchronous = NORMAL');
  return database;
}

const transport = nodemailer.createTransport({
  host: '127.0.0.1',
  port: smtpPort,
  secure: false,
  ignoreTLS: true,
  pool: true,
});
// Its documentation asks not to await the sending (timing attacks): the message leaves from the request's process,
// with no outbox behind it, so one the SMTP server refuses is logged and lost.
const send = (to: string, subject: string, text: string) => {
  transport
    .sendMail({ from: 'no-reply@peer.bench.example', to, subject, text })
    .catch((error: Error) => console.error(`mail to ${to}: ${error.message}`));
};

const options = {
  baseURL,
  secret: randomBytes(32).toString('hex'),
  database: openDatabase(storeUrl),
  emailAndPassword: { enabled: true },
  telemetry: { enabled: false },
  advanced: { ipAddress: { ipAddressHeaders: ['x-forwarded-for'] } },
  rateLimit: {
    // Its defaults otherwise: 100 requests per 10 s per address and path, 3 per 10 s on sign-in, 3 per 60 s for
    // codes. The owner sends every invitation from one address, which the default would hold to 10 a second.
    customRules: { '/organization/invite-member': false },
  },
  plugins: [
    organization({
      // Its default is 100 pending invitations per organization; the run makes thousands.
      invitationLimit: 1_000_000,
      async sendInvitationEmail(data) {
        send(
          data.email,
          `${data.inviter.user.name} invited you to ${data.organization.name}`,
          `Accept the invitation: ${baseURL}/accept-invitation/${data.id}`,
        );
      },
    }),
    emailOTP({
      async sendVerificationOTP({ email, otp, type }) {
        if (type === 'sign-in')
          send(email, 'Your sign-in code', `Your sign-in code is ${otp}. It expires in 5 minutes.`);
      },
    }),
  ],
} satisfies BetterAuthOptions;

const { runMigrations } = await getMigrations(options);
await runMigrations();
const auth = betterAuth(options);
const server = createServer(toNodeHandler(auth));
server.keepAliveTimeout = 30_000;
server.listen(port, '127.0.0.1', () => console.log('ready'));
// On SIGTERM it stops taking requests and lets the SMTP pool finish and say QUIT: a connection dropped mid-message
// would reset the bench's sink. The process then ends by itself (writing its --cpu-prof profile, BENCH_CPU_PROF).
process.once('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
  transport.close();
  setTimeout(() => process.exit(0), 5000).unref();
  const database = options.database;
  if (database instanceof pg.Pool) void database.end();
  else database.close();
});
