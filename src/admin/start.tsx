// The ways in: `/`, the start page (My Apps, or an organization's admin center by its domain), and `/admin`, which
// asks for the organization and goes to its admin center (whose guard sends the person to sign in there).
import { Hono, type Context } from 'hono';

import { isDomainName, resolveTenant } from '../directory/tenants.ts';
import { pickLang, t, type Lang } from '../i18n/index.ts';
import { Layout } from '../pages/layout.tsx';
import { OrgBox } from '../pages/org-box.tsx';
import type { Services } from '../services.ts';
import { normalize } from '../store/json.ts';

const StartPage = ({ lang, domain, error }: { lang: Lang; domain?: string; error?: string }) => (
  <Layout lang={lang} title={t(lang, 'shell.start.title')}>
    <h1>{t(lang, 'shell.start.title')}</h1>
    <p>{t(lang, 'shell.start.intro')}</p>
    <h2>{t(lang, 'shell.start.myapps')}</h2>
    <p>{t(lang, 'shell.start.myappsText')}</p>
    <p>
      <a class="button" href="/myapps">
        {t(lang, 'shell.start.myappsLink')}
      </a>
    </p>
    <h2>{t(lang, 'shell.start.admin')}</h2>
    <p>{t(lang, 'shell.start.adminText')}</p>
    <OrgBox lang={lang} action="/admin/organization" domain={domain} error={error} />
  </Layout>
);

const AdminStartPage = ({ lang, domain, error }: { lang: Lang; domain?: string; error?: string }) => (
  <Layout lang={lang} title={t(lang, 'shell.admin.title')}>
    <h1>{t(lang, 'shell.admin.title')}</h1>
    <p>{t(lang, 'shell.admin.intro')}</p>
    <OrgBox lang={lang} action="/admin/organization" domain={domain} error={error} />
    <p>
      <a href="/myapps">{t(lang, 'shell.forward.myapps')}</a>
    </p>
  </Layout>
);

export function startRoutes(services: Services) {
  const app = new Hono();
  const langOf = (c: Context) => pickLang(c.req.header('accept-language'));

  app.get('/', (c) => c.html(<StartPage lang={langOf(c)} />));
  app.get('/admin', (c) => c.html(<AdminStartPage lang={langOf(c)} />));
  // A domain (or an address: the part after @) to the organization's admin center. Only a tenant's verified domains
  // lead anywhere, as for My Apps; nothing says whether any account exists.
  app.get('/admin/organization', async (c) => {
    const lang = langOf(c);
    const domain = normalize((c.req.query('domain') ?? '').slice(0, 300)).replace(/^.*@/, '');
    if (!isDomainName(domain))
      return c.html(<AdminStartPage lang={lang} domain={domain} error={t(lang, 'myapps.badDomain')} />, 400);
    const tenant = await resolveTenant(services.store.db, domain);
    if (!tenant)
      return c.html(
        <AdminStartPage lang={lang} domain={domain} error={t(lang, 'myapps.unknownDomain', { domain })} />,
        404,
      );
    return c.redirect(`/admin/${tenant.id}`, 303);
  });
  return app;
}
