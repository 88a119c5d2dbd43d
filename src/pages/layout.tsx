// The one page layout: the tenant's name, logo and colours (through a per-tenant stylesheet, so the CSP can forbid
// inline styles), a main region and the privacy footer. hono/jsx escapes every interpolated value.
import type { Context } from 'hono';
import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

import type { Tenant } from '../directory/tenants.ts';
import { t, type Lang } from '../i18n/index.ts';
import { DOCTYPE } from '../render.ts';

export interface LayoutProps {
  lang: Lang;
  title: string;
  tenant?: Pick<Tenant, 'id' | 'displayName' | 'branding' | 'privacyStatementUrl'> | null;
  /** a wide page (the admin center's tables) instead of the sign-in card */
  wide?: boolean;
  /** reload the page every this many seconds (a progress view that works without JavaScript) */
  refresh?: number;
  children?: Child;
}

export function Layout({ lang, title, tenant, wide, refresh, children }: LayoutProps) {
  // The doctype first, so a page sent with c.html() renders in standards mode (render.ts adds none twice).
  return (
    <>
      {raw(DOCTYPE)}
      <html lang={lang}>
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <meta name="referrer" content="no-referrer" />
          {refresh !== undefined && <meta http-equiv="refresh" content={String(refresh)} />}
          <title>{tenant ? `${title} · ${tenant.displayName}` : `${title} · Portico`}</title>
          <link rel="stylesheet" href="/static/portico.css" />
          {tenant && <link rel="stylesheet" href={`/static/brand/${tenant.id}.css`} />}
        </head>
        <body>
          <main class={wide ? 'card wide' : 'card'} id="main">
            <header class="brand">
              {tenant?.branding.logoUrl ? (
                <img class="logo" src={tenant.branding.logoUrl} alt={tenant.displayName} />
              ) : null}
              <p class="org">{tenant ? tenant.displayName : 'Portico'}</p>
            </header>
            {children}
          </main>
          {tenant && (
            <footer class="footer">
              {tenant.privacyStatementUrl ? (
                <a href={tenant.privacyStatementUrl} rel="noopener noreferrer">
                  {t(lang, 'footer.privacy')}
                </a>
              ) : (
                <span>{t(lang, 'footer.noPrivacy', { tenant: tenant.displayName })}</span>
              )}
            </footer>
          )}
        </body>
      </html>
    </>
  );
}

export interface MessageProps {
  lang: Lang;
  tenant?: LayoutProps['tenant'];
  title: string;
  message: string;
  /** 'info': a plain paragraph; 'done': announced as a status; 'error': announced as an alert */
  status?: 'info' | 'done' | 'error';
  /** the ways forward from here (links, a sign-out form), below the sentence */
  actions?: Child;
}

/** A page that only says one thing: a heading and a sentence. */
export function MessagePage({ lang, tenant, title, message, status = 'info', actions }: MessageProps) {
  return (
    <Layout lang={lang} title={title} tenant={tenant}>
      <h1>{title}</h1>
      <p
        class={status === 'error' ? 'error' : undefined}
        role={status === 'error' ? 'alert' : status === 'done' ? 'status' : undefined}
      >
        {message}
      </p>
      {actions}
    </Layout>
  );
}

export const ErrorPage = (p: Omit<MessageProps, 'status'>) => <MessagePage {...p} status="error" />;

/** A paragraph of links: the ways forward from a refusal. */
export const Forward = ({ links }: { links: readonly (readonly [href: string, label: string])[] }) => (
  <p class="forward">
    {links.map(([href, label]) => (
      <a href={href}>{label}</a>
    ))}
  </p>
);

/**
 * Answers with an error page under the generic heading ("Something went wrong"): `message` in the tenant's layout,
 * and the start page as a way forward.
 */
export const errorResponse = (
  c: Pick<Context, 'html'>,
  lang: Lang,
  tenant: MessageProps['tenant'],
  message: string,
  status: ContentfulStatusCode,
) =>
  c.html(
    <ErrorPage
      lang={lang}
      tenant={tenant}
      title={t(lang, 'error.title')}
      message={message}
      actions={<Forward links={[['/', t(lang, 'shell.forward.start')]]} />}
    />,
    status,
  );

/** Answers with an error page: `title` above `message`, in the layout of the reader's `tenant` and language. */
export const errorPage = (
  c: Pick<Context, 'html'>,
  reader: Pick<MessageProps, 'lang' | 'tenant'>,
  title: string,
  message: string,
  status: ContentfulStatusCode,
) => c.html(<ErrorPage lang={reader.lang} tenant={reader.tenant} title={title} message={message} />, status);
