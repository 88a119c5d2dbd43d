// The personal realm's own pages: sign up, verify the address with a mailed code, reset a forgotten password.
// Nothing a page shows or sends tells whether an address has an account: signing up an existing address mails its
// owner a notice instead of a code, and resetting an unknown address mails nothing, yet the browser gets the same
// redirect, page and (decoy) flow cookie, and the same code limits apply. Pages work without JavaScript.
import type { HttpBindings } from '@hono/node-server';
import { Hono, type Context } from 'hono';

import { addressError } from '../directory/address.ts';
import { ObjectConflict, TooManyRequests } from '../errors.ts';
import { clientIp } from '../http/client-ip.ts';
import { createRateLimiter } from '../http/rate-limit.ts';
import { pickLang, t, type Lang, type Messages } from '../i18n/index.ts';
import { enqueue } from '../mail/outbox.ts';
import { Layout, MessagePage } from '../pages/layout.tsx';
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
  // Counted in the store (http/rate-limit.ts), so they hold across nodes: per IP, and per address or flow subject.
  const perIp = createRateLimiter(store, clock, { name: 'personal-ip', limit: 30, windowMs: 15 * 60_000 });
  const perKey = createRateLimiter(store, clock, { name: 'personal-key', limit: 10, windowMs: 15 * 60_000 });
  const minutes = String(CODE_DEFAULTS.validityMinutes);
  const signupLink = (lang: Lang) => ({ href: '/personal/signup', label: t(lang, 'personal.startSignup') });
  const resetLink = (lang: Lang) => ({ href: '/personal/reset', label: t(lang, 'personal.startReset') });

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

  async function signupPage(
    c: Context<Env>,
    lang: Lang,
    o: { values?: Record<string, string>; errors?: Errors; formError?: string; status?: 200 | 400 | 429 } = {},
  ) {
    const v = o.values ?? {};
    return c.html(
      <FormPage
        lang={lang}
        title={t(lang, 'personal.signup.title')}
        intro={t(lang, 'personal.signup.intro')}
        action="/personal/signup"
        token={await cookies.formToken(c)}
        errors={o.errors}
        formError={o.formError}
        submit={t(lang, 'personal.signup.submit')}
        links={[{ href: '/personal/reset', label: t(lang, 'personal.signup.haveAccount') }]}
        fields={[
          {
            id: 'email',
            label: t(lang, 'personal.signup.email'),
            type: 'email',
            autocomplete: 'username',
            value: v.email,
            maxlength: 254,
          },
          {
            id: 'displayName',
            label: t(lang, 'personal.signup.displayName'),
            autocomplete: 'name',
            value: v.displayName,
            maxlength: 256,
          },
          {
            id: 'password',
            label: t(lang, 'personal.signup.password'),
            type: 'password',
            autocomplete: 'new-password',
            hint: t(lang, 'personal.signup.passwordHint', { min: String(PASSWORD_MIN_LENGTH) }),
          },
        ]}
      />,
      o.status ?? 200,
    );
  }

  app.get('/personal', (c) => c.redirect('/personal/signup', 303));
  app.get('/personal/signup', (c) => signupPage(c, langOf(c)));

  app.post('/personal/signup', async (c) => {
    const lang = langOf(c);
    const form = await c.req.parseBody();
    const email = field(form, 'email').trim();
    const displayName = field(form, 'displayName').trim();
    const password = field(form, 'password');
    const values = { email, displayName };
    if (!(await cookies.checkFormToken(c, form.token)))
      return signupPage(c, lang, { values, formError: t(lang, 'personal.error.formExpired'), status: 400 });
    if (!(await perIp.hit(`signup:${ipOf(c)}`)))
      return signupPage(c, lang, { values, formError: t(lang, 'personal.error.throttled'), status: 429 });
    const errors: Errors = {
      email: addressError(lang, email),
      displayName: isDisplayName(displayName) ? undefined : t(lang, 'personal.error.displayName'),
      password: passwordError(lang, password, email),
    };
    if (Object.values(errors).some(Boolean)) return signupPage(c, lang, { values, errors, status: 400 });
    if (!(await perKey.hit(`signup:${normalize(email)}`)))
      return signupPage(c, lang, { values, formError: t(lang, 'personal.error.throttled'), status: 429 });

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
      await mail(tx, account.email, {
        kind: 'verify',
        lang,
        name: account.displayName,
        code,
        minutes: CODE_DEFAULTS.validityMinutes,
      });
      return account.id;
    };
    let subject: string;
    try {
      subject = await store.transaction((tx) => signUp(tx)());
    } catch (error) {
      if (error instanceof TooManyRequests)
        return signupPage(c, lang, { values, formError: error.text(lang), status: 429 });
      // A concurrent sign-up of the same address won: answer as for an existing address.
      if (error instanceof ObjectConflict) {
        try {
          subject = await store.transaction((tx) => signUp(tx)());
        } catch (again) {
          if (again instanceof TooManyRequests)
            return signupPage(c, lang, { values, formError: again.text(lang), status: 429 });
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

  async function verifyPage(
    c: Context<Env>,
    lang: Lang,
    o: { errors?: Errors; formError?: string; notice?: string; status?: 200 | 400 | 429 } = {},
  ) {
    return c.html(
      <FormPage
        lang={lang}
        title={t(lang, 'personal.verify.title')}
        intro={t(lang, 'personal.verify.sent', { minutes })}
        action="/personal/verify"
        token={await cookies.formToken(c)}
        errors={o.errors}
        formError={o.formError}
        notice={o.notice}
        submit={t(lang, 'personal.verify.submit')}
        secondary={{ action: '/personal/verify/resend', label: t(lang, 'personal.verify.resend') }}
        fields={[
          {
            id: 'code',
            label: t(lang, 'personal.verify.code'),
            autocomplete: 'one-time-code',
            inputmode: 'numeric',
            maxlength: 12,
            hint: t(lang, 'personal.verify.codeHint'),
          },
        ]}
      />,
      o.status ?? 200,
    );
  }

  const codeError = (lang: Lang, result: CodeCheck, wrongKey: keyof Messages): string =>
    t(
      lang,
      result === 'expired'
        ? 'personal.error.codeExpired'
        : result === 'locked'
          ? 'personal.error.codeLocked'
          : wrongKey,
    );

  app.get('/personal/verify', async (c) => {
    const lang = langOf(c);
    if (!(await cookies.readFlow(c, 'verify'))) return noFlow(c, lang, 'verify');
    return verifyPage(c, lang);
  });

  app.post('/personal/verify', async (c) => {
    const lang = langOf(c);
    const flow = await cookies.readFlow(c, 'verify');
    if (!flow) return noFlow(c, lang, 'verify');
    const form = await c.req.parseBody();
    if (!(await cookies.checkFormToken(c, form.token)))
      return verifyPage(c, lang, { formError: t(lang, 'personal.error.formExpired'), status: 400 });
    if (!(await perIp.hit(`verify:${ipOf(c)}`)) || !(await perKey.hit(`verify:${flow.subject}`)))
      return verifyPage(c, lang, { formError: t(lang, 'personal.error.throttled'), status: 429 });
    const code = cleanCode(field(form, 'code'));
    if (!code) return verifyPage(c, lang, { errors: { code: t(lang, 'personal.error.codeFormat') }, status: 400 });
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
        cookies.endFlow(c);
        return c.html(
          <MessagePage
            lang={lang}
            title={t(lang, 'personal.verified.title')}
            message={t(lang, 'personal.verified.body')}
            status="done"
          />,
        );
      }
    }
    if (check.result === 'throttled')
      return verifyPage(c, lang, { formError: t(lang, 'personal.error.throttled'), status: 429 });
    return verifyPage(c, lang, {
      errors: { code: codeError(lang, check.result === 'ok' ? 'wrong' : check.result, 'personal.error.codeWrong') },
      status: 400,
    });
  });

  /** "Send a new code" on the verify and reset pages: to the address the flow's first code went to. */
  async function resend(
    c: Context<Env>,
    purpose: FlowPurpose,
    page: (o: { formError?: string; notice?: string; status?: 200 | 400 | 429 }) => Promise<Response>,
  ) {
    const lang = langOf(c);
    const flow = await cookies.readFlow(c, purpose);
    if (!flow) return noFlow(c, lang, purpose);
    const form = await c.req.parseBody();
    if (!(await cookies.checkFormToken(c, form.token)))
      return page({ formError: t(lang, 'personal.error.formExpired'), status: 400 });
    if (!(await perIp.hit(`resend:${ipOf(c)}`)) || !(await perKey.hit(`resend:${flow.subject}`)))
      return page({ formError: t(lang, 'personal.error.throttled'), status: 429 });
    const ref = { realm: PERSONAL_REALM, purpose: codePurposeOf(purpose), subject: flow.subject };
    const first = await latestCode(store.db, ref);
    if (!first) return noFlow(c, lang, purpose);
    try {
      await store.transaction(async (tx) => {
        const { code } = await issueCode(tx, clock, ref, first.email_normalized, ipOf(c));
        const account = await getPersonalAccount(tx, flow.subject);
        if (!account || normalize(account.email) !== first.email_normalized) return;
        if (purpose === 'verify' && !account.emailVerified) {
          await mail(tx, account.email, {
            kind: 'verify',
            lang,
            name: account.displayName,
            code,
            minutes: CODE_DEFAULTS.validityMinutes,
          });
        } else if (purpose === 'reset') {
          await mail(tx, account.email, {
            kind: 'reset',
            lang,
            name: account.displayName,
            code,
            minutes: CODE_DEFAULTS.validityMinutes,
          });
        }
      });
    } catch (error) {
      if (error instanceof TooManyRequests) return page({ formError: error.text(lang), status: 429 });
      throw error;
    }
    return page({ notice: t(lang, 'personal.verify.resent') });
  }

  app.post('/personal/verify/resend', (c) => resend(c, 'verify', (o) => verifyPage(c, langOf(c), o)));

  // ---- reset ---------------------------------------------------------------------------------------------------

  async function resetPage(
    c: Context<Env>,
    lang: Lang,
    o: { email?: string; errors?: Errors; formError?: string; status?: 200 | 400 | 429 } = {},
  ) {
    return c.html(
      <FormPage
        lang={lang}
        title={t(lang, 'personal.reset.title')}
        intro={t(lang, 'personal.reset.intro')}
        action="/personal/reset"
        token={await cookies.formToken(c)}
        errors={o.errors}
        formError={o.formError}
        submit={t(lang, 'personal.reset.submit')}
        links={[signupLink(lang)]}
        fields={[
          {
            id: 'email',
            label: t(lang, 'personal.reset.email'),
            type: 'email',
            autocomplete: 'username',
            value: o.email,
            maxlength: 254,
          },
        ]}
      />,
      o.status ?? 200,
    );
  }

  app.get('/personal/reset', (c) => resetPage(c, langOf(c)));

  app.post('/personal/reset', async (c) => {
    const lang = langOf(c);
    const form = await c.req.parseBody();
    const email = field(form, 'email').trim();
    if (!(await cookies.checkFormToken(c, form.token)))
      return resetPage(c, lang, { email, formError: t(lang, 'personal.error.formExpired'), status: 400 });
    if (!(await perIp.hit(`reset:${ipOf(c)}`)))
      return resetPage(c, lang, { email, formError: t(lang, 'personal.error.throttled'), status: 429 });
    const wrong = addressError(lang, email);
    if (wrong) return resetPage(c, lang, { email, errors: { email: wrong }, status: 400 });
    if (!(await perKey.hit(`reset:${normalize(email)}`)))
      return resetPage(c, lang, { email, formError: t(lang, 'personal.error.throttled'), status: 429 });
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
        if (account)
          await mail(tx, account.email, {
            kind: 'reset',
            lang,
            name: account.displayName,
            code,
            minutes: CODE_DEFAULTS.validityMinutes,
          });
        return id;
      });
    } catch (error) {
      if (error instanceof TooManyRequests)
        return resetPage(c, lang, { email, formError: error.text(lang), status: 429 });
      throw error;
    }
    await cookies.startFlow(c, { purpose: 'reset', subject });
    return c.redirect('/personal/reset/confirm', 303);
  });

  async function confirmPage(
    c: Context<Env>,
    lang: Lang,
    o: { email?: string; errors?: Errors; formError?: string; notice?: string; status?: 200 | 400 | 429 } = {},
  ) {
    return c.html(
      <FormPage
        lang={lang}
        title={t(lang, 'personal.confirm.title')}
        intro={t(lang, 'personal.confirm.sent', { minutes })}
        action="/personal/reset/confirm"
        token={await cookies.formToken(c)}
        errors={o.errors}
        formError={o.formError}
        notice={o.notice}
        submit={t(lang, 'personal.confirm.submit')}
        secondary={{ action: '/personal/reset/resend', label: t(lang, 'personal.verify.resend') }}
        fields={[
          {
            id: 'email',
            label: t(lang, 'personal.confirm.email'),
            type: 'email',
            autocomplete: 'username',
            value: o.email,
            maxlength: 254,
          },
          {
            id: 'code',
            label: t(lang, 'personal.confirm.code'),
            autocomplete: 'one-time-code',
            inputmode: 'numeric',
            maxlength: 12,
            hint: t(lang, 'personal.verify.codeHint'),
          },
          {
            id: 'password',
            label: t(lang, 'personal.confirm.password'),
            type: 'password',
            autocomplete: 'new-password',
            hint: t(lang, 'personal.signup.passwordHint', { min: String(PASSWORD_MIN_LENGTH) }),
          },
        ]}
      />,
      o.status ?? 200,
    );
  }

  app.get('/personal/reset/confirm', async (c) => {
    const lang = langOf(c);
    if (!(await cookies.readFlow(c, 'reset'))) return noFlow(c, lang, 'reset');
    return confirmPage(c, lang);
  });

  app.post('/personal/reset/confirm', async (c) => {
    const lang = langOf(c);
    const flow = await cookies.readFlow(c, 'reset');
    if (!flow) return noFlow(c, lang, 'reset');
    const form = await c.req.parseBody();
    const email = field(form, 'email').trim();
    const password = field(form, 'password');
    if (!(await cookies.checkFormToken(c, form.token)))
      return confirmPage(c, lang, { email, formError: t(lang, 'personal.error.formExpired'), status: 400 });
    if (!(await perIp.hit(`confirm:${ipOf(c)}`)) || !(await perKey.hit(`confirm:${flow.subject}`)))
      return confirmPage(c, lang, { email, formError: t(lang, 'personal.error.throttled'), status: 429 });
    const code = cleanCode(field(form, 'code'));
    const errors: Errors = {
      email: addressError(lang, email),
      code: code ? undefined : t(lang, 'personal.error.codeFormat'),
      password: passwordError(lang, password, email),
    };
    if (Object.values(errors).some(Boolean) || !code) return confirmPage(c, lang, { email, errors, status: 400 });

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
    if (result === 'throttled')
      return confirmPage(c, lang, { email, formError: t(lang, 'personal.error.throttled'), status: 429 });
    if (result !== 'ok' || !account) {
      return confirmPage(c, lang, {
        email,
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
    cookies.endFlow(c);
    return c.html(
      <MessagePage
        lang={lang}
        title={t(lang, 'personal.resetDone.title')}
        message={t(lang, 'personal.resetDone.body')}
        status="done"
      />,
    );
  });

  app.post('/personal/reset/resend', (c) => resend(c, 'reset', (o) => confirmPage(c, langOf(c), o)));

  return app;
}
