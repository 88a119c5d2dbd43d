// ux-lists: die eine Liste des Admin Centers (Sortieren, Blättern, Export) und ihre Benutzerliste.
import type { listsEnUS } from './lists.en-US.ts';

export const listsDeDE: typeof listsEnUS = {
  'list.range': '{from}–{to} von {total}',
  'list.pages': 'Seiten',
  'list.previous': 'Vorherige Seite',
  'list.next': 'Nächste Seite',
  'list.export': 'Als CSV exportieren',
  'list.sortAsc': 'Nach {column} aufsteigend sortieren',
  'list.sortDesc': 'Nach {column} absteigend sortieren',
  'admin.users.searchAny': 'Nach Name, E-Mail, Benutzername oder Domäne suchen',
  'admin.users.source': 'Quelle',
  'admin.users.source.pending': 'Einladung noch nicht angenommen',
  'admin.users.source.mail': 'Einmal-Passcode',
  'admin.users.source.personal': 'Persönliches Konto',
  'admin.users.source.google': 'Google',
  'admin.users.source.other': 'Andere Organisation oder anderer Identitätsanbieter',
  'admin.col.created': 'Erstellt',
};
