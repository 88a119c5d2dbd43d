// Proof of the invited address: the identity that signed in carries another address than the invited one (an alias,
// or a forwarded link), or one nobody confirmed: the guest proves control of the invited address with a code mailed
// to it before the identity is bound, unless the tenant relaxed this to Entra's behaviour
// (requireInvitedAddressProof: false; an unconfirmed address is proven whatever the tenant says).
import { clientIp } from '../http/client-ip.ts';
import { markVerified } from '../personal/accounts.ts';
import { checkFlowCode, resendFlowCode } from '../redemption/attempts.ts';
import { mailFlowCode, passcodePolicy } from '../redemption/codes.ts';
import { saveState, type Flow } from '../redemption/flow.ts';
import { PasscodePage } from '../redemption/pages.tsx';
import type { Services } from '../services.ts';
import type { Tx } from '../store/index.ts';
import type { Redeeming } from './redeeming.ts';
import { DONE, type Ctx, type Step } from './step.ts';

export function needsProof(flow: Flow): boolean {
  const { identity, addressProven, email } = flow.state;
  if (!identity || addressProven) return false;
  if (identity.emailVerified === false) return true;
  return flow.tenant.settings.requireInvitedAddressProof && identity.email !== email;
}

/** Mails the proof code to the invited address, in the transaction that bound an identity needing it. */
export async function mailProofIfNeeded(services: Services, tx: Tx, c: Ctx, flow: Flow): Promise<void> {
  if (needsProof(flow))
    await mailFlowCode(
      tx,
      services.clock,
      flow.tenant,
      flow.id,
      'address-proof',
      flow.state.email,
      flow.state.lang,
      clientIp(c),
    );
}

export function addressProofStep(services: Services): Step<Redeeming> {
  const { store, clock } = services;
  const step: Step<Redeeming> = {
    name: 'proof',
    pending: async ({ flow }) => needsProof(flow),
    show: async (c, { flow, lang }, shown = {}) =>
      c.html(
        <PasscodePage
          lang={lang}
          tenant={flow.tenant}
          email={flow.state.email}
          minutes={passcodePolicy(flow.tenant).validityMinutes}
          csrf={flow.state.csrf}
          error={shown.error}
          action="/redeem/proof"
        />,
        shown.status ?? 200,
      ),
    posts: {
      async proof(c, signIn, form) {
        const { flow } = signIn;
        if (!needsProof(flow)) return signIn.render(c);
        const refused = await checkFlowCode(services, c, flow, 'address-proof', form, (shown) =>
          step.show(c, signIn, shown),
        );
        if (refused) return refused;
        await store.transaction(async (tx) => {
          await saveState(tx, flow, { addressProven: true });
          // A personal account created (or never confirmed) for the invited address is confirmed by this code.
          const identity = flow.state.identity!;
          if (
            identity.source === 'Personal account' &&
            identity.emailVerified === false &&
            identity.email === flow.state.email
          ) {
            await markVerified(tx, clock, identity.issuerAssignedId);
            await saveState(tx, flow, { identity: { ...identity, emailVerified: true } });
          }
        });
        return DONE;
      },
      'proof/resend': async (c, signIn) =>
        !needsProof(signIn.flow)
          ? signIn.render(c)
          : resendFlowCode(services, c, signIn.flow, 'address-proof', signIn.lang, (shown) =>
              step.show(c, signIn, shown),
            ),
    },
  };
  return step;
}
