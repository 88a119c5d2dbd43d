import type { termsEnUS } from './terms.en-US.ts';

export const termsDeDE: typeof termsEnUS = {
  'terms.title': 'Nutzungsbedingungen',
  'terms.intro': '{tenant} bittet Sie, die Nutzungsbedingungen „{name}“ zu lesen und anzunehmen, bevor Sie fortfahren.',
  'terms.pdf': 'Die Nutzungsbedingungen sind ein PDF-Dokument.',
  'terms.openPdf': '„{name}“ öffnen (PDF)',
  'terms.viewed': 'Ich habe die Nutzungsbedingungen gelesen',
  'terms.accept': 'Annehmen',
  'terms.decline': 'Ablehnen',
  'terms.mustView': 'Öffnen und lesen Sie die Nutzungsbedingungen und bestätigen Sie dann, dass Sie sie gelesen haben.',
  'terms.declined':
    'Sie haben die Nutzungsbedingungen von {tenant} abgelehnt und können daher nicht auf dessen Anwendungen zugreifen. Sie können sie bei der nächsten Anmeldung annehmen.',
  'terms.changed':
    'Die Nutzungsbedingungen wurden geändert, während Sie sie gelesen haben. Lesen Sie die aktuelle Fassung und antworten Sie erneut.',
};
