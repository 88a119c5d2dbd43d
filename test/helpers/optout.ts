// Drives the opt-out pages over HTTP as a browser without JavaScript would: the link from an invitation email, the
// code mailed to the address (read from the real SMTP catcher), the choice.
import assert from 'node:assert/strict';

import type { TestServer } from './server.ts';
import { CookieJar, postForm, request } from './signin.ts';

export const fieldIn = (html: string, name: string): string =>
  (new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1] ?? '').replace(/&amp;/g, '&');

/** The opt-out link in the latest mail to `to` (text part), delivering the outbox first. */
export async function optOutLinkFor(s: TestServer, to: string): Promise<string> {
  await s.portico.worker.runOnce();
  const mail = s.smtp
    .messages()
    .filter((m) => m.to.includes(to) && /\/optout\?l=/.test(m.text))
    .at(-1);
  assert.ok(mail, `a mail to ${to} with an opt-out link`);
  return /(http:\/\/\S+\/optout\?l=\S+)/.exec(mail.text)![1]!;
}

/** The code of the latest opt-out code mail to `to`. */
export async function optOutCode(s: TestServer, to: string): Promise<string> {
  await s.portico.worker.runOnce();
  const mail = s.smtp
    .messages()
    .filter((m) => m.to.includes(to) && m.subject.startsWith('Your code to manage invitations'))
    .at(-1);
  assert.ok(mail, `an opt-out code mailed to ${to}`);
  return /^(\d{6})$/m.exec(mail.text)![1]!;
}

/** Opens `link`, asks for a code, types it with `choice`; returns the final page. */
export async function optOut(
  s: TestServer,
  link: string,
  address: string,
  choice: string,
  jar = new CookieJar(),
): Promise<{ status: number; page: string }> {
  const start = await request(jar, link);
  const startPage = await start.text();
  assert.equal(start.status, 200, startPage);
  const sent = await postForm(jar, `${s.baseUrl}/optout/code`, {
    token: fieldIn(startPage, 'token'),
    l: fieldIn(startPage, 'l'),
  });
  assert.equal(sent.status, 303, await sent.text());
  const confirm = await request(jar, new URL(sent.headers.get('location')!, s.baseUrl).toString());
  const confirmPage = await confirm.text();
  assert.equal(confirm.status, 200);
  const done = await postForm(jar, `${s.baseUrl}/optout/confirm`, {
    token: fieldIn(confirmPage, 'token'),
    l: fieldIn(confirmPage, 'l'),
    code: await optOutCode(s, address),
    choice,
  });
  return { status: done.status, page: await done.text() };
}
