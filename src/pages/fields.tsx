// Form fields more than one page shows: a sign-in form's address and password, a one-time code's input, a checkbox or
// radio button with its label, a field's error, and a form's submit button.
import type { Child } from 'hono/jsx';

import { t, type Lang } from '../i18n/index.ts';

/** The password input of a sign-in form, with its error tied to it for screen readers. */
export const PasswordField = ({ lang, error }: { lang: Lang; error?: string }) => (
  <>
    <label for="password">{t(lang, 'signin.password')}</label>
    <input
      id="password"
      name="password"
      type="password"
      autocomplete="current-password"
      required
      autofocus
      aria-invalid={error ? 'true' : undefined}
      aria-describedby={error ? 'password-error' : undefined}
    />
    <Alert id="password-error" text={error} />
  </>
);

/** The email address input of a sign-in form (`login`), with its error tied to it for screen readers. */
export const AddressField = ({ lang, value, error }: { lang: Lang; value?: string; error?: string }) => (
  <>
    <label for="login">{t(lang, 'signin.email')}</label>
    <input
      id="login"
      name="login"
      type="email"
      autocomplete="username"
      required
      autofocus
      value={value ?? ''}
      aria-invalid={error ? 'true' : undefined}
      aria-describedby={error ? 'login-error' : undefined}
    />
    <Alert id="login-error" text={error} />
  </>
);

/**
 * A checkbox (or a radio button: `type`, `name`, `value`) with its label beside it, as a paragraph of its own; `attrs`
 * (aria-invalid, aria-describedby) go on the input.
 */
export const Choice = ({
  id,
  name = id,
  type = 'checkbox',
  value = '1',
  checked,
  required,
  attrs,
  children,
}: {
  id: string;
  name?: string;
  type?: 'checkbox' | 'radio';
  value?: string;
  checked?: boolean;
  required?: boolean;
  attrs?: Record<string, string | undefined>;
  children: Child;
}) => (
  <p>
    <input id={id} name={name} type={type} value={value} checked={checked} required={required} {...attrs} />{' '}
    <label for={id} class="inline">
      {children}
    </label>
  </p>
);

/**
 * A one-time code's input (`code`: an emailed passcode, an authenticator app's or a recovery code), with its error
 * tied to it for screen readers. `digits` limits it to digits (a passcode); `maxLength` bounds what may be typed.
 */
export const CodeField = ({
  label,
  error,
  digits,
  maxLength,
}: {
  label: string;
  error?: string;
  digits?: boolean;
  maxLength: number;
}) => (
  <>
    <label for="code">{label}</label>
    <input
      id="code"
      name="code"
      type="text"
      inputmode="numeric"
      autocomplete="one-time-code"
      pattern={digits ? '[0-9]*' : undefined}
      maxlength={maxLength}
      required
      autofocus
      aria-invalid={error ? 'true' : undefined}
      aria-describedby={error ? 'code-error' : undefined}
    />
    <Alert id="code-error" text={error} />
  </>
);

/** An error said at once to screen readers; `id` where a field's aria-describedby names it. Nothing without `text`. */
export const Alert = ({ id, text }: { id?: string; text?: Child }) =>
  text ? (
    <p id={id} class="error" role="alert">
      {text}
    </p>
  ) : null;

/** A form's submit button at the right of its row of actions, with a link back (Cancel) at the left when `back`. */
export const Submit = ({
  label,
  back,
  class: className,
  autofocus,
}: {
  label: Child;
  back?: { href: string; label: Child };
  class?: string;
  autofocus?: boolean;
}) => (
  <div class="actions">
    {back ? <a href={back.href}>{back.label}</a> : <span />}
    <button type="submit" class={className} autofocus={autofocus}>
      {label}
    </button>
  </div>
);
