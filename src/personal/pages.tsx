// The personal realm's own pages: sign up, verify the address with a mailed code, reset a forgotten password.
// Nothing a page shows or sends tells whether an address has an account: signing up an existing address mails its
// owner a notice instead of a code, and resetting an unknown address mails nothing, yet the browser gets the same
// redirect, page and (decoy) flow cookie, and the same code limits apply. Pages work without JavaScript. Every page a
// POST renders is shown at a GET address once (post/redirect/get, pages/results.ts), then the form's own page.
import type { HttpBindings } from '@hono/node-server';
import { Hono, type Context } from 'hono';

import { addressError } from '../directory/address.ts';
import { ObjectConflict, TooManyRequests } from '../errors.ts';
import { clientIp } from '../http/client-ip.ts';
import { createRateLimiter } from '../http/rate-limit.ts';
import { pickLang, t, type Lang, type Messages } from '../i18n/index.ts';
import { enqueue } from '../mail/outbox.ts';
import { Layout, MessagePage } from '../pages/layout.tsx';
import { redirectAfterPost, showResult } from '../pages/results.ts';
import { CODE_DEFAULTS, codeSentSince, issueCode, latestCode, verifyCode, type CodeCheck } from '../passcodes/codes.ts';
import { hashPassword, newId } from '../secrets.ts';
import type { Services } from '../services.ts';
import type { Tx } from '../store/index.ts';
import { normalize } from '../store/json.ts';
import type { CodePurpose } from '../store/schema.ts';
import {
  createPersonalAccount,
  findPersonalAccount,
  getPersonalAccount,
  isDisplayName,
  markVerified,
  PASSWORD_MIN_LENGTH,
  PERSONAL_REALM,
  setPersonalPassword,
} from './accounts.ts';
import { flowCookies, type FlowPurpose } from './flow.ts';
import { renderPersonalMail, type PersonalMail } from './mail.tsx';
import { passwordError } from './password-messages.ts';

type Env = { Bindings: HttpBindings };
type Errors = Record<string, string | undefined>;

interface FieldDef {
  id: string;
  label: string;
  type?: 'text' | 'email' | 'password';
  value?: string;
  hint?: string;
  autocomplete?: string;
  inputmode?: 'numeric';
  maxlength?: number;
}

