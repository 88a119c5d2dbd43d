import type { consentEnUS } from './consent.en-US.ts';

export const consentDeDE: Record<keyof typeof consentEnUS, string> = {
  'uc.intro': '{app} möchte Ihr Konto bei {tenant} verwenden. Die App möchte:',
  'uc.note': 'Wenn Sie zustimmen, darf {app} dies für Sie tun. Ein Administrator von {tenant} kann es widerrufen.',
  'uc.adminNeeded.title': 'Genehmigung durch Administrator erforderlich',
  'uc.adminNeeded':
    'AADSTS65001: {app} benötigt Berechtigungen für Ressourcen bei {tenant}, die nur ein Administrator erteilen kann ({permissions}). Bitten Sie einen Administrator von {tenant}, der App die Zustimmung zu erteilen, und versuchen Sie es dann erneut.',
  'uc.declined': 'AADSTS65004: Der Benutzer hat die Zustimmung zum Zugriff auf die App abgelehnt.',
  'admin.enterpriseApps': 'Unternehmensanwendungen',
  'admin.enterpriseApps.intro':
    'Mehrinstanzenfähige Apps anderer Organisationen, denen Personen von {tenant} zugestimmt haben (ihre Dienstprinzipale). Das Löschen entfernt jede Zustimmung dazu hier und widerruft ihre Aktualisierungstoken.',
  'admin.enterpriseApps.none': 'Hier wurde noch keiner App einer anderen Organisation zugestimmt.',
  'admin.enterpriseApps.name': 'Name',
  'admin.enterpriseApps.appId': 'Anwendungs-ID',
  'admin.enterpriseApps.owner': 'Mandant des Herausgebers',
  'admin.enterpriseApps.created': 'Hinzugefügt',
  'admin.enterpriseApps.adminConsent': 'Administratorzustimmung',
  'admin.enterpriseApps.delete': 'Löschen',
  'admin.enterpriseApps.deleted': 'Die Anwendung wurde aus diesem Mandanten entfernt.',
  'admin.enterpriseApps.consentTitle': 'Einstellungen für die Benutzereinwilligung',
  'admin.enterpriseApps.consent.none':
    'Benutzereinwilligung nicht zulassen (ein Administrator muss jeder App zustimmen)',
  'admin.enterpriseApps.consent.lowRisk': 'Benutzereinwilligung nur für die eigenen Apps dieser Organisation zulassen',
  'admin.enterpriseApps.consent.allowAll': 'Benutzereinwilligung für Apps zulassen (dieser und anderer Organisationen)',
  'admin.enterpriseApps.save': 'Speichern',
  'admin.enterpriseApps.saved': 'Gespeichert.',
  'admin.enterpriseApps.yes': 'Erteilt',
  'admin.enterpriseApps.no': 'Nein',
};
