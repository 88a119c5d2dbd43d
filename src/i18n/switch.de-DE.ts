// „Bereits als jemand anderes angemeldet" (sessions/switch.ts).
import type { switchEnUS } from './switch.en-US.ts';

export const switchDeDE: typeof switchEnUS = {
  'switch.title': 'Sie sind bereits angemeldet',
  'switch.signedIn': 'Sie sind als {name} ({email}) bei {org} angemeldet.',
  'switch.invitation': 'Diese Einladung von {tenant} gilt für {email}.',
  'switch.invitation.proof':
    'Wenn Sie als {name} fortfahren, senden wir zuerst einen Code an {email}, um zu bestätigen, dass diese Adresse Ihnen gehört.',
  'switch.invitation.cannot':
    'Mit {name} kann diese Einladung für {email} nicht angenommen werden. Verwenden Sie ein anderes Konto, um sie anzunehmen.',
  'switch.signin': 'Sie melden sich bei {app} von {tenant} an, wo {name} ein Konto hat.',
  'switch.continue': 'Als {name} fortfahren',
  'switch.another': 'Anderes Konto verwenden',
  'switch.another.note': 'Mit einem anderen Konto fortzufahren meldet {name} in diesem Browser zuerst bei {org} ab.',
  'select.title': 'Konto auswählen',
  'select.to': 'um mit {app} fortzufahren',
  'select.account': '{name} ({email}), {org}',
  'switch.stale': 'Diese Seite ist nicht mehr aktuell; es wurde nichts geändert. Öffnen Sie den Link erneut.',
};
