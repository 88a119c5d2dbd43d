// The admin center is a later issue; until then its URL (printed at first start) answers with a page that says
// what exists today instead of a 404.
import { Hono } from 'hono';
import type { Services } from '../services.ts';
import { resolveTenant } from '../directory/tenants.ts';
import { issuerFor } from '../oidc/urls.ts';
import { pickLang } from '../i18n/index.ts';
import { Layout } from './layout.tsx';

export function placeholderRoutes(services: Services) {
  const app = new Hono();
  const page = async (tenantRef: string | undefined, title: string, accept: string | undefined) => {
    const tenant = tenantRef ? await resolveTenant(services.store.db, tenantRef) : undefined;
    const lang = pickLang(accept);
    return (
      <Layout lang={lang} title={title} tenant={tenant}>
        <h1>{title}</h1>
        <p>This part of Portico is not built yet. Meanwhile, everything it will show is available through the API and the CLI:</p>
        <ul>
          <li><code>npx portico --help</code></li>
          <li>the Graph-shaped API at <code>{services.config.baseUrl}/v1.0</code> (see the README)</li>
          {tenant && <li>the OpenID provider at <code>{issuerFor(services.config.baseUrl, tenant.id)}</code></li>}
        </ul>
      </Layout>
    );
  };
  app.get('/admin/:tenant', async (c) => c.html(await page(c.req.param('tenant'), 'Admin center', c.req.header('accept-language'))));
  return app;
}
