// The opt-out pages an invitation email links to. The link's sealed token names the address and the organization,
// or the person types the address; either way nothing changes until they type the code mailed to that address,
// and each code allows one change (block this organization or all, or allow again). The state is shown only after
// that proof. Forms carry a token bound to an HttpOnly cookie (a cross-site POST has neither); codes and attempts
// are limited as passcodes are (passcodes/codes.ts) and per IP and address here.
import type { HttpBindings } from '@hono/node-server';
import { Hono, type Context } from 'hono';

import { addressError } from '../directory/address.ts';
import { getTenant, type Tenant } from '../directory/tenants.ts';
import { TooManyRequests } from '../errors.ts';
import { clientIp } from '../http/client-ip.ts';
import { formCookieTokens } from '../http/form-cookie.ts';
import { createRateLimiter } from '../http/rate-limit.ts';
import { pickLang, t, type Lang } from '../i18n/index.ts';
import { enqueue } from '../mail/outbox.ts';
import { Choice } from '../pages/fields.tsx';
import { Layout } from '../pages/layout.tsx';
import { redirectAfterPost, showResult } from '../pages/results.ts';
import { CODE_DEFAULTS, issueCode, verifyCode, type CodeRef } from '../passcodes/codes.ts';
import type { Services } from '../services.ts';
import { normalize } from '../store/json.ts';
import { renderOptOutCode } from './lifecycle-mail.ts';
import { addressKey, block, blockState, optOutToken, readOptOutToken, unblock, type OptOutTarget } from './optout.ts';

type Env = { Bindings: HttpBindings };
const REALM = 'optout';
const FORM_COOKIE = 'portico_optout_form';
const CHOICES = ['blockTenant', 'blockAll', 'allowTenant', 'allowAll'] as const;
type Choice = (typeof CHOICES)[number];

const field = (form: Record<string, unknown>, name: string) =>
  typeof form[name] === 'string' ? (form[name] as string) : '';

function StartPage({
  lang,
  token,
  target,
  tenant,
  formError,
}: {
  lang: Lang;
  token: string;
  target?: OptOutTarget & { token: string };
  tenant?: Tenant;
  formError?: string;
}) {
  return (
    <Layout lang={lang} title={t(lang, 'optout.title')}>
      <h1>{t(lang, 'optout.title')}</h1>
      <p class="muted">{t(lang, 'optout.intro')}</p>
      <form method="post" action="/optout/code">
        {formError && (
          <p class="error" role="alert">
            {formError}
          </p>
        )}
        <input type="hidden" name="token" value={token} />
        {target ? (
          <>
            <p>
              <strong>{t(lang, 'optout.forAddress', { address: target.address })}</strong>
            </p>
            {tenant && <p>{t(lang, 'optout.fromTenant', { tenant: tenant.displayName })}</p>}
          </>
        ) : (
          <>
            <label for="email">{t(lang, 'optout.email')}</label>
            <input id="email" name="email" type="email" required autocomplete="email" maxlength={254} />
          </>
        )}
        {target && <input type="hidden" name="l" value={target.token} />}
        <p class="muted">{t(lang, 'optout.proof')}</p>
        <div class="actions">
          <span />
          <button type="submit">{t(lang, 'optout.send')}</button>
        </div>
      </form>
    </Layout>
  );
}

function ConfirmPage({
  lang,
  token,
  target,
  tenant,
  error,
  notice,
}: {
  lang: Lang;
  token: string;
  target: OptOutTarget & { token: string };
  tenant?: Tenant;
  error?: string;
  notice?: string;
}) {
  const choices = CHOICES.filter((c) => tenant || (c !== 'blockTenant' && c !== 'allowTenant'));
  const p = {
    tenant: tenant?.displayName ?? '',
    address: target.address,
    minutes: String(CODE_DEFAULTS.validityMinutes),
  };
  return (
    <Layout lang={lang} title={t(lang, 'optout.code.title')}>
      <h1>{t(lang, 'optout.code.title')}</h1>
      <p class="muted">{t(lang, 'optout.code.sent', p)}</p>
      {notice && (
        <p class="muted" role="status">
          {notice}
        </p>
      )}
      <form method="post" action="/optout/confirm">
        {error && (
          <p id="optout-error" class="error" role="alert">
            {error}
          </p>
        )}
        <input type="hidden" name="token" value={token} />
        <input type="hidden" name="l" value={target.token} />
        <label for="code">{t(lang, 'optout.code')}</label>
        <p id="code-hint" class="muted">
          {t(lang, 'optout.code.hint')}
        </p>
        <input
          id="code"
          name="code"
          type="text"
          required
          autofocus
          autocomplete="one-time-code"
          inputmode="numeric"
          maxlength={12}
          aria-describedby="code-hint"
        />
        <fieldset>
          <legend>{t(lang, 'optout.choice')}</legend>
          {choices.map((c, i) => (
            <Choice id={`choice-${c}`} name="choice" type="radio" value={c} checked={i === 0}>
              {t(lang, `optout.choice.${c}` as const, p)}
            </Choice>
          ))}
        </fieldset>
        <div class="actions">
          <span />
          <button type="submit">{t(lang, 'optout.confirm')}</button>
        </div>
      </form>
      <form method="post" action="/optout/code">
        <input type="hidden" name="token" value={token} />
        <input type="hidden" name="l" value={target.token} />
        <input type="hidden" name="resend" value="1" />
        <div class="actions">
          <span />
          <button type="submit" class="secondary">
            {t(lang, 'optout.resend')}
          </button>
        </div>
      </form>
    </Layout>
  );
}

