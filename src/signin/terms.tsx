// The terms-of-use step, at every sign-in and at redemption alike: the first agreement the user must still accept
// (never accepted, a new version, or the re-accept period passed), in the user's language. Accepting records it and
// goes on; declining records that too and ends the sign-in.
import { readTermsForm, TermsPage } from '../consent/terms-page.tsx';
import { fileFor, pendingAgreements, recordAcceptance } from '../consent/terms.ts';
import { t } from '../i18n/index.ts';
import type { Services } from '../services.ts';
import { DONE, type SignIn, type Step } from './step.ts';

/** The first terms the user must still accept, with its file in the sign-in's language (none without a file). */
async function nextTerms(services: Services, signIn: SignIn) {
  const { store, clock } = services;
  const [agreement] = await pendingAgreements(store.db, signIn.tenant.id, signIn.userId, clock.now());
  if (!agreement) return undefined;
  const file = await fileFor(store.db, signIn.tenant.id, agreement.id, agreement.version, signIn.lang);
  return file && { agreement, file };
}

export function termsStep(services: Services): Step {
  const step: Step = {
    name: 'terms',
    pending: async (signIn) => (await nextTerms(services, signIn)) !== undefined,
    async show(c, signIn, shown = {}) {
      const terms = await nextTerms(services, signIn);
      // Answered between `pending` and here (another tab): whatever is current now.
      if (!terms) return signIn.render(c, shown);
      return c.html(
        <TermsPage
          lang={signIn.lang}
          tenant={signIn.tenant}
          agreement={terms.agreement}
          file={terms.file}
          action={signIn.action('terms')}
          csrf={await signIn.formToken()}
          mustExpand={terms.agreement.isViewingBeforeAcceptanceRequired}
          error={shown.error}
        />,
        shown.status ?? 200,
      );
    },
    posts: {
      async terms(c, signIn, form) {
        const { lang, tenant } = signIn;
        const terms = await nextTerms(services, signIn);
        // Answered already (a double submit, another tab): nothing left to answer here.
        if (!terms) return signIn.render(c);
        const answer = readTermsForm(form, terms.agreement.isViewingBeforeAcceptanceRequired);
        if ('error' in answer) return step.show(c, signIn, { error: t(lang, answer.error), status: 400 });
        // A version published since the page was shown: show that one; nobody accepts a text they did not see.
        if (answer.version !== undefined && answer.version !== terms.agreement.version) return step.show(c, signIn);
        const state = answer.decision === 'accept' ? 'accepted' : 'declined';
        await services.store.transaction((tx) =>
          recordAcceptance(
            tx,
            services.clock,
            tenant.id,
            signIn.userId,
            terms.agreement.id,
            terms.agreement.version,
            state,
          ),
        );
        if (answer.decision === 'accept') return DONE;
        return signIn.decline(c, {
          message: t(lang, 'redeem.declined', { tenant: tenant.displayName, terms: terms.agreement.displayName }),
          description: 'The user declined the terms of use.',
          logged: 'termsDeclined',
        });
      },
    },
  };
  return step;
}
