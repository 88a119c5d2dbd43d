// Page parts the MFA step and Security info share: a one-time code's input, the recovery codes shown once.
import { t, type Lang } from '../i18n/index.ts';

/** A code input (`code`) with its error tied to it for screen readers. */
export const CodeField = ({ lang: _lang, label, error }: { lang: Lang; label: string; error?: string }) => (
  <>
    <label for="code">{label}</label>
    <input
      id="code"
      name="code"
      type="text"
      inputmode="numeric"
      autocomplete="one-time-code"
      maxlength={20}
      required
      autofocus
      aria-invalid={error ? 'true' : undefined}
      aria-describedby={error ? 'code-error' : undefined}
    />
    {error && (
      <p id="code-error" class="error" role="alert">
        {error}
      </p>
    )}
  </>
);

/** The new recovery codes, shown this once. */
export const RecoveryCodes = ({ lang, codes }: { lang: Lang; codes: string[] }) => (
  <>
    <p>{t(lang, 'mfa.recovery.showOnce')}</p>
    <ul class="recovery-codes" id="recovery-codes">
      {codes.map((code) => (
        <li>
          <code>{code}</code>
        </li>
      ))}
    </ul>
  </>
);
