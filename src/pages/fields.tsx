// Form fields more than one sign-in page shows.
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
    {error && (
      <p id="password-error" class="error" role="alert">
        {error}
      </p>
    )}
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
    {error && (
      <p id="login-error" class="error" role="alert">
        {error}
      </p>
    )}
  </>
);
