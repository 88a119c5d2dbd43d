import type { adminDomainsEnUS } from './admin-domains.en-US.ts';

export const adminDomainsDeDE: typeof adminDomainsEnUS = {
  'admin.domains.intro':
    '{initial} ist die Anfangsdomäne Ihrer Organisation und bezeichnet sie immer. Fügen Sie eine Domäne hinzu, die Ihnen gehört, und weisen Sie sie mit einem DNS-TXT-Eintrag nach: Sobald sie verifiziert ist, führen direkte Links wie /myapps/<Domäne> und Anmeldeadressen unter der Domäne zu Ihrer Organisation, und kein Identitätsanbieter dieser Portico-Installation kann ihre Adressen übernehmen.',
  'admin.domains.col.name': 'Domäne',
  'admin.domains.col.status': 'Status',
  'admin.domains.initial': 'Anfangsdomäne, verifiziert',
  'admin.domains.verified': 'Verifiziert',
  'admin.domains.unverified': 'Nicht verifiziert',
  'admin.domains.add': 'Domäne hinzufügen',
  'admin.domains.name': 'Domänenname',
  'admin.domains.nameHint': 'Zum Beispiel fabrikam.com. Im nächsten Schritt verifizieren Sie sie.',
  'admin.domains.addSubmit': 'Domäne hinzufügen',
  'admin.domains.readOnly': 'Ihre Rolle darf Domänen ansehen, aber nicht ändern.',
  'admin.domains.added':
    '{name} wurde hinzugefügt. Veröffentlichen Sie den TXT-Eintrag unten und verifizieren Sie die Domäne dann.',
  'admin.domains.verifiedDone': '{name} ist verifiziert.',
  'admin.domains.unverifiedDone':
    '{name} ist nicht mehr verifiziert. Direkte Links über diese Domäne funktionieren ab sofort nicht mehr.',
  'admin.domains.removed': '{name} wurde entfernt.',
  'admin.domains.back': 'Alle Domänen',
  'admin.domains.publish':
    'Veröffentlichen Sie diesen TXT-Eintrag beim DNS-Anbieter von {name} und wählen Sie dann „Verifizieren“. DNS-Änderungen brauchen manchmal eine Weile; schlägt die Verifizierung fehl, warten Sie und versuchen Sie es erneut.',
  'admin.domains.rec.type': 'Typ',
  'admin.domains.rec.host': 'Name (Host)',
  'admin.domains.rec.hostHint': '{name} selbst: Die meisten DNS-Anbieter nennen das @ oder lassen das Feld leer',
  'admin.domains.rec.value': 'Wert',
  'admin.domains.rec.ttl': 'TTL',
  'admin.domains.verify': 'Verifizieren',
  'admin.domains.verifiedNote':
    '{name} ist verifiziert: Direkte Links wie {link} führen zu {tenant}. Lassen Sie den TXT-Eintrag veröffentlicht: Er verifiziert die Domäne erneut, falls die Verifizierung einmal aufgehoben wird.',
  'admin.domains.unverify': 'Verifizierung aufheben',
  'admin.domains.unverifyNote':
    'Das Aufheben wirkt sofort: Direkte Links und Anmeldeadressen über diese Domäne führen nicht mehr zu {tenant}, bis sie wieder verifiziert ist.',
  'admin.domains.initialNote':
    'Dies ist die Anfangsdomäne Ihrer Organisation. Sie ist immer verifiziert und kann nicht entfernt werden.',
  'admin.domains.remove': 'Domäne entfernen',
  'admin.domains.removeTitle': '{name} entfernen?',
  'admin.domains.removeConfirm':
    '{name} bezeichnet dann nicht mehr {tenant}: Direkte Links über diese Domäne funktionieren nicht mehr. Sie können sie später wieder hinzufügen und mit demselben TXT-Eintrag verifizieren.',
  'admin.domains.removeSubmit': 'Entfernen',
  'admin.domains.cancel': 'Abbrechen',
  'admin.domains.err.invalid': 'Geben Sie einen Domänennamen wie fabrikam.com ein.',
  'admin.domains.err.reserved':
    'Namen unter {suffix} sind die Anfangsdomänen der Organisationen dieser Portico-Installation und können nicht hinzugefügt werden.',
  'admin.domains.err.tooMany':
    'Ihre Organisation hat die höchstmögliche Zahl an Domänen. Entfernen Sie zuerst eine, die Sie nicht mehr nutzen.',
  'admin.domains.err.exists': '{name} ist bereits eine Ihrer Domänen.',
  'admin.domains.err.missing':
    'Die Verifizierung ist fehlgeschlagen: Der TXT-Eintrag wurde bei {name} nicht gefunden. Prüfen Sie, ob er genau wie angezeigt veröffentlicht ist, warten Sie auf die DNS-Aktualisierung und versuchen Sie es erneut.',
  'admin.domains.err.mismatch':
    'Die Verifizierung ist fehlgeschlagen: {name} hat einen portico-verification-TXT-Eintrag, aber nicht den Ihrer Organisation. Veröffentlichen Sie den unten angezeigten Wert und versuchen Sie es erneut.',
  'admin.domains.err.taken':
    '{name} ist von einer anderen Organisation dieser Portico-Installation verifiziert. Diese muss die Domäne entfernen, bevor Sie sie verifizieren können.',
  'admin.domains.err.dns':
    'Portico konnte das DNS für {name} nicht abfragen. Versuchen Sie es gleich noch einmal; wenn es weiter fehlschlägt, wenden Sie sich an die Betreiber dieser Portico-Installation.',
  'admin.domains.err.inUse':
    'Benutzer Ihrer Organisation melden sich mit Namen unter {name} an. Ändern Sie zuerst deren Benutzernamen und entfernen Sie dann die Domäne.',
};
