// The device code flow's pages (oidc/device-flow.ts), which oidc-provider renders itself, in Portico's layout and
// languages: the code form (again, with what was wrong) and the done page. "Are you trying to sign in to <app>?"
// comes between them, after the sign-in, from the sign-in pages (interactions/device.tsx).
// Plain forms without JavaScript; the provider's `xsrf` value binds each POST to the browser's provider session.
import type { KoaContextWithOIDC } from 'oidc-provider';

import type { Tenant } from '../directory/tenants.ts';
import { t, type Lang, type Messages } from '../i18n/index.ts';
import { Alert, Submit } from '../pages/fields.tsx';
import { Layout, MessagePage } from '../pages/layout.tsx';
import { renderDocument } from '../render.ts';
import { langOf } from './provider-pages.tsx';

/** What the code form says above the field after an error oidc-provider (or the rate limit) raised, and its status. */
const SAID: Record<string, [keyof Messages, 400 | 429]> = {
  NoCodeError: ['device.wrong', 400],
  NotFoundError: ['device.wrong', 400],
  ExpiredError: ['device.expired', 400],
  AlreadyUsedError: ['device.used', 400],
  ThrottledError: ['signin.throttled', 429],
};

function CodePage(props: { lang: Lang; tenant: Tenant; action: string; xsrf: string; value?: string; error?: string }) {
  const { lang, tenant, action, xsrf, value, error } = props;
  return (
    <Layout lang={lang} title={t(lang, 'device.title')} tenant={tenant}>
      <h1>{t(lang, 'device.title')}</h1>
      <p>{t(lang, 'device.intro', { tenant: tenant.displayName })}</p>
      <form method="post" action={action} novalidate>
        <input type="hidden" name="xsrf" value={xsrf} />
        {/* The app is confirmed after the sign-in (interactions/device.tsx), not before as oidc-provider would. */}
        <input type="hidden" name="confirm" value="yes" />
        <label for="user_code">{t(lang, 'device.code')}</label>
        <input
          id="user_code"
          name="user_code"
          type="text"
          autocomplete="off"
          autocapitalize="characters"
          spellcheck={false}
          maxlength={32}
          required
          autofocus
          value={value ?? ''}
          aria-invalid={error ? 'true' : undefined}
          aria-describedby={error ? 'user_code-error' : undefined}
        />
        <Alert id="user_code-error" text={error} />
        <Submit label={t(lang, 'device.next')} />
      </form>
    </Layout>
  );
}

/** oidc-provider's `userCodeInputSource`: the code form, or after an error the form again saying what was wrong. */
export const renderDeviceCode =
  (tenant: Tenant) =>
  async (
    ctx: KoaContextWithOIDC,
    _form: string,
    out?: { error: string; error_description?: string },
    error?: Error,
  ): Promise<void> => {
    const lang = langOf(ctx);
    ctx.type = 'html';
    if (error?.name === 'AbortedError' || error?.name === 'ThrottledError' || (error && !SAID[error.name])) {
      // Nothing to type again here: the sign-in was cancelled, refused, or this address must wait.
      const [key, status] = SAID[error.name] ?? [
        error.name === 'AbortedError' ? 'device.aborted' : 'device.failed',
        400,
      ];
      ctx.status = error.name === 'AbortedError' ? 200 : status;
      const reason = out?.error_description ?? out?.error ?? 'server_error';
      ctx.body = await renderDocument(
        <MessagePage
          lang={lang}
          tenant={tenant}
          title={t(lang, key === 'device.aborted' ? 'device.title' : 'error.title')}
          message={t(lang, key, { reason })}
          status={key === 'device.aborted' ? 'info' : 'error'}
        />,
      );
      return;
    }
    const said = error ? SAID[error.name] : undefined;
    if (said) ctx.status = said[1];
    ctx.body = await renderDocument(
      <CodePage
        lang={lang}
        tenant={tenant}
        action={ctx.oidc.urlFor('code_verification')}
        xsrf={String(ctx.oidc.session?.state?.secret ?? '')}
        value={
          (error as (Error & { userCode?: string }) | undefined)?.userCode ??
          (ctx.state as { userCode?: string }).userCode
        }
        error={said && t(lang, said[0])}
      />,
    );
  };

/**
 * oidc-provider's `userCodeConfirmSource`, for a code posted without `confirm` (the code form always sends it): the
 * form again with the code filled in. The app is confirmed after the sign-in (interactions/device.tsx).
 */
export const renderDeviceConfirm =
  (tenant: Tenant) =>
  async (ctx: KoaContextWithOIDC, _form: string, _client: unknown, _deviceInfo: unknown, userCode: string) => {
    ctx.type = 'html';
    ctx.body = await renderDocument(
      <CodePage
        lang={langOf(ctx)}
        tenant={tenant}
        action={ctx.oidc.urlFor('code_verification')}
        xsrf={String(ctx.oidc.session?.state?.secret ?? '')}
        value={userCode}
      />,
    );
  };

/** oidc-provider's `successSource`: the device may go on; this window may close. */
export const renderDeviceDone =
  (tenant: Tenant) =>
  async (ctx: KoaContextWithOIDC): Promise<void> => {
    const lang = langOf(ctx);
    const client = ctx.oidc.client;
    ctx.type = 'html';
    ctx.body = await renderDocument(
      <MessagePage
        lang={lang}
        tenant={tenant}
        title={t(lang, 'device.done.title')}
        message={t(lang, 'device.done', { app: client?.clientName ?? client?.clientId ?? '' })}
        status="done"
      />,
    );
  };
