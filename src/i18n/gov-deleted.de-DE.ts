import type { govDeletedEnUS } from './gov-deleted.en-US.ts';

// gov-deleted
export const govDeletedDeDE: typeof govDeletedEnUS = {
  'admin.deleted.tabs': 'Arten gelöschter Elemente',
  'admin.deleted.users': 'Benutzer',
  'admin.deleted.groups': 'Gruppen',
  'admin.deleted.apps': 'Anwendungen',
  'admin.deleted.groupsIntro':
    'Gelöschte Gruppen können {days} Tage lang wiederhergestellt werden, mit ihren Mitgliedern und App-Zuweisungen. Danach werden sie endgültig gelöscht.',
  'admin.deleted.appsIntro':
    'Gelöschte App-Registrierungen können {days} Tage lang wiederhergestellt werden, mit ihrer Anwendungs-ID (Client-ID), ihren Anmeldeinformationen, Umleitungs-URIs und Zuweisungen. Solange sie gelöscht sind, kann sich niemand bei ihnen anmelden. Danach werden sie endgültig gelöscht.',
  'admin.deleted.noGroups': 'Es gibt keine gelöschten Gruppen.',
  'admin.deleted.noApps': 'Es gibt keine gelöschten Anwendungen.',
  'admin.deleted.description': 'Beschreibung',
  'admin.deleted.appId': 'Anwendungs-ID (Client-ID)',
  'admin.deleted.groupPurgeText':
    'Die Gruppe {name} wird endgültig gelöscht, mit ihren Mitgliedschaften und App-Zuweisungen. Ihre Mitglieder bleiben. Das lässt sich nicht rückgängig machen.',
  'admin.deleted.appPurgeText':
    'Die App-Registrierung {name} ({appId}) wird endgültig gelöscht, mit ihren Anmeldeinformationen, Zuweisungen und Einwilligungen, auch in anderen Organisationen. Das lässt sich nicht rückgängig machen.',
  'admin.deleted.groupPurged': 'Die Gruppe wurde endgültig gelöscht.',
  'admin.deleted.appPurged': 'Die Anwendung wurde endgültig gelöscht.',
  'signin.changePassword.title': 'Kennwort ändern',
  'signin.changePassword.intro':
    'Ein Administrator hat Ihr Kennwort zurückgesetzt. Wählen Sie ein neues Kennwort mit mindestens {min} Zeichen, um fortzufahren.',
  'signin.changePassword.new': 'Neues Kennwort',
  'signin.changePassword.confirm': 'Neues Kennwort bestätigen',
  'signin.changePassword.submit': 'Kennwort ändern',
  'signin.changePassword.tooShort': 'Das neue Kennwort braucht mindestens {min} Zeichen.',
  'signin.changePassword.tooLong': 'Das neue Kennwort darf höchstens {max} Zeichen haben.',
  'signin.changePassword.mismatch':
    'Die beiden Kennwörter stimmen nicht überein. Geben Sie das neue Kennwort zweimal ein.',
  'signin.changePassword.same': 'Wählen Sie ein anderes Kennwort als das, das Sie erhalten haben.',
};
