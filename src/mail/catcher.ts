// The built-in mail catcher: an SMTP server on loopback that keeps the last messages in memory, so a fresh
// `npm start` needs no mail server and the admin can read what Portico sent at /dev/mail (the server's catcher also
// keeps them in the store: caught.ts).
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface CaughtMail {
  id: number;
  receivedAt: string;
  from: string;
  to: string[];
  cc: string[];
  subject: string;
  text: string;
  html: string | null;
  raw: string;
}

export interface MailCatcher {
  port: number;
  messages(): CaughtMail[];
  close(): Promise<void>;
}

/** `onMail` sees each message as it arrives (the benchmarks wait for codes with it instead of polling). */
/** `store` keeps each message before the catcher accepts it (the server's catcher keeps them in the store: caught.ts). */
export async function startMailCatcher(
  opts: {
    port?: number;
    keep?: number;
    onMail?: (mail: CaughtMail) => void;
    store?: (mail: CaughtMail) => Promise<void>;
  } = {},
): Promise<MailCatcher> {
  const keep = opts.keep ?? 500;
  const messages: CaughtMail[] = [];
  let seq = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    size: 10 * 1024 * 1024,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        simpleParser(raw)
          .then((parsed) => {
            const addresses = (field: typeof parsed.to) =>
              (Array.isArray(field) ? field : field ? [field] : []).flatMap((a) => a.value.map((v) => v.address ?? ''));
            const mail: CaughtMail = {
              id: ++seq,
              receivedAt: new Date().toISOString(),
              from: parsed.from?.text ?? '',
              to: addresses(parsed.to),
              cc: addresses(parsed.cc),
              subject: parsed.subject ?? '',
              text: parsed.text ?? '',
              html: typeof parsed.html === 'string' ? parsed.html : null,
              raw: raw.toString('utf8'),
            };
            messages.push(mail);
            opts.onMail?.(mail);
            if (messages.length > keep) messages.shift();
            return opts.store?.(mail);
          })
          .then(
            () => callback(),
            (error: Error) => callback(error),
          );
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  // smtp-server reports a client's broken connection (ECONNRESET) as an 'error' event; unheard, it would end the
  // process (the dev catcher runs inside `npm start`). The session it ends is the client's to retry.
  server.on('error', () => undefined);
  const address = server.server.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    messages: () => [...messages],
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
