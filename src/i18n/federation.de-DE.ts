import type { federationEnUS } from './federation.en-US.ts';

export const federationDeDE: typeof federationEnUS = {
  'federation.continue.title': 'Mit {idp} anmelden',
  'federation.continue':
    '{tenant} meldet {email} über {idp} an. Melden Sie sich dort an; danach kommen Sie hierher zurück.',
  'federation.continue.button': 'Weiter zu {idp}',
  'federation.refused.title': 'Anmeldung nicht akzeptiert',
  'federation.refused':
    'Die Anmeldung über {idp} konnte nicht akzeptiert werden: {reason}. Versuchen Sie es erneut; wenn es weiter fehlschlägt, wenden Sie sich an die Administration von {tenant}.',
  'federation.expired':
    'Diese Anmeldung hat zu lange gedauert oder wurde bereits abgeschlossen. Beginnen Sie erneut über den Link in Ihrer Einladung oder die App, die Sie öffnen wollten.',
  'federation.webview.title': 'Öffnen Sie diese Seite in Ihrem Browser',
  'federation.webview':
    'Google erlaubt keine Anmeldung innerhalb einer anderen App (eingebetteter Browser). Öffnen Sie diesen Link im Browser Ihres Geräts, etwa Chrome, Safari oder Firefox: Wählen Sie im Menü der App (⋯ oder ⋮) „Im Browser öffnen“ oder kopieren Sie den Link in Ihren Browser.',
  'federation.noAccount':
    'Sie haben sich bei {idp} als {email} angemeldet, aber {tenant} hat kein Konto für diese Identität. Wenn Sie eingeladen wurden, öffnen Sie zuerst den Link in Ihrer Einladungs-E-Mail.',
  'federation.disabled': 'Ihr Konto bei {tenant} ist deaktiviert. Wenden Sie sich an die Administration.',
  'federation.taken':
    'Mit dieser Identität meldet sich bereits ein anderes Konto bei {tenant} an. Melden Sie sich mit der Identität für diese Einladung an oder bitten Sie {tenant}, das andere Konto zu entfernen.',
};
