import type { conditionalAccessEnUS } from './conditional-access.en-US.ts';

// mfa-policy
export const conditionalAccessDeDE: typeof conditionalAccessEnUS = {
  'ca.blocked.title': 'Sie können derzeit nicht darauf zugreifen',
  'ca.blocked':
    'Ihre Anmeldung war erfolgreich, aber {tenant} erlaubt Ihnen nach seinen Richtlinien für bedingten Zugriff keinen Zugriff auf {app}. Wenden Sie sich an die Administration von {tenant}. Fehlercode: AADSTS53003.',
  'ca.blocked.noApp':
    'Ihre Anmeldung war erfolgreich, aber {tenant} erlaubt Ihnen nach seinen Richtlinien für bedingten Zugriff keinen Zugriff. Wenden Sie sich an die Administration von {tenant}. Fehlercode: AADSTS53003.',
};
