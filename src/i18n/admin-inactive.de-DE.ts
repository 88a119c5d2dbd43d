// signinlog19: the admin center's "Inactive guests" (admin/inactive.tsx).
import type { adminInactiveEnUS } from './admin-inactive.en-US.ts';

export const adminInactiveDeDE: typeof adminInactiveEnUS = {
  'admin.inactive': 'Inaktive Gäste',
  'admin.inactive.days': 'Keine Anmeldung seit (Tagen)',
  'admin.inactive.show': 'Anzeigen',
  'admin.inactive.none': 'Alle Gäste haben eingelöst und sich in den letzten {days} Tagen angemeldet.',
  'admin.inactive.col.name': 'Name',
  'admin.inactive.col.mail': 'E-Mail',
  'admin.inactive.col.reason': 'Grund',
  'admin.inactive.col.last': 'Letzte Anmeldung',
  'admin.inactive.col.enabled': 'Anmeldung erlaubt',
  'admin.inactive.never': 'nie',
  'admin.inactive.neverRedeemed': 'Einladung nie eingelöst',
  'admin.inactive.idle': 'Seit {days} Tagen keine Anmeldung',
  'admin.inactive.yes': 'Ja',
  'admin.inactive.no': 'Nein',
  'admin.inactive.disable': 'Anmeldung blockieren',
  'admin.inactive.delete': 'Löschen',
  'admin.inactive.cancel': 'Abbrechen',
  'admin.inactive.nothing': 'Wählen Sie mindestens einen noch inaktiven Gast aus und dann eine Aktion.',
  'admin.inactive.confirmTitle': 'Bestätigen',
  'admin.inactive.confirmDisable': 'Anmeldung für diese {count} Gäste blockieren?',
  'admin.inactive.confirmDelete': 'Diese {count} Gäste löschen? Ihre Einladungslinks funktionieren dann nicht mehr.',
  'admin.inactive.disabled': 'Anmeldung für {count} Gäste blockiert.',
  'admin.inactive.deleted': '{count} Gäste gelöscht.',
};
