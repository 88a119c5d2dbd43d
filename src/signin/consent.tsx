// Consent at redemption (the seed's step 8): back at the inviting tenant, the guest agrees that it may read their
// name and address, under its privacy statement. Asked once, before any terms of use; cancelling ends the redemption.
import { t } from '../i18n/index.ts';
import { saveState } from '../redemption/flow.ts';
import { ConsentPage } from '../redemption/pages.tsx';
import type { Services } from '../services.ts';
import type { Redeeming } from './redeeming.ts';
import { DONE, type Step } from './step.ts';

export function consentStep(services: Services): Step<Redeeming> {
  return {
    name: 'consent',
    pending: async ({ flow }) => !flow.state.consented,
    show: async (c, { flow, lang }) => c.html(<ConsentPage lang={lang} tenant={flow.tenant} csrf={flow.state.csrf} />),
    posts: {
      async consent(c, { flow, lang, decline }, form) {
        if (form.decision !== 'accept')
          return decline(c, {
            message: t(lang, 'redeem.cancelled', { tenant: flow.tenant.displayName }),
            description: 'The user cancelled.',
            logged: 'consentDeclined',
          });
        await saveState(services.store.db, flow, { consented: true });
        return DONE;
      },
    },
  };
}
