import type { shellEnUS } from './shell.en-US.ts';

export const shellDeDE: typeof shellEnUS = {
  'shell.menu': 'Menü',
  'shell.actions': 'Aktionen',
  'shell.select': 'Auswählen',
  'shell.start.title': 'Willkommen bei Portico',
  'shell.start.intro': 'Portico ist das Verzeichnis, mit dem Organisationen Gäste einladen und Apps mit ihnen teilen.',
  'shell.start.myapps': 'Meine Apps',
  'shell.start.myappsText':
    'Melden Sie sich bei den Apps an, die Ihre Organisation oder eine Organisation, die Sie eingeladen hat, mit Ihnen teilt.',
  'shell.start.myappsLink': 'Zu „Meine Apps“',
  'shell.start.admin': 'Admin Center',
  'shell.start.adminText':
    'Für Administratoren: Geben Sie die Domäne Ihrer Organisation ein, um sich bei ihrem Admin Center anzumelden.',
  'shell.org.domain': 'Domänenname der Organisation',
  'shell.org.hint': 'Zum Beispiel contoso.com: der Teil nach dem @ in den E-Mail-Adressen Ihrer Organisation.',
  'shell.org.continue': 'Weiter',
  'shell.admin.title': 'Beim Admin Center anmelden',
  'shell.admin.intro': 'Welche Organisation verwalten Sie?',
  'shell.myapps.address': 'Ihre E-Mail-Adresse',
  'shell.myapps.addressHint':
    'Die Adresse, die Ihnen Ihre Organisation gegeben hat, oder die, mit der Sie eingeladen wurden. Wir finden die Organisation über ihre Domäne.',
  'shell.myapps.findOrg': 'Meine Organisation finden',
  'shell.myapps.badAddress': 'Geben Sie eine E-Mail-Adresse wie alex@contoso.com ein.',
  'shell.myapps.noOrg':
    'Keine Organisation hier verwendet die Domäne {domain}. Wenn Sie als Gast eingeladen wurden, geben Sie die Domäne der Organisation ein, die Sie eingeladen hat (den Teil nach dem @ in den Adressen ihrer Mitarbeitenden).',
  'shell.forward.signOut': 'Abmelden',
  'shell.forward.myapps': 'Zu „Meine Apps“',
  'shell.forward.otherOrg': 'Andere Organisation wählen',
  'shell.forward.start': 'Zur Startseite',
  'shell.confirm.cancel': 'Abbrechen',
  'shell.confirm.userDelete.title': '{name} löschen?',
  'shell.confirm.userDelete.text':
    '{name} ({upn}) wird zu den gelöschten Benutzern verschoben und kann sich nicht mehr anmelden. Ein Administrator kann das Konto {days} Tage lang wiederherstellen; danach wird es endgültig gelöscht.',
  'shell.confirm.userDelete.button': 'Benutzer löschen',
  'shell.confirm.userReset.title': 'Einlösestatus von {name} zurücksetzen?',
  'shell.confirm.userReset.text':
    '{name} ({upn}) erhält eine neue Einladung und muss sie erneut einlösen, womöglich mit einer anderen Identität; die bisherige meldet die Person nicht mehr an.',
  'shell.confirm.userReset.button': 'Einlösestatus zurücksetzen',
  'shell.confirm.contactDelete.title': 'Kontakt {name} löschen?',
  'shell.confirm.contactDelete.text': 'Der Kontakt {name} und seine Adressen werden endgültig gelöscht.',
  'shell.confirm.contactDelete.button': 'Kontakt löschen',
  'shell.confirm.groupDelete.title': 'Gruppe {name} löschen?',
  'shell.confirm.groupDelete.text':
    'Die Gruppe {name} wird gelöscht; ihre Mitglieder behalten ihre Konten, verlieren aber die App-Zuweisungen und Zugriffe, die ihnen die Gruppe gab.',
  'shell.confirm.groupDelete.button': 'Gruppe löschen',
  'shell.confirm.memberRemove.title': '{member} aus {group} entfernen?',
  'shell.confirm.memberRemove.text':
    '{member} verliert die App-Zuweisungen und Zugriffe, die die Mitgliedschaft in {group} gibt.',
  'shell.confirm.memberRemove.button': 'Mitglied entfernen',
  'shell.confirm.roleRemove.title': 'Rolle {role} von {user} entfernen?',
  'shell.confirm.roleRemove.text':
    '{user} kann nicht mehr tun, was die Rolle {role} im Admin Center und in der API erlaubt.',
  'shell.confirm.roleRemove.button': 'Rolle entfernen',
  'shell.confirm.appRemove.title': 'Unternehmens-App {name} löschen?',
  'shell.confirm.appRemove.text':
    'Die Unternehmens-App {name} und die ihr erteilte Einwilligung werden aus dieser Organisation gelöscht; hier kann sich niemand mehr bei ihr anmelden.',
  'shell.confirm.appRemove.button': 'Unternehmens-App löschen',
  'shell.confirm.xtapReset.title': 'Standardeinstellungen für den mandantenübergreifenden Zugriff zurücksetzen?',
  'shell.confirm.xtapReset.text':
    'Die Standardeinstellungen kehren zu den Vorgaben des Dienstes zurück. Die Einstellungen jeder Partnerorganisation bleiben, wie sie sind.',
  'shell.confirm.xtapReset.button': 'Auf Standard zurücksetzen',
};
