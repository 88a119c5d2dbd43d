// The sign-in step of a Conditional Access block, first in every sign-in's table (signin/table.ts): when a policy in
// force blocks this person at this app (accessDecision's `block`), the sign-in is refused with Entra's AADSTS53003,
// logged once as refused, and the person sees a page that says so. Requiring MFA is the MFA step's (src/mfa/).
import { t } from '../i18n/index.ts';
import { appOf } from '../oidc/app-gate.ts';
import { ErrorPage } from '../pages/layout.tsx';
import type { Services } from '../services.ts';
import type { Step } from '../signin/step.ts';
import { policyDecision } from './decision.ts';

export function conditionalAccessBlockStep(services: Services): Step {
  return {
    name: 'conditionalAccessBlock',
    pending: async (signIn) => (await policyDecision(services, signIn)).block,
    async show(c, signIn) {
      const { lang, tenant, clientId } = signIn;
      await signIn.refused?.(c, 'conditionalAccessBlocked');
      const app = clientId === undefined ? undefined : await appOf(services.store.db, tenant.id, clientId);
      const p = { tenant: tenant.displayName, app: app?.displayName ?? '' };
      return c.html(
        <ErrorPage
          lang={lang}
          tenant={tenant}
          title={t(lang, 'ca.blocked.title')}
          message={t(lang, app ? 'ca.blocked' : 'ca.blocked.noApp', p)}
        />,
        403,
      );
    },
    posts: {},
  };
}
