// Das Gerätecode-Verfahren (oidc/device-flow.ts).
import type { deviceEnUS } from './device.en-US.ts';

export const deviceDeDE: typeof deviceEnUS = {
  'device.message':
    'Öffnen Sie zum Anmelden die Seite {url} in einem Webbrowser, und geben Sie den Code {code} ein, um sich zu authentifizieren.',
  'device.title': 'Code eingeben',
  'device.intro':
    'Geben Sie den Code ein, der in Ihrer App oder auf Ihrem Gerät angezeigt wird, um ihr Zugriff auf Ihr Konto bei {tenant} zu erlauben.',
  'device.code': 'Code',
  'device.next': 'Weiter',
  'device.wrong':
    'Dieser Code ist nicht richtig. Prüfen Sie den Code, den Ihr Gerät anzeigt, und versuchen Sie es erneut.',
  'device.expired':
    'Dieser Code ist abgelaufen. Starten Sie die Anmeldung auf Ihrem Gerät erneut, um einen neuen Code zu erhalten.',
  'device.used':
    'Dieser Code wurde bereits verwendet. Starten Sie die Anmeldung auf Ihrem Gerät erneut, um einen neuen Code zu erhalten.',
  'device.aborted':
    'Die Anmeldung wurde abgebrochen. Es wurde niemand angemeldet; Sie können dieses Fenster schließen.',
  'device.failed':
    'Die Anmeldung konnte nicht abgeschlossen werden: {reason}. Starten Sie die Anmeldung auf Ihrem Gerät erneut.',
  'device.confirm.title': 'Möchten Sie sich anmelden?',
  'device.confirm.question': 'Versuchen Sie, sich bei {app} anzumelden?',
  'device.confirm.as': 'Sie sind als {name} ({email}) angemeldet.',
  'device.confirm.code': 'Fahren Sie nur fort, wenn Ihr Gerät diesen Code anzeigt: {code}',
  'device.confirm.warning':
    'Wenn Sie diese Anmeldung nicht selbst auf Ihrem Gerät gestartet haben oder Ihnen jemand diesen Code geschickt hat, brechen Sie ab: Fortzufahren gäbe dieser Person Zugriff auf Ihr Konto.',
  'device.confirm.yes': 'Weiter',
  'device.confirm.no': 'Abbrechen',
  'device.done.title': 'Sie sind angemeldet',
  'device.done': 'Sie haben sich auf Ihrem Gerät bei {app} angemeldet. Sie können dieses Fenster schließen.',
};
