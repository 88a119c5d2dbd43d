import type { deletedEnUS } from './deleted.en-US.ts';

// deleted19
export const deletedDeDE: typeof deletedEnUS = {
  'admin.deleted': 'Gelöschte Elemente',
  'admin.deleted.intro':
    'Gelöschte Benutzer können {days} Tage lang wiederhergestellt werden, mit ihren Gruppenmitgliedschaften, App-Zuweisungen und Anmeldeidentitäten. Danach werden sie endgültig gelöscht.',
  'admin.deleted.none': 'Es gibt keine gelöschten Benutzer.',
  'admin.deleted.name': 'Name',
  'admin.deleted.upn': 'Benutzerprinzipalname',
  'admin.deleted.type': 'Benutzertyp',
  'admin.deleted.deletedOn': 'Gelöscht am',
  'admin.deleted.daysLeft': 'Verbleibende Tage',
  'admin.deleted.actions': 'Aktionen',
  'admin.deleted.restore': 'Wiederherstellen',
  'admin.deleted.purge': 'Endgültig löschen',
  'admin.deleted.next': 'Nächste Seite',
  'admin.deleted.purgeTitle': '{name} endgültig löschen?',
  'admin.deleted.purgeText':
    '{name} ({upn}) wird endgültig gelöscht, mit Gruppenmitgliedschaften, App-Zuweisungen, Anmeldeidentitäten und Einladungen. Das kann nicht rückgängig gemacht werden.',
  'admin.deleted.purgeConfirm': 'Endgültig löschen',
  'admin.deleted.cancel': 'Abbrechen',
  'admin.deleted.restored': '{name} wurde wiederhergestellt.',
  'admin.deleted.purged': '{name} wurde endgültig gelöscht.',
  'admin.deleted.refused': 'Nicht ausgeführt',
  'myapps.leave.action': 'Organisation verlassen',
  'myapps.leave.confirmTitle': '{tenant} verlassen?',
  'myapps.leave.confirmText':
    'Sie können sich dann nicht mehr bei {tenant} anmelden oder deren Apps verwenden. Ihr Gastkonto dort wird gelöscht; um zurückzukommen, brauchen Sie eine neue Einladung.',
  'myapps.leave.confirm': 'Verlassen',
  'myapps.leave.cancel': 'Abbrechen',
  'myapps.leave.done': 'Sie haben {tenant} verlassen.',
  'myapps.leave.back': 'Zurück zu „Meine Apps“',
};
