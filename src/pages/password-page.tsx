// The page that asks for the password of one identity: the tenant's sign-in pages, a guest's home tenant and a
// personal account in the invitation flow. Each names its own heading, form action and the link beside the button.
import type { Child } from 'hono/jsx';

import { t, type Lang } from '../i18n/index.ts';
import { Csrf } from './csrf.tsx';
import { PasswordField } from './fields.tsx';
import { Layout, type LayoutProps } from './layout.tsx';

export function PasswordForm({
  lang,
  tenant,
  title,
  heading = title,
  intro,
  identity,
  action,
  csrf,
  hidden,
  aside,
  error,
}: {
  lang: Lang;
  tenant: LayoutProps['tenant'];
  /** the document's title, and the heading unless `heading` differs */
  title: string;
  heading?: string;
  intro?: string;
  /** the identity the password is for, shown above the form */
  identity: string;
  action: string;
  /** the form token, for forms bound to one (the sign-in pages bind theirs to the interaction instead) */
  csrf?: string;
  hidden?: Child;
  /** beside the submit button: a link back or to a reset (nothing by default) */
  aside?: Child;
  error?: string;
}) {
  return (
    <Layout lang={lang} title={title} tenant={tenant}>
      <h1>{heading}</h1>
      {intro !== undefined && <p class="muted">{intro}</p>}
      <p class="identity">{identity}</p>
      <form method="post" action={action}>
        {csrf !== undefined && <Csrf value={csrf} />}
        {hidden}
        <PasswordField lang={lang} error={error} />
        <div class="actions">
          {aside ?? <span />}
          <button type="submit">{t(lang, 'signin.submit')}</button>
        </div>
      </form>
    </Layout>
  );
}
