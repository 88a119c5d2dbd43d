import { it } from 'node:test';
import { ManualClock } from '../src/clock.ts';
import { tenantWithApi } from '../test/helpers/api.ts';
import { startTestServer } from '../test/helpers/server.ts';
import { CookieJar, follow, formAction, postForm } from '../test/helpers/signin.ts';
it('dbg', async () => {
  const clock = new ManualClock(new Date());
  const s = await startTestServer('sqlite', { clock, runWorker: false });
  const t = await tenantWithApi(s, 'Contoso', { domain: 'contoso.example', adminEmail: 'admin@contoso.example' });
  clock.advance(86_400_000 * Number(process.env.DAYS ?? 1));
  const jar = new CookieJar();
  const reached = await follow(jar, `${s.baseUrl}/admin/${t.tenantId}/users`, s.baseUrl);
  console.log(reached.url);
  const pw = await postForm(jar, new URL(formAction(await reached.res!.text(), '/identifier'), s.baseUrl).toString(), { login: 'admin@contoso.example' });
  const done = await postForm(jar, new URL(formAction(await pw.text(), '/password'), s.baseUrl).toString(), { login: 'admin@contoso.example', password: t.adminPassword });
  console.log(done.status, done.headers.get('location'), (await done.text()).slice(0, 2000));
  await s.close();
});
