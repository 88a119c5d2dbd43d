// A passkey ceremony's form, for every page that registers or uses one (Security info, "More information required",
// the MFA step): a plain form that /static/webauthn.js (webauthn-script.ts) completes. The ceremony's options ride in
// `data-options` (JSX escapes them as any attribute), the challenge's id in a hidden field; the script writes the
// browser's credential to `credential` and submits. Without JavaScript the button stays disabled and the status line
// says passkeys need it (the script clears it); `children` (a name field) and the host's other methods stay usable. A page rendering it must allowOwnScript.
import type { Child } from 'hono/jsx';

import { t, type Lang } from '../i18n/index.ts';
import { Csrf } from '../pages/csrf.tsx';

export interface PasskeyFormProps {
  lang: Lang;
  ceremony: 'create' | 'get';
  action: string;
  csrf: string;
  challengeId: string;
  /** the options JSON for navigator.credentials (registrationOptions / authenticationOptions) */
  options: unknown;
  button: string;
  /** more hidden fields the page's POST needs */
  hidden?: Record<string, string>;
  /** fields inside the form, before the button (a name) */
  children?: Child;
}

export function PasskeyForm(props: PasskeyFormProps) {
  const { lang } = props;
  return (
    <>
      <form
        method="post"
        action={props.action}
        data-webauthn={props.ceremony}
        data-options={JSON.stringify(props.options)}
        data-failed={t(lang, 'passkey.failed')}
        data-unsupported={t(lang, 'passkey.unsupported')}
      >
        <Csrf value={props.csrf} />
        <input type="hidden" name="challenge" value={props.challengeId} />
        <input type="hidden" name="credential" value="" />
        {Object.entries(props.hidden ?? {}).map(([name, value]) => (
          <input type="hidden" name={name} value={value} />
        ))}
        {props.children}
        {/* says passkeys need JavaScript until the script runs and clears it (no <noscript>: a browser that runs no
            script for this page alone may still parse it as scripting on) */}
        <p class="error" data-webauthn-status="" aria-live="assertive">
          {t(lang, 'passkey.needsScript')}
        </p>
        <div class="actions">
          <button type="submit" data-webauthn-start="" disabled>
            {props.button}
          </button>
        </div>
      </form>
      <script src="/static/webauthn.js"></script>
    </>
  );
}