function DonePage({
  lang,
  target,
  tenant,
  state,
}: {
  lang: Lang;
  target: OptOutTarget & { token: string };
  tenant?: Tenant;
  state: { tenant: boolean; everywhere: boolean; others: boolean };
}) {
  const p = { tenant: tenant?.displayName ?? '', address: target.address };
  const lines = state.everywhere
    ? [t(lang, 'optout.state.everywhere', p)]
    : state.tenant
      ? [t(lang, 'optout.state.tenant', p)]
      : [
          tenant ? t(lang, 'optout.state.tenantAllowed', p) : t(lang, 'optout.state.none', p),
          ...(state.others ? [t(lang, 'optout.state.someLeft')] : []),
        ];
  return (
    <Layout lang={lang} title={t(lang, 'optout.done.title')}>
      <h1>{t(lang, 'optout.done.title')}</h1>
      {lines.map((line) => (
        <p role="status">{line}</p>
      ))}
      <p>
        <a href={`/optout?l=${encodeURIComponent(target.token)}`}>{t(lang, 'optout.change')}</a>
      </p>
    </Layout>
  );
}

export function optOutRoutes(services: Services) {
  const { store, clock, config } = services;
  const app = new Hono<Env>();
  const secure = config.baseUrl.startsWith('https:');
  // ux-flow: post/redirect/get (pages/results.ts): a code mailed or a choice saved shows its page once at a GET
  // address, so a reload mails and saves nothing again; a refusal too (a wrong code is not tried again).
  app.use(
    '/optout/*',
    redirectAfterPost(services, () => ({ base: '/optout', back: '/optout', everyPage: true })),
  );
  app.get('/optout/results/:id', (c) => showResult(c, services, '/optout'));
  // Counted in the store (http/rate-limit.ts), so they hold across nodes: per IP and per address.
  const perIp = createRateLimiter(store, clock, { name: 'optout-ip', limit: 30, windowMs: 15 * 60_000 });
  const perAddress = createRateLimiter(store, clock, { name: 'optout-address', limit: 10, windowMs: 15 * 60_000 });
  const langOf = (c: Context<Env>) => pickLang(c.req.header('accept-language'));
  const form = formCookieTokens(store.db, {
    cookie: FORM_COOKIE,
    path: '/optout',
    keyName: 'optout-cookie-key',
    secure,
  });
  const formToken = (c: Context<Env>) => form.token(c);
  const formTokenOk = (c: Context<Env>, token: unknown) => form.matches(c, token);
  /** The link's target with its token, and the organization it names (when it still exists). */
  async function targetOf(
    token: string,
  ): Promise<{ target: OptOutTarget & { token: string }; tenant?: Tenant } | undefined> {
    const target = await readOptOutToken(store.db, token);
    if (!target) return undefined;
    const tenant = target.tenantId ? await getTenant(store.db, target.tenantId) : undefined;
    return { target: { ...target, tenantId: tenant?.id ?? null, token }, tenant };
  }
  const codeRef = async (address: string): Promise<CodeRef> => ({
    realm: REALM,
    purpose: 'invitation-optout',
    subject: await addressKey(store.db, address),
  });

  app.get('/optout', async (c) => {
    const lang = langOf(c);
    const l = c.req.query('l');
    const found = l ? await targetOf(l) : undefined;
    const error = l && !found ? t(lang, 'optout.error.badLink') : undefined;
    return c.html(
      <StartPage
        lang={lang}
        token={await formToken(c)}
        target={found?.target}
        tenant={found?.tenant}
        formError={error}
      />,
      error ? 400 : 200,
    );
  });

  app.post('/optout/code', async (c) => {
    const lang = langOf(c);
    const form = await c.req.parseBody();
    const l = field(form, 'l');
    const found = l ? await targetOf(l) : undefined;
    const again = (formError: string, status: 400 | 429) =>
      found && form.resend === '1'
        ? formToken(c).then((token) =>
            c.html(
              <ConfirmPage lang={lang} token={token} target={found.target} tenant={found.tenant} error={formError} />,
              status,
            ),
          )
        : formToken(c).then((token) =>
            c.html(
              <StartPage
                lang={lang}
                token={token}
                target={found?.target}
                tenant={found?.tenant}
                formError={formError}
              />,
              status,
            ),
          );
    if (!(await formTokenOk(c, form.token))) return again(t(lang, 'optout.error.formExpired'), 400);
    if (!(await perIp.hit(`code:${clientIp(c)}`))) return again(t(lang, 'optout.error.throttled'), 429);
    const email = field(form, 'email').trim();
    if (!found && l) return again(t(lang, 'optout.error.badLink'), 400);
    const wrong = found ? undefined : addressError(lang, email);
    if (wrong) return again(wrong, 400);
    const target = found?.target ?? {
      address: normalize(email),
      tenantId: null,
      token: await optOutToken(store.db, { address: normalize(email), tenantId: null }),
    };
    if (!(await perAddress.hit(`code:${target.address}`))) return again(t(lang, 'optout.error.throttled'), 429);
    const ref = await codeRef(target.address);
    try {
      await store.transaction(async (tx) => {
        const { code } = await issueCode(tx, clock, ref, target.address, clientIp(c));
        const m = await renderOptOutCode({
          lang,
          address: target.address,
          code,
          minutes: CODE_DEFAULTS.validityMinutes,
        });
        await enqueue(tx, clock, REALM, 'optout-code', {
          fromName: m.fromName,
          to: [target.address],
          subject: m.subject,
          text: m.text,
          html: m.html,
        });
      });
    } catch (error) {
      if (error instanceof TooManyRequests) return again(t(lang, 'optout.error.throttled'), 429);
      throw error;
    }
    return c.redirect(
      `/optout/confirm?l=${encodeURIComponent(target.token)}${form.resend === '1' ? '&resent=1' : ''}`,
      303,
    );
  });

  app.get('/optout/confirm', async (c) => {
    const lang = langOf(c);
    const found = await targetOf(c.req.query('l') ?? '');
    if (!found) return c.redirect('/optout', 303);
    const notice = c.req.query('resent') === '1' ? t(lang, 'optout.resent') : undefined;
    return c.html(
      <ConfirmPage
        lang={lang}
        token={await formToken(c)}
        target={found.target}
        tenant={found.tenant}
        notice={notice}
      />,
    );
  });

  app.post('/optout/confirm', async (c) => {
    const lang = langOf(c);
    const form = await c.req.parseBody();
    const found = await targetOf(field(form, 'l'));
    if (!found) return c.redirect('/optout', 303);
    const { target, tenant } = found;
    const refuse = async (key: Parameters<typeof t>[1], status: 400 | 429) =>
      c.html(
        <ConfirmPage lang={lang} token={await formToken(c)} target={target} tenant={tenant} error={t(lang, key)} />,
        status,
      );
    if (!(await formTokenOk(c, form.token))) return refuse('optout.error.formExpired', 400);
    if (!(await perIp.hit(`confirm:${clientIp(c)}`)) || !(await perAddress.hit(`confirm:${target.address}`)))
      return refuse('optout.error.throttled', 429);
    const choice = field(form, 'choice') as Choice;
    if (!CHOICES.includes(choice) || (!target.tenantId && (choice === 'blockTenant' || choice === 'allowTenant')))
      return refuse('optout.error.choice', 400);
    const code = field(form, 'code').replace(/[\s-]/g, '');
    if (!/^\d{6}$/.test(code)) return refuse('optout.error.codeFormat', 400);
    const check = await verifyCode(store.db, clock, await codeRef(target.address), code);
    if (check.result === 'throttled') return refuse('optout.error.throttled', 429);
    if (check.result !== 'ok' || check.email !== target.address) {
      return refuse(
        check.result === 'expired'
          ? 'optout.error.codeExpired'
          : check.result === 'locked'
            ? 'optout.error.codeLocked'
            : 'optout.error.codeWrong',
        400,
      );
    }
    const state = await store.transaction(async (tx) => {
      if (choice === 'blockTenant') await block(tx, clock, target.address, target.tenantId);
      else if (choice === 'blockAll') await block(tx, clock, target.address, null);
      else await unblock(tx, target.address, choice === 'allowTenant' ? target.tenantId : null);
      const now = await blockState(tx, target.address, target.tenantId);
      const all = await tx
        .selectFrom('invitation_blocks')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('address_key', '=', await addressKey(tx, target.address))
        .executeTakeFirst();
      return { ...now, others: Number(all?.n ?? 0) > Number(now.tenant) + Number(now.everywhere) };
    });
    return c.html(<DonePage lang={lang} target={target} tenant={tenant} state={state} />);
  });

  return app;
}