function Field({ f, error, focus }: { f: FieldDef; error?: string; focus: boolean }) {
  const describedBy =
    [f.hint ? `${f.id}-hint` : '', error ? `${f.id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <>
      <label for={f.id}>{f.label}</label>
      {f.hint && (
        <p id={`${f.id}-hint`} class="muted">
          {f.hint}
        </p>
      )}
      <input
        id={f.id}
        name={f.id}
        type={f.type ?? 'text'}
        required
        autocomplete={f.autocomplete}
        inputmode={f.inputmode}
        maxlength={f.maxlength}
        value={f.type === 'password' ? '' : (f.value ?? '')}
        autofocus={focus}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={describedBy}
      />
      {error && (
        <p id={`${f.id}-error`} class="error" role="alert">
          {error}
        </p>
      )}
    </>
  );
}

interface FormPageProps {
  lang: Lang;
  title: string;
  intro?: string;
  action: string;
  token: string;
  fields: FieldDef[];
  errors?: Errors;
  formError?: string;
  notice?: string;
  submit: string;
  /** a second form (e.g. "send a new code") posting to this action */
  secondary?: { action: string; label: string };
  links?: { href: string; label: string }[];
}

/** A page with one form: labels, the first invalid (else first) field focused, errors tied to fields with aria-describedby. */
function FormPage(p: FormPageProps) {
  const errors = p.errors ?? {};
  const focusId = p.fields.find((f) => errors[f.id])?.id ?? p.fields[0]?.id;
  return (
    <Layout lang={p.lang} title={p.title}>
      <h1>{p.title}</h1>
      {p.intro && <p class="muted">{p.intro}</p>}
      {p.notice && (
        <p class="muted" role="status">
          {p.notice}
        </p>
      )}
      <form method="post" action={p.action} novalidate aria-describedby={p.formError ? 'form-error' : undefined}>
        {p.formError && (
          <p id="form-error" class="error" role="alert">
            {p.formError}
          </p>
        )}
        <input type="hidden" name="token" value={p.token} />
        {p.fields.map((f) => (
          <Field f={f} error={errors[f.id]} focus={f.id === focusId} />
        ))}
        <div class="actions">
          {p.links?.length ? (
            <span>
              {p.links.map((l) => (
                <a href={l.href}>{l.label}</a>
              ))}
            </span>
          ) : (
            <span />
          )}
          <button type="submit">{p.submit}</button>
        </div>
      </form>
      {p.secondary && (
        <form method="post" action={p.secondary.action}>
          <input type="hidden" name="token" value={p.token} />
          <div class="actions">
            <span />
            <button type="submit" class="secondary">
              {p.secondary.label}
            </button>
          </div>
        </form>
      )}
    </Layout>
  );
}

/** What a page shows besides its definition: typed values, errors, a notice, the status. */
interface PageOptions {
  values?: Record<string, string>;
  errors?: Errors;
  formError?: string;
  notice?: string;
  status?: 200 | 400 | 429;
}

/** One page of the personal realm: its texts, where it posts, and its fields (given the values typed). */
interface PersonalPage {
  /** names its title and submit texts: personal.<name>.title and .submit */
  name: 'signup' | 'verify' | 'reset' | 'confirm';
  /** the intro text, given the code's validity in minutes */
  intro: keyof Messages;
  action: string;
  /** where "send a new code" posts */
  resend?: string;
  links?: (lang: Lang) => { href: string; label: string }[];
  fields: (lang: Lang, values: Record<string, string>) => FieldDef[];
}

const emailField = (label: string, value: string | undefined): FieldDef => ({
  id: 'email',
  label,
  type: 'email',
  autocomplete: 'username',
  value,
  maxlength: 254,
});
const codeField = (lang: Lang, label: keyof Messages): FieldDef => ({
  id: 'code',
  label: t(lang, label),
  autocomplete: 'one-time-code',
  inputmode: 'numeric',
  maxlength: 12,
  hint: t(lang, 'personal.verify.codeHint'),
});
const newPasswordField = (lang: Lang, label: keyof Messages): FieldDef => ({
  id: 'password',
  label: t(lang, label),
  type: 'password',
  autocomplete: 'new-password',
  hint: t(lang, 'personal.signup.passwordHint', { min: String(PASSWORD_MIN_LENGTH) }),
});
const minutes = String(CODE_DEFAULTS.validityMinutes);
const signupLink = (lang: Lang) => ({ href: '/personal/signup', label: t(lang, 'personal.startSignup') });
const resetLink = (lang: Lang) => ({ href: '/personal/reset', label: t(lang, 'personal.startReset') });

const PAGES = {
  signup: {
    name: 'signup',
    intro: 'personal.signup.intro',
    action: '/personal/signup',
    links: (lang) => [{ href: '/personal/reset', label: t(lang, 'personal.signup.haveAccount') }],
    fields: (lang, v) => [
      emailField(t(lang, 'personal.signup.email'), v.email),
      {
        id: 'displayName',
        label: t(lang, 'personal.signup.displayName'),
        autocomplete: 'name',
        value: v.displayName,
        maxlength: 256,
      },
      newPasswordField(lang, 'personal.signup.password'),
    ],
  },
  verify: {
    name: 'verify',
    intro: 'personal.verify.sent',
    action: '/personal/verify',
    resend: '/personal/verify/resend',
    fields: (lang) => [codeField(lang, 'personal.verify.code')],
  },
  reset: {
    name: 'reset',
    intro: 'personal.reset.intro',
    action: '/personal/reset',
    links: (lang) => [signupLink(lang)],
    fields: (lang, v) => [emailField(t(lang, 'personal.reset.email'), v.email)],
  },
  confirm: {
    name: 'confirm',
    intro: 'personal.confirm.sent',
    action: '/personal/reset/confirm',
    resend: '/personal/reset/resend',
    fields: (lang, v) => [
      emailField(t(lang, 'personal.confirm.email'), v.email),
      codeField(lang, 'personal.confirm.code'),
      newPasswordField(lang, 'personal.confirm.password'),
    ],
  },
} satisfies Record<string, PersonalPage>;

const throttled = (lang: Lang): PageOptions => ({ formError: t(lang, 'personal.error.throttled'), status: 429 });

const field = (form: Record<string, unknown>, name: string): string =>
  typeof form[name] === 'string' ? (form[name] as string) : '';
const codePurposeOf = (purpose: FlowPurpose): CodePurpose =>
  purpose === 'verify' ? 'personal-verify' : 'personal-reset';
/** The typed code with spaces and dashes removed, or undefined when it is not 6 digits. */
const cleanCode = (typed: string): string | undefined => {
  const code = typed.replace(/[\s-]/g, '');
  return /^\d{6}$/.test(code) ? code : undefined;
};

export function personalRoutes(services: Services) {
  const { store, clock, config } = services;
  const app = new Hono<Env>();
  const cookies = flowCookies(store.db, clock, config.baseUrl.startsWith('https:'));
  // A reload of what a POST showed never posts again: the form's page (a resend's: its flow's page) instead.
  app.use(
    '/personal/*',
    redirectAfterPost(services, (c) => ({
      base: '/personal',
      back: c.req.path.replace(/\/resend$/, c.req.path.startsWith('/personal/reset') ? '/confirm' : ''),
      everyPage: true,
    })),
  );
  app.get('/personal/results/:id', (c) => showResult(c, services, '/personal/signup'));
  // Counted in the store (http/rate-limit.ts), so they hold across nodes: per IP, and per address or flow subject.
  const perIp = createRateLimiter(store, clock, { name: 'personal-ip', limit: 30, windowMs: 15 * 60_000 });
  const perKey = createRateLimiter(store, clock, { name: 'personal-key', limit: 10, windowMs: 15 * 60_000 });

  const langOf = (c: Context<Env>) => pickLang(c.req.header('accept-language'));
  const ipOf = (c: Context<Env>) => clientIp(c);

  async function mail(tx: Tx, to: string, m: PersonalMail): Promise<void> {
    const r = await renderPersonalMail(m);
    await enqueue(tx, clock, PERSONAL_REALM, `personal-${m.kind}`, {
      fromName: r.fromName,
      to: [to],
      subject: r.subject,
      text: r.text,
      html: r.html,
    });
  }

  /** A page of the personal realm, with a fresh form token. */
  const show = async (c: Context<Env>, lang: Lang, page: PersonalPage, o: PageOptions = {}) =>
    c.html(
      <FormPage
        lang={lang}
        title={t(lang, `personal.${page.name}.title`)}
        intro={t(lang, page.intro, { minutes })}
        action={page.action}
        token={await cookies.formToken(c)}
        errors={o.errors}
        formError={o.formError}
        notice={o.notice}
        submit={t(lang, `personal.${page.name}.submit`)}
        secondary={page.resend ? { action: page.resend, label: t(lang, 'personal.verify.resend') } : undefined}
        links={page.links?.(lang)}
        fields={page.fields(lang, o.values ?? {})}
      />,
      o.status ?? 200,
    );

  /**
   * What every post checks first, in this order: the form token, then the attempts per IP for `step` and (when `key`
   * is given) per address or flow subject. The refusal to show, or undefined.
   */
  async function refusal(
    c: Context<Env>,
    lang: Lang,
    form: Record<string, unknown>,
    step: string,
    key?: string,
  ): Promise<PageOptions | undefined> {
    if (!(await cookies.checkFormToken(c, form.token)))
      return { formError: t(lang, 'personal.error.formExpired'), status: 400 };
    if (!(await perIp.hit(`${step}:${ipOf(c)}`)) || (key !== undefined && !(await perKey.hit(`${step}:${key}`))))
      return throttled(lang);
    return undefined;
  }

  /** The page of a verify or reset flow, when the browser has the flow's cookie. */
  const flowPage = async (c: Context<Env>, purpose: FlowPurpose, page: PersonalPage) =>
    (await cookies.readFlow(c, purpose)) ? show(c, langOf(c), page) : noFlow(c, langOf(c), purpose);

  /** The end of a verify or reset flow: the cookie gone, and the page that says it is done. */
  const flowDone = (c: Context<Env>, lang: Lang, what: 'verified' | 'resetDone') => {
    cookies.endFlow(c);
    return c.html(
      <MessagePage
        lang={lang}
        title={t(lang, `personal.${what}.title`)}
        message={t(lang, `personal.${what}.body`)}
        status="done"
      />,
    );
  };

  /**
   * A post in a verify or reset flow: its flow and form once the checks every post makes first (refusal) pass; else
   * the answer (no flow, or `page` with the refusal and the values `valuesOf` keeps from the form).
   */
  async function flowPost(
    c: Context<Env>,
    purpose: FlowPurpose,
    step: string,
    page: PersonalPage,
    valuesOf: (form: Record<string, unknown>) => Record<string, string> = () => ({}),
  ) {
    const lang = langOf(c);
    const flow = await cookies.readFlow(c, purpose);
    if (!flow) return { response: noFlow(c, lang, purpose) };
    const form = await c.req.parseBody();
    const refused = await refusal(c, lang, form, step, flow.subject);
    if (refused) return { response: await show(c, lang, page, { values: valuesOf(form), ...refused }) };
    return { lang, flow, form };
  }

  /** Mails a verify or reset code to the account. */
  const mailCode = (
    tx: Tx,
    kind: 'verify' | 'reset',
    lang: Lang,
    account: { email: string; displayName: string },
    code: string,
  ) => mail(tx, account.email, { kind, lang, name: account.displayName, code, minutes: CODE_DEFAULTS.validityMinutes });

  /**
   * The first code of a sign-up or reset is limited per address as issueCode limits a subject, so that asking twice
   * in a row behaves the same whether the address has an account (stable subject) or not (a fresh decoy each time).
   */
  async function addressCooldown(tx: Tx, purpose: CodePurpose, address: string): Promise<void> {
    const since = new Date(clock.now().getTime() - CODE_DEFAULTS.resendCooldownSeconds * 1000).toISOString();
    const recent = await codeSentSince(tx, PERSONAL_REALM, purpose, address, since);
    if (recent)
      throw new TooManyRequests('passcode.cooldown', { resendCooldownSeconds: CODE_DEFAULTS.resendCooldownSeconds });
  }

  /** A verify or reset page reached without a valid flow cookie (absent, forged, expired, other browser). */
  const noFlow = (c: Context<Env>, lang: Lang, purpose: FlowPurpose) => {
    const link = purpose === 'verify' ? signupLink(lang) : resetLink(lang);
    return c.html(
      <Layout lang={lang} title={t(lang, 'error.title')}>
        <h1>{t(lang, 'error.title')}</h1>
        <p class="error" role="alert">
          {t(lang, 'personal.error.noFlow')}
        </p>
        <p>
          <a href={link.href}>{link.label}</a>
        </p>
      </Layout>,
      400,
    );
  };

  // ---- sign up -------------------------------------------------------------------------------------------------

  app.get('/personal', (c) => c.redirect('/personal/signup', 303));
  app.get('/personal/signup', (c) => show(c, langOf(c), PAGES.signup));

  app.post('/personal/signup', async (c) => {
    const lang = langOf(c);
    const form = await c.req.parseBody();
    const email = field(form, 'email').trim();
    const displayName = field(form, 'displayName').trim();
    const password = field(form, 'password');
    const values = { email, displayName };
    const refused = await refusal(c, lang, form, 'signup');
    if (refused) return show(c, lang, PAGES.signup, { values, ...refused });
    const errors: Errors = {
      email: addressError(lang, email),
      displayName: isDisplayName(displayName) ? undefined : t(lang, 'personal.error.displayName'),
      password: passwordError(lang, password, email),
    };
    if (Object.values(errors).some(Boolean)) return show(c, lang, PAGES.signup, { values, errors, status: 400 });
    if (!(await perKey.hit(`signup:${normalize(email)}`)))
      return show(c, lang, PAGES.signup, { values, ...throttled(lang) });

    // Hashed whether or not the address has an account, so both take the same time.
    const passwordHash = await hashPassword(password, config.passwordCost);
    const signUp = (tx: Tx) => async () => {
      await addressCooldown(tx, 'personal-verify', email);
      const existing = await findPersonalAccount(tx, email);
      if (existing) {
        // A decoy subject: the browser gets a flow like any other, but no code it could ever type.
        const subject = newId();
        await issueCode(tx, clock, { realm: PERSONAL_REALM, purpose: 'personal-verify', subject }, email, ipOf(c));
        await mail(tx, existing.email, {
          kind: 'exists',
          lang,
          email: existing.email,
          resetUrl: `${config.baseUrl}/personal/reset`,
        });
        return subject;
      }
      const account = await createPersonalAccount(tx, clock, { email, displayName, passwordHash, verified: false });
      const { code } = await issueCode(
        tx,
        clock,
        { realm: PERSONAL_REALM, purpose: 'personal-verify', subject: account.id },
        email,
        ipOf(c),
      );
      await mailCode(tx, 'verify', lang, account, code);
      return account.id;
    };
    let subject: string;
    try {
      subject = await store.transaction((tx) => signUp(tx)());
    } catch (error) {
      if (error instanceof TooManyRequests)
        return show(c, lang, PAGES.signup, { values, formError: error.text(lang), status: 429 });
      // A concurrent sign-up of the same address won: answer as for an existing address.
      if (error instanceof ObjectConflict) {
        try {
          subject = await store.transaction((tx) => signUp(tx)());
        } catch (again) {
          if (again instanceof TooManyRequests)
            return show(c, lang, PAGES.signup, { values, formError: again.text(lang), status: 429 });
          throw again;
        }
      } else {
        throw error;
      }
    }
    await cookies.startFlow(c, { purpose: 'verify', subject });
    return c.redirect('/personal/verify', 303);
  });

  // ---- verify --------------------------------------------------------------------------------------------------

  const codeError = (lang: Lang, result: CodeCheck, wrongKey: keyof Messages): string =>
    t(
      lang,
      result === 'expired'
        ? 'personal.error.codeExpired'
        : result === 'locked'
          ? 'personal.error.codeLocked'
          : wrongKey,
    );

  app.get('/personal/verify', (c) => flowPage(c, 'verify', PAGES.verify));

  app.post('/personal/verify', async (c) => {
    const post = await flowPost(c, 'verify', 'verify', PAGES.verify);
    if ('response' in post) return post.response;
    const { lang, flow, form } = post;
    const code = cleanCode(field(form, 'code'));
    if (!code)
      return show(c, lang, PAGES.verify, { errors: { code: t(lang, 'personal.error.codeFormat') }, status: 400 });
    const check = await verifyCode(
      store.db,
      clock,
      { realm: PERSONAL_REALM, purpose: 'personal-verify', subject: flow.subject },
      code,
    );
    if (check.result === 'ok') {
      const account = await getPersonalAccount(store.db, flow.subject);
      if (account && normalize(account.email) === check.email) {
        await store.transaction((tx) => markVerified(tx, clock, account.id));
        return flowDone(c, lang, 'verified');
      }
    }
    if (check.result === 'throttled') return show(c, lang, PAGES.verify, throttled(lang));
    return show(c, lang, PAGES.verify, {
      errors: { code: codeError(lang, check.result === 'ok' ? 'wrong' : check.result, 'personal.error.codeWrong') },
      status: 400,
    });
  });

  /** "Send a new code" on the verify and reset pages: to the address the flow's first code went to. */
  async function resend(c: Context<Env>, purpose: FlowPurpose, page: PersonalPage) {
    const post = await flowPost(c, purpose, 'resend', page);
    if ('response' in post) return post.response;
    const { lang, flow } = post;
    const ref = { realm: PERSONAL_REALM, purpose: codePurposeOf(purpose), subject: flow.subject };
    const first = await latestCode(store.db, ref);
    if (!first) return noFlow(c, lang, purpose);
    try {
      await store.transaction(async (tx) => {
        const { code } = await issueCode(tx, clock, ref, first.email_normalized, ipOf(c));
        const account = await getPersonalAccount(tx, flow.subject);
        if (!account || normalize(account.email) !== first.email_normalized) return;
        if (purpose === 'verify' && !account.emailVerified) {
          await mailCode(tx, 'verify', lang, account, code);
        } else if (purpose === 'reset') {
          await mailCode(tx, 'reset', lang, account, code);
        }
      });
    } catch (error) {
      if (error instanceof TooManyRequests) return show(c, lang, page, { formError: error.text(lang), status: 429 });
      throw error;
    }
    return show(c, lang, page, { notice: t(lang, 'personal.verify.resent') });
  }

  app.post('/personal/verify/resend', (c) => resend(c, 'verify', PAGES.verify));

  // ---- reset ---------------------------------------------------------------------------------------------------

  app.get('/personal/reset', (c) => show(c, langOf(c), PAGES.reset));

  app.post('/personal/reset', async (c) => {
    const lang = langOf(c);
    const form = await c.req.parseBody();
    const email = field(form, 'email').trim();
    const refused = await refusal(c, lang, form, 'reset');
    if (refused) return show(c, lang, PAGES.reset, { values: { email }, ...refused });
    const wrong = addressError(lang, email);
    if (wrong) return show(c, lang, PAGES.reset, { values: { email }, errors: { email: wrong }, status: 400 });
    if (!(await perKey.hit(`reset:${normalize(email)}`)))
      return show(c, lang, PAGES.reset, { values: { email }, ...throttled(lang) });
    let subject: string;
    try {
      subject = await store.transaction(async (tx) => {
        await addressCooldown(tx, 'personal-reset', email);
        const account = await findPersonalAccount(tx, email);
        // An unknown address gets a decoy subject and a code nobody is told, and no mail.
        const id = account?.id ?? newId();
        const { code } = await issueCode(
          tx,
          clock,
          { realm: PERSONAL_REALM, purpose: 'personal-reset', subject: id },
          email,
          ipOf(c),
        );
        if (account) await mailCode(tx, 'reset', lang, account, code);
        return id;
      });
    } catch (error) {
      if (error instanceof TooManyRequests)
        return show(c, lang, PAGES.reset, { values: { email }, formError: error.text(lang), status: 429 });
      throw error;
    }
    await cookies.startFlow(c, { purpose: 'reset', subject });
    return c.redirect('/personal/reset/confirm', 303);
  });

  app.get('/personal/reset/confirm', (c) => flowPage(c, 'reset', PAGES.confirm));

  app.post('/personal/reset/confirm', async (c) => {
    const post = await flowPost(c, 'reset', 'confirm', PAGES.confirm, (form) => ({
      email: field(form, 'email').trim(),
    }));
    if ('response' in post) return post.response;
    const { lang, flow, form } = post;
    const email = field(form, 'email').trim();
    const password = field(form, 'password');
    const code = cleanCode(field(form, 'code'));
    const errors: Errors = {
      email: addressError(lang, email),
      code: code ? undefined : t(lang, 'personal.error.codeFormat'),
      password: passwordError(lang, password, email),
    };
    if (Object.values(errors).some(Boolean) || !code)
      return show(c, lang, PAGES.confirm, { values: { email }, errors, status: 400 });

    const account = await getPersonalAccount(store.db, flow.subject);
    let result: CodeCheck = 'wrong';
    // The typed address must be the account's; a decoy flow runs the check too, so it answers like a real one.
    if (!account || normalize(account.email) === normalize(email)) {
      const check = await verifyCode(
        store.db,
        clock,
        { realm: PERSONAL_REALM, purpose: 'personal-reset', subject: flow.subject },
        code,
      );
      result = check.result === 'ok' && (!account || check.email !== normalize(account.email)) ? 'wrong' : check.result;
    }
    if (result === 'throttled') return show(c, lang, PAGES.confirm, { values: { email }, ...throttled(lang) });
    if (result !== 'ok' || !account) {
      return show(c, lang, PAGES.confirm, {
        values: { email },
        errors: { code: codeError(lang, result, 'personal.error.resetWrong') },
        status: 400,
      });
    }
    const passwordHash = await hashPassword(password, config.passwordCost);
    await store.transaction(async (tx) => {
      await setPersonalPassword(tx, clock, account.id, passwordHash);
      // The code proved the address: an account created by someone else with it (and never verified) is now the owner's.
      await markVerified(tx, clock, account.id);
    });
    return flowDone(c, lang, 'resetDone');
  });

  app.post('/personal/reset/resend', (c) => resend(c, 'reset', PAGES.confirm));

  return app;
}
