import type { sessionsEnUS } from './sessions.en-US.ts';

export const sessionsDeDE: typeof sessionsEnUS = {
  'amr.pwd': 'einem Passwort',
  'amr.otp': 'einem per E-Mail gesendeten Einmalcode',
  'amr.fed': 'dem Konto Ihrer Organisation',
  'app.signInMethodNotAllowed.title': '{app} verlangt eine andere Anmeldemethode',
  'app.signInMethodNotAllowed':
    '{app} bei {tenant} akzeptiert nur Anmeldungen mit {methods}. Sie haben sich mit {used} angemeldet. Wenn Ihre Organisation ein Konto für Sie hat, bitten Sie die Administration von {tenant}, die Anmeldung damit einzurichten; andernfalls bitten Sie sie um Zugriff auf {app}.',
};
