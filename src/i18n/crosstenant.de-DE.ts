import type { crossTenantEnUS } from './crosstenant.en-US.ts';

// Die Seiten für den mandantenübergreifenden Zugriff (Issue #21).
export const crossTenantDeDE: typeof crossTenantEnUS = {
  'admin.xtap.defaultTitle': 'Mandantenübergreifender Zugriff: Standardeinstellungen',
  'admin.xtap.defaultIntro':
    'Diese Einstellungen gelten für jede Organisation ohne eigene Einstellungen. Jeder Abschnitt wird für sich gespeichert.',
  'admin.xtap.sections': 'Abschnitte der Einstellungen',
  'admin.xtap.tab.inbound': 'B2B-Zusammenarbeit eingehend',
  'admin.xtap.tab.outbound': 'B2B-Zusammenarbeit ausgehend',
  'admin.xtap.tab.trust': 'Eingehende Vertrauensstellung',
  'admin.xtap.tab.redemption': 'Automatische Einlösung',
  'admin.xtap.inheritedShort': 'geerbt',
  'admin.xtap.list.inherited': 'Geerbt: {value}',
  'admin.xtap.list.inbound': 'B2B-Zusammenarbeit eingehend: {value}',
  'admin.xtap.list.outbound': 'B2B-Zusammenarbeit ausgehend: {value}',
  'admin.xtap.list.trust': 'Mehrstufige Authentifizierung anderer Organisationen: {value}',
  'admin.xtap.list.editDefault': 'Standardeinstellungen ändern',
  'admin.xtap.col.trust': 'Vertraut MFA',
  'admin.xtap.trust.on': 'vertraut',
  'admin.xtap.trust.off': 'nicht vertraut',
  'admin.xtap.trust.yes':
    'Vertrauen: Wer zu Hause die mehrstufige Authentifizierung erledigt hat, wird hier nicht erneut gefragt',
  'admin.xtap.trust.no':
    'Nicht vertrauen: Gäste erledigen die mehrstufige Authentifizierung hier, wenn eine Richtlinie sie verlangt',
  'admin.xtap.pick.chosenUsers': 'Ausgewählte Benutzer und Gruppen',
  'admin.xtap.pick.chosenApps': 'Ausgewählte Anwendungen',
  'admin.xtap.pick.name': 'Name',
  'admin.xtap.pick.type': 'Art',
  'admin.xtap.pick.actions': 'Aktionen',
  'admin.xtap.pick.type.user': 'Benutzer',
  'admin.xtap.pick.type.group': 'Gruppe',
  'admin.xtap.pick.type.application': 'Anwendung',
  'admin.xtap.pick.remove': 'Entfernen',
  'admin.xtap.pick.removeOne': '{name} entfernen',
  'admin.xtap.pick.removed': '{name} wurde von der Liste genommen. Die Einstellungen wurden gespeichert.',
  'admin.xtap.pick.findUsers': 'Benutzer und Gruppen von {org} suchen',
  'admin.xtap.pick.findApps': 'Anwendungen von {org} suchen',
  'admin.xtap.pick.search': 'Suchen',
  'admin.xtap.pick.found': 'Gefunden für „{q}“: Kreuzen Sie an, was hinzukommen soll',
  'admin.xtap.pick.nothing':
    'Nichts gefunden, oder alles Gefundene ist schon ausgewählt. Versuchen Sie einen anderen Namen.',
  'admin.xtap.pick.anyOrg': 'anderen Organisationen',
  'admin.xtap.pick.typedUsers': 'Objekt-IDs hinzuzufügender Benutzer oder Gruppen von {org}, eine pro Zeile',
  'admin.xtap.pick.typedApps': 'Anwendungs-IDs (Client-IDs) hinzuzufügender Anwendungen von {org}, eine pro Zeile',
  'admin.xtap.pick.typedHint':
    'Die Benutzer, Gruppen und Anwendungen von {org} lassen sich in dieser Installation nicht nachschlagen: Geben Sie ihre IDs (GUIDs) so ein, wie der Administrator jener Organisation sie nennt.',
  'admin.xtap.pick.badId': '„{value}“ ist keine ID (GUID).',
  'admin.xtap.pick.gone': '„{id}“ ist nicht mehr auswählbar. Suchen Sie erneut.',
  'admin.xtap.pick.scopeAll':
    'Um das Angekreuzte hinzuzufügen, wählen Sie unter „Gilt für“ die Option für Ausgewählte.',
  'admin.xtap.pick.none.users':
    'Suchen Sie nach Benutzern oder Gruppen und kreuzen Sie mindestens einen Eintrag an, oder wählen Sie „Alle Benutzer“.',
  'admin.xtap.pick.none.apps':
    'Suchen Sie nach Anwendungen und kreuzen Sie mindestens eine an, oder wählen Sie „Alle Anwendungen“.',
  'admin.xtap.pick.none.usersTyped':
    'Geben Sie mindestens eine ID ein, eine pro Zeile, oder wählen Sie „Alle Benutzer“.',
  'admin.xtap.pick.none.appsTyped':
    'Geben Sie mindestens eine ID ein, eine pro Zeile, oder wählen Sie „Alle Anwendungen“.',
  'admin.xtap.pick.last':
    'Das ist der letzte Eintrag der Liste. Fügen Sie zuerst einen weiteren hinzu, oder wählen Sie „Alle“ und speichern Sie, um ihn zu entfernen.',
  'shell.confirm.xtapRemove.title': '{org} entfernen?',
  'shell.confirm.xtapRemove.text':
    'Die Einstellungen für {org} ({id}) werden gelöscht, und für diese Organisation gelten wieder die Standardeinstellungen.',
  'shell.confirm.xtapRemove.button': 'Organisation entfernen',
};
