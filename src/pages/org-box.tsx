// The box that finds an organization by its domain: a GET form whose one field is `domain` (the start page and /admin
// send it to /admin/organization), its hint and its error tied to it for screen readers.
import { t, type Lang } from '../i18n/index.ts';

export const OrgBox = ({
  lang,
  action,
  domain,
  error,
  hint = t(lang, 'shell.org.hint'),
  submit = t(lang, 'shell.org.continue'),
}: {
  lang: Lang;
  action: string;
  domain?: string;
  error?: string;
  hint?: string;
  submit?: string;
}) => (
  <form method="get" action={action}>
    <label for="domain">{t(lang, 'shell.org.domain')}</label>
    <p id="domain-hint" class="muted">
      {hint}
    </p>
    <input
      id="domain"
      name="domain"
      type="text"
      autocomplete="off"
      inputmode="url"
      required
      value={domain ?? ''}
      aria-describedby={error ? 'domain-hint domain-error' : 'domain-hint'}
      aria-invalid={error ? 'true' : undefined}
    />
    {error && (
      <p id="domain-error" class="error" role="alert">
        {error}
      </p>
    )}
    <div class="actions">
      <span />
      <button type="submit">{submit}</button>
    </div>
  </form>
);
