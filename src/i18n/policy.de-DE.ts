import type { policyEnUS } from './policy.en-US.ts';

export const policyDeDE: typeof policyEnUS = {
  'admin.collaboration': 'Externe Zusammenarbeit',
  'admin.collaboration.invite': 'Einstellungen für Gasteinladungen',
  'admin.collaboration.invite.none': 'Niemand in der Organisation kann Gäste einladen, auch Administratoren nicht',
  'admin.collaboration.invite.adminsAndGuestInviters':
    'Nur Benutzer mit Administratorrollen (Globaler Administrator, Benutzeradministrator, Gasteinladender) können einladen',
  'admin.collaboration.invite.adminsGuestInvitersAndAllMembers':
    'Mitglieder und Benutzer mit Administratorrollen können einladen',
  'admin.collaboration.invite.everyone': 'Alle in der Organisation können einladen, auch Gäste',
  'admin.collaboration.guests': 'Zugriff für Gastbenutzer',
  'admin.collaboration.guests.member': 'Gäste haben denselben Zugriff wie Mitglieder',
  'admin.collaboration.guests.limited':
    'Gäste sehen ihr eigenes Profil und finden andere nur über die genaue Adresse oder ID (Standard)',
  'admin.collaboration.guests.restricted': 'Gäste sehen nur ihr eigenes Profil',
  'admin.collaboration.restrictions': 'Einschränkungen für die Zusammenarbeit',
  'admin.collaboration.restrictions.none': 'Einladungen an alle Domänen zulassen',
  'admin.collaboration.restrictions.deny': 'Einladungen an die aufgeführten Domänen verweigern',
  'admin.collaboration.restrictions.allow': 'Einladungen nur an die aufgeführten Domänen zulassen',
  'admin.collaboration.domains': 'Zieldomänen, eine pro Zeile (*.contoso.example: ihre Subdomänen, nicht sie selbst)',
  'admin.collaboration.save': 'Speichern',
  'admin.collaboration.saved': 'Gespeichert.',
  'myapps.invite': 'Jemanden einladen',
  'myapps.invite.intro':
    'Laden Sie einen Gast zu {tenant} ein. Er erhält von Ihnen eine E-Mail mit einem Link zum Annehmen.',
  'myapps.invite.email': 'E-Mail-Adresse',
  'myapps.invite.message': 'Nachricht (optional)',
  'myapps.invite.redirect': 'Wohin es nach dem Annehmen geht',
  'myapps.invite.send': 'Einladung senden',
  'myapps.invite.sent': 'Einladung an {email} gesendet.',
  'myapps.invite.refused.title': 'Sie können keine Gäste einladen',
  'myapps.people': 'Personen',
  'myapps.people.intro': 'Suchen Sie jemanden in {tenant}.',
  'myapps.people.exactOnly': 'Geben Sie die genaue E-Mail-Adresse oder Objekt-ID ein.',
  'myapps.people.query': 'Name, E-Mail-Adresse oder ID',
  'myapps.people.search': 'Suchen',
  'myapps.people.none': 'Niemand gefunden.',
  'myapps.people.me': 'Ihr Profil',
  'myapps.people.restricted': 'Gäste von {tenant} können nur ihr eigenes Profil sehen.',
  'myapps.people.notAllowed': 'Mitglieder von {tenant} können keine anderen Benutzer suchen.',
  'redeem.domainRestricted.title': 'Einladung nicht mehr gültig',
  'redeem.domainRestricted':
    '{tenant} erlaubt keine Einladungen an {domain} mehr, daher kann diese Einladung nicht angenommen werden. Wenden Sie sich an die Person, die Sie eingeladen hat.',
};
