// The terms-of-use page the redemption and sign-in flows show, and the route that serves an agreement's file
// (the PDF the page links to). Text files are shown on the page itself, escaped, with their line breaks kept;
// Markdown files as HTML (markdown.ts: raw HTML in them is shown as text).
import { Hono } from 'hono';
import { raw } from 'hono/html';

import { t, type Lang } from '../i18n/index.ts';
import { Csrf } from '../pages/csrf.tsx';
import { Layout, type LayoutProps } from '../pages/layout.tsx';
import type { Services } from '../services.ts';
import { markdownToHtml } from './markdown.ts';
import { fileFor, getAgreement, type Agreement, type AgreementFile } from './terms.ts';

export interface TermsPageProps {
  lang: Lang;
  tenant: NonNullable<LayoutProps['tenant']>;
  agreement: Pick<Agreement, 'id' | 'displayName' | 'version'>;
  /** the file to show, from fileFor() */
  file: AgreementFile;
  /** where the form posts (decision=accept|decline, csrf, viewed) */
  action: string;
  csrf: string;
  /** agreement.isViewingBeforeAcceptanceRequired: the "I have read" box must be ticked to accept */
  mustExpand: boolean;
  /** a message shown above the form (already translated) */
  error?: string;
}

/** Where a file of an agreement version is served (GET, no sign-in: terms are shown before one). */
export const termsFileUrl = (tenantId: string, agreementId: string, version: number, lang: string): string =>
  `/terms/${encodeURIComponent(tenantId)}/${encodeURIComponent(agreementId)}/${version}/${encodeURIComponent(lang)}`;

/** Plain text as paragraphs (blank lines) and line breaks, every character escaped by hono/jsx. */
function TextTerms({ text, label }: { text: string; label: string }) {
  const paragraphs = text
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n')
    .split(/\n{2,}/)
    .filter((p) => p.trim() !== '');
  return (
    <section class="terms" aria-label={label} tabindex={0}>
      {paragraphs.map((p) => {
        const lines = p.split('\n');
        return <p>{lines.flatMap((line, i) => (i === 0 ? [line] : [<br />, line]))}</p>;
      })}
    </section>
  );
}

export function TermsPage({ lang, tenant, agreement, file, action, csrf, mustExpand, error }: TermsPageProps) {
  const isPdf = file.contentType === 'application/pdf';
  return (
    <Layout lang={lang} title={t(lang, 'terms.title')} tenant={tenant}>
      <h1>{agreement.displayName}</h1>
      <p class="muted">{t(lang, 'terms.intro', { tenant: tenant.displayName, name: agreement.displayName })}</p>
      {isPdf ? (
        <p class="terms">
          {t(lang, 'terms.pdf')}{' '}
          <a
            href={termsFileUrl(tenant.id, agreement.id, agreement.version, file.language)}
            target="_blank"
            rel="noopener noreferrer"
            hreflang={file.language}
          >
            {t(lang, 'terms.openPdf', { name: file.fileName })}
          </a>
        </p>
      ) : (
        <div lang={file.language}>
          {file.contentType === 'text/markdown' ? (
            <section class="terms" aria-label={t(lang, 'terms.title')} tabindex={0}>
              {/* The one HTML not written by JSX: markdown-it's, with raw HTML off, so the file's own is escaped. */}
              {raw(markdownToHtml(file.content.toString('utf8')))}
            </section>
          ) : (
            <TextTerms text={file.content.toString('utf8')} label={t(lang, 'terms.title')} />
          )}
        </div>
      )}
      {error && (
        <p id="terms-error" class="error" role="alert">
          {error}
        </p>
      )}
      <form method="post" action={action}>
        <Csrf value={csrf} />
        <input type="hidden" name="version" value={String(agreement.version)} />
        {mustExpand && (
          <label for="viewed">
            <input
              id="viewed"
              name="viewed"
              type="checkbox"
              value="1"
              required
              aria-describedby={error ? 'terms-error' : undefined}
            />{' '}
            {t(lang, 'terms.viewed')}
          </label>
        )}
        <div class="actions">
          <button type="submit" name="decision" value="decline" class="secondary" formnovalidate>
            {t(lang, 'terms.decline')}
          </button>
          <button type="submit" name="decision" value="accept">
            {t(lang, 'terms.accept')}
          </button>
        </div>
      </form>
    </Layout>
  );
}

/**
 * Reads the page's form: the decision, and for an accept that needs viewing, the ticked box (the browser's
 * `required` is not a check). Returns the i18n key of the message to show when the answer is incomplete.
 */
export function readTermsForm(
  form: Record<string, unknown>,
  mustExpand: boolean,
): { decision: 'accept' | 'decline'; version: number | undefined } | { error: 'terms.mustView' } {
  const decision = form.decision === 'decline' ? 'decline' : form.decision === 'accept' ? 'accept' : undefined;
  if (!decision || (decision === 'accept' && mustExpand && form.viewed !== '1')) return { error: 'terms.mustView' };
  const version = typeof form.version === 'string' && /^\d{1,9}$/.test(form.version) ? Number(form.version) : undefined;
  return { decision, version };
}

/** A Content-Disposition naming the file (ASCII fallback and the UTF-8 name), shown in place or downloaded. */
export const contentDisposition = (name: string, type: 'inline' | 'attachment' = 'inline') =>
  `${type}; filename="${name.replace(/[^\x20-\x7e]|["\\]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(name)}`;

/** GET /terms/:tenantId/:agreementId/:version/:lang: the file of that version in the best language, inline. */
export function termsFileRoutes(services: Services) {
  const app = new Hono();
  app.get('/terms/:tenantId/:agreementId/:version/:lang', async (c) => {
    const { tenantId, agreementId, version, lang } = c.req.param();
    if (!/^\d{1,9}$/.test(version)) return c.notFound();
    const tenant = tenantId.toLowerCase();
    const agreement = await getAgreement(services.store.db, tenant, agreementId);
    if (!agreement || Number(version) > agreement.version) return c.notFound();
    const file = await fileFor(services.store.db, tenant, agreement.id, Number(version), lang);
    if (!file) return c.notFound();
    const type = file.contentType === 'application/pdf' ? 'application/pdf' : `${file.contentType}; charset=utf-8`;
    return c.body(new Uint8Array(file.content), 200, {
      'content-type': type,
      'content-disposition': contentDisposition(file.fileName),
      'content-language': file.language,
      'x-content-type-options': 'nosniff',
      'cache-control': 'private, max-age=300',
    });
  });
  return app;
}
