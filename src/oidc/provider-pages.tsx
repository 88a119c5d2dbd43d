// Pages oidc-provider renders itself (errors, sign-out confirmation), in Portico's layout and languages.
import { raw } from 'hono/html';
import type { KoaContextWithOIDC } from 'oidc-provider';

import type { Tenant } from '../directory/tenants.ts';
import { pickLang, t } from '../i18n/index.ts';
import { ErrorPage, Layout } from '../pages/layout.tsx';
import { renderDocument } from '../render.ts';

export const langOf = (ctx: KoaContextWithOIDC) => pickLang(ctx.get('accept-language'));

export const renderProviderError =
  (tenant?: Tenant) =>
  async (ctx: KoaContextWithOIDC, out: { error: string; error_description?: string }, _error: Error): Promise<void> => {
    const lang = langOf(ctx);
    const reason = out.error_description ?? out.error;
    ctx.type = 'html';
    ctx.body = await renderDocument(
      <ErrorPage
        lang={lang}
        tenant={tenant}
        title={t(lang, 'error.title')}
        message={t(lang, 'error.oidc', { reason })}
      />,
    );
  };

export const renderLogout =
  (tenant: Tenant) =>
  async (ctx: KoaContextWithOIDC, form: string): Promise<void> => {
    const lang = langOf(ctx);
    ctx.type = 'html';
    ctx.body = await renderDocument(
      <Layout lang={lang} title={t(lang, 'logout.title')} tenant={tenant}>
        <h1>{t(lang, 'logout.title')}</h1>
        {raw(form)}
        <p>{t(lang, 'logout.question', { tenant: tenant.displayName })}</p>
        <div class="actions">
          <button type="submit" form="op.logoutForm" class="secondary">
            {t(lang, 'logout.no')}
          </button>
          <button type="submit" form="op.logoutForm" name="logout" value="yes" autofocus>
            {t(lang, 'logout.yes')}
          </button>
        </div>
      </Layout>,
    );
  };

export const renderLoggedOut =
  (tenant: Tenant) =>
  async (ctx: KoaContextWithOIDC): Promise<void> => {
    const lang = langOf(ctx);
    ctx.type = 'html';
    ctx.body = await renderDocument(
      <Layout lang={lang} title={t(lang, 'logout.title')} tenant={tenant}>
        <h1>{t(lang, 'logout.title')}</h1>
        <p>{t(lang, 'logout.done', { tenant: tenant.displayName })}</p>
      </Layout>,
    );
  };
