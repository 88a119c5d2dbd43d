import { t, type Lang } from '../i18n/index.ts';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, passwordProblem } from './accounts.ts';

/** What is wrong with a new password, in the page's language; undefined when it is fine. */
export function passwordError(lang: Lang, password: string, email: string): string | undefined {
  const problem = passwordProblem(password, email);
  if (problem === 'tooShort') return t(lang, 'personal.error.passwordTooShort', { min: String(PASSWORD_MIN_LENGTH) });
  if (problem === 'tooLong') return t(lang, 'personal.error.passwordTooLong', { max: String(PASSWORD_MAX_LENGTH) });
  if (problem === 'sameAsEmail') return t(lang, 'personal.error.passwordSameAsEmail');
  return undefined;
}
