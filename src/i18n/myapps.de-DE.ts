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
  'myapps.unknownDomain':
    'Wir haben keine Organisation mit der Domäne {domain} gefunden. Prüfen Sie die Schreibweise oder fragen Sie die Organisation nach ihrer Domäne.',
  'myapps.badDomain': 'Geben Sie einen Domänennamen wie contoso.com ein.',
  'myapps.unknownTenant':
    'Dieser Link nennt eine Organisation, die es hier nicht gibt. Prüfen Sie den Link oder melden Sie sich über die Domäne der Organisation an.',
  'app.notAssigned.title': 'Sie haben keinen Zugriff auf {app}',
  'app.notAssigned':
    'Ihr Konto {user} ist {app} bei {tenant} nicht zugewiesen. Bitten Sie die Administration von {tenant}, Ihnen Zugriff zu geben, und versuchen Sie es dann erneut.',
  'app.adminConsentRequired.title': 'Administratorzustimmung erforderlich',
  'app.adminConsentRequired':
    '{app} fordert bei {tenant} Berechtigungen an, die nur eine Administratorin oder ein Administrator erteilen kann ({permissions}). Die Administration von {tenant} muss zuerst für {app} zustimmen: im Admin Center unter Apps, {app}, Administratorzustimmung erteilen (oder mit `portico app consent --tenant {tenantId} --app {clientId}`). Versuchen Sie es dann erneut.',
  'myapps.unknownApp': 'Dieser App-Link führt hier zu keiner App. Öffnen Sie „Meine Apps“, um Ihre Apps zu sehen.',
  'signin.providers': 'Oder anmelden mit',
  'app.crossTenantBlocked.title': 'Sie können {app} nicht als Gast verwenden',
  'app.crossTenantBlocked':
    'Die Einstellungen für mandantenübergreifenden Zugriff von {tenant} oder Ihrer eigenen Organisation erlauben Ihnen nicht, {app} als Gast zu verwenden. Bitten Sie eine Administratorin oder einen Administrator, es zu erlauben.',
};
