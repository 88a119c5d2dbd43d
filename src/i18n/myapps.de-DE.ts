import type { myappsEnUS } from './myapps.en-US.ts';

export const myappsDeDE: typeof myappsEnUS = {
  'myapps.title': 'Meine Apps',
  'myapps.hello': 'Angemeldet als {name}',
  'myapps.apps': 'Apps',
  'myapps.none': '{tenant} hat Ihnen noch keine Apps zugewiesen.',
  'myapps.orgs': 'Organisationen',
  'myapps.home': '{tenant} (Stammorganisation)',
  'myapps.guestAt': '{tenant} (Gast)',
  'myapps.current': '(aktuell)',
  'myapps.signOut': 'Abmelden',
  'myapps.signedOut': 'Sie sind bei {tenant} abgemeldet.',
  'myapps.signIn': 'Anmelden',
  'myapps.signInIntro': 'Melden Sie sich an, um Ihre Apps zu sehen.',
  'myapps.options': 'Anmeldeoptionen',
  'myapps.toOrg': 'Bei einer Organisation anmelden',
  'myapps.domain': 'Domänenname der Organisation',
  'myapps.domainHint': 'Zum Beispiel contoso.com: der Teil nach @ in den E-Mail-Adressen der Organisation.',
  'myapps.next': 'Weiter',
  'myapps.unknownDomain': 'Wir haben keine Organisation mit der Domäne {domain} gefunden. Prüfen Sie die Schreibweise oder fragen Sie die Organisation nach ihrer Domäne.',
  'myapps.badDomain': 'Geben Sie einen Domänennamen wie contoso.com ein.',
  'myapps.unknownTenant': 'Dieser Link nennt eine Organisation, die es hier nicht gibt. Prüfen Sie den Link oder melden Sie sich über die Domäne der Organisation an.',
};
