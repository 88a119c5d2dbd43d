// lists: die Listen des Admin Centers auf der einen Listenkomponente (Issue #21): worin die Suche jeder Liste sucht.
import type { listPagesEnUS } from './list-pages.en-US.ts';

export const listPagesDeDE: typeof listPagesEnUS = {
  'lists.contacts.search': 'Nach Name, E-Mail-Adresse oder Firma suchen',
  'lists.groups.search': 'Nach Name, Beschreibung oder E-Mail-Alias suchen',
  'lists.apps.search': 'Nach Name oder Anwendungs-ID suchen',
  'lists.outbox.search': 'Nach Empfänger, Betreff oder Fehler suchen',
  'lists.audit.search': 'Nach Aktivität, Grund oder Urheber suchen',
  'lists.signins.search': 'Nach Benutzer, App, Identitätsanbieter, IP-Adresse oder Fehler suchen',
  'lists.category': 'Kategorie',
  'lists.col.appId': 'Anwendungs-ID',
};
