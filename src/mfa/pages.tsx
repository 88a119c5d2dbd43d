// Page parts the MFA step and Security info share: the recovery codes shown once (a code's input is pages/fields.tsx).
import { t, type Lang } from '../i18n/index.ts';

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
