// The device code flow's confirmation (oidc/device-flow.ts), as Entra asks it: once the person has signed in, "are you
// trying to sign in to <app>?" with the code their device shows, so nobody completes a sign-in for a device someone
// else holds (a code sent to them by a phisher) without being asked. A step of the sign-in pages' own table
// (interactions/routes.tsx), shown only in an interaction a device code started; the provider's policy makes every
// such sign-in an interaction (oidc/device-flow.ts `withDeviceConfirmation`), an open session included.
import type Provider from 'oidc-provider';

import type { User } from '../directory/users.ts';
import { t } from '../i18n/index.ts';
import { DEVICE_CODE_MASK } from '../oidc/device-flow.ts';
import { Layout } from '../pages/layout.tsx';
import { DecisionForm } from '../signin/decision-form.tsx';
import { DONE, type SignIn, type Step } from '../signin/step.ts';

/** What the step needs of the sign-in pages' sign-in: the interaction, its provider and app, and who signed in. */
export interface DeviceSignIn extends SignIn {
  s: { details: { deviceCode?: string }; provider: Provider; clientName: string };
  user: User;
}

/** The user code as the device shows it (XXXX-XXXX), from the device code this interaction is for. */
async function userCodeOf(signIn: DeviceSignIn): Promise<string> {
  const jti = signIn.s.details.deviceCode!;
  const code = await signIn.s.provider.DeviceCode.find(jti, { ignoreExpiration: true });
  const chars = [...String(code?.userCode ?? '')];
  return [...DEVICE_CODE_MASK].map((m) => (m === '*' ? (chars.shift() ?? '') : m)).join('');
}

export function deviceConfirmationStep<S extends DeviceSignIn>(): Step<S> {
  return {
    name: 'device',
    pending: async (signIn) => Boolean(signIn.s.details.deviceCode) && signIn.memo('device') !== true,
    async show(c, signIn) {
      const { lang, tenant, user } = signIn;
      const app = signIn.s.clientName;
      return c.html(
        <Layout lang={lang} title={t(lang, 'device.confirm.title')} tenant={tenant}>
          <h1>{t(lang, 'device.confirm.question', { app })}</h1>
          <p class="muted">
            {t(lang, 'device.confirm.as', { name: user.displayName, email: user.mail ?? user.userPrincipalName })}
          </p>
          <p>
            <strong>{t(lang, 'device.confirm.code', { code: await userCodeOf(signIn) })}</strong>
          </p>
          <p class="muted">{t(lang, 'device.confirm.warning')}</p>
          <DecisionForm
            action={signIn.action('device')}
            csrf={await signIn.formToken()}
            name="choice"
            no={['no', t(lang, 'device.confirm.no')]}
            yes={['yes', t(lang, 'device.confirm.yes')]}
            autofocus
          />
        </Layout>,
      );
    },
    posts: {
      device: async (c, signIn, form) => {
        if (form.choice !== 'yes')
          return signIn.decline(c, {
            message: t(signIn.lang, 'device.aborted'),
            description: 'the user cancelled the sign-in of the device',
            logged: 'consentDeclined',
          });
        await signIn.remember('device', true);
        return DONE;
      },
    },
  };
}
