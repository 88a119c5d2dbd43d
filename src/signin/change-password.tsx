// The password an administrator reset must be changed (`portico admin reset-password`, Graph's
// passwordProfile.forceChangePasswordNextSignIn): the first of the shared steps, so no app gets a token, and no other
// step runs, before the person has set a password of their own. One conditional update sets it and clears the demand
// (directory/users.ts changeRequiredPassword), with its audit event in the same transaction.
import { recordAudit } from '../directory/audit.ts';
import { changeRequiredPassword, mustChangePassword, passwordToChange, requireUser } from '../directory/users.ts';
import { t, type Lang } from '../i18n/index.ts';
import { Csrf } from '../pages/csrf.tsx';
import { Layout, type LayoutProps } from '../pages/layout.tsx';
import { hashPassword, verifyPassword } from '../secrets.ts';
import type { Services } from '../services.ts';
import { DONE, type SignIn, type Step } from './step.ts';

/** As the API's passwordProfile asks (api/users.ts). */
const MIN_LENGTH = 8;
const MAX_LENGTH = 256;

function ChangePasswordPage(p: {
  lang: Lang;
  tenant: LayoutProps['tenant'];
  action: string;
  csrf: string;
  error?: string;
}) {
  const { lang, error } = p;
  const described = error ? 'change-password-error' : undefined;
  return (
    <Layout lang={lang} title={t(lang, 'signin.changePassword.title')} tenant={p.tenant}>
      <h1>{t(lang, 'signin.changePassword.title')}</h1>
      <p>{t(lang, 'signin.changePassword.intro', { min: String(MIN_LENGTH) })}</p>
      <form method="post" action={p.action}>
        <Csrf value={p.csrf} />
        <label for="new-password">{t(lang, 'signin.changePassword.new')}</label>
        <input
          id="new-password"
          name="newPassword"
          type="password"
          autocomplete="new-password"
          minlength={MIN_LENGTH}
          maxlength={MAX_LENGTH}
          required
          autofocus
          aria-invalid={error ? 'true' : undefined}
          aria-describedby={described}
        />
        <label for="confirm-password">{t(lang, 'signin.changePassword.confirm')}</label>
        <input
          id="confirm-password"
          name="confirmPassword"
          type="password"
          autocomplete="new-password"
          maxlength={MAX_LENGTH}
          required
          aria-invalid={error ? 'true' : undefined}
          aria-describedby={described}
        />
        {error && (
          <p id="change-password-error" class="error" role="alert">
            {error}
          </p>
        )}
        <div class="actions">
          <span />
          <button type="submit">{t(lang, 'signin.changePassword.submit')}</button>
        </div>
      </form>
    </Layout>
  );
}

export function changePasswordStep(services: Services): Step {
  const { store, clock, config } = services;
  const step: Step = {
    name: 'change-password',
    pending: (signIn) => mustChangePassword(store.db, signIn.tenant.id, signIn.userId),
    show: async (c, signIn, shown = {}) =>
      c.html(
        <ChangePasswordPage
          lang={signIn.lang}
          tenant={signIn.tenant}
          action={signIn.action('change-password')}
          csrf={await signIn.formToken()}
          error={shown.error}
        />,
        shown.status ?? 200,
      ),
    posts: {
      async 'change-password'(c, signIn: SignIn, form) {
        const { lang, tenant, userId } = signIn;
        const current = await passwordToChange(store.db, tenant.id, userId);
        // Changed already (a double submit, another tab): nothing left to do here.
        if (current === undefined) return signIn.render(c);
        const password = typeof form.newPassword === 'string' ? form.newPassword : '';
        const confirm = typeof form.confirmPassword === 'string' ? form.confirmPassword : '';
        const refuse = (key: 'tooShort' | 'tooLong' | 'mismatch' | 'same') =>
          step.show(c, signIn, {
            error: t(lang, `signin.changePassword.${key}`, { min: String(MIN_LENGTH), max: String(MAX_LENGTH) }),
            status: 400,
          });
        if ([...password].length < MIN_LENGTH) return refuse('tooShort');
        if (password.length > MAX_LENGTH) return refuse('tooLong');
        if (password !== confirm) return refuse('mismatch');
        if (await verifyPassword(password, current)) return refuse('same');
        const passwordHash = await hashPassword(password, config.passwordCost);
        const changed = await store.transaction(async (tx) => {
          if (!(await changeRequiredPassword(tx, clock, tenant.id, userId, passwordHash))) return false;
          const user = await requireUser(tx, tenant.id, userId);
          await recordAudit(tx, clock, tenant.id, {
            category: 'UserManagement',
            activity: 'Change user password',
            operationType: 'Update',
            actor: { kind: 'user', id: user.id, userPrincipalName: user.userPrincipalName },
            targets: [
              { id: user.id, type: 'User', displayName: user.displayName, userPrincipalName: user.userPrincipalName },
            ],
            details: { modifiedProperties: 'passwordProfile' },
          });
          return true;
        });
        return changed ? DONE : signIn.render(c);
      },
    },
  };
  return step;
}
