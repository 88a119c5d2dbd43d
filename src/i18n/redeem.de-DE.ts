import type { redeemEnUS } from './redeem.en-US.ts';

export const redeemDeDE: typeof redeemEnUS = {
  'redeem.title': 'Einladung annehmen',
  'redeem.invited': '{inviter} hat Sie eingeladen, auf Anwendungen von {tenant} zuzugreifen.',
  'redeem.as': 'Einladung für {email}',
  'redeem.start': 'Einladung annehmen',
  'redeem.invalid.title': 'Diese Einladung kann nicht verwendet werden',
  'redeem.invalid':
    'Dieser Einladungslink kann nicht verwendet werden: Er ist vielleicht abgelaufen, wurde schon verwendet oder durch einen neueren ersetzt. Bitten Sie {tenant} um eine neue Einladung.',
  'redeem.invalidUnknown':
    'Dieser Einladungslink kann nicht verwendet werden: Er ist vielleicht abgelaufen, wurde schon verwendet oder durch einen neueren ersetzt. Bitten Sie die einladende Organisation um eine neue Einladung.',
  'redeem.expired':
    'Diese Anmeldung hat zu lange gedauert und ist abgelaufen. Öffnen Sie den Link in Ihrer Einladungs-E-Mail erneut.',
  'redeem.passcode.title': 'Code eingeben',
  'redeem.passcode.sent': 'Wir haben einen Code an {email} gesendet. Er ist {minutes} Minuten gültig.',
  'redeem.passcode.label': 'Code',
  'redeem.passcode.submit': 'Anmelden',
  'redeem.passcode.resend': 'Neuen Code senden',
  'redeem.passcode.wrong':
    'Dieser Code ist nicht richtig. Prüfen Sie unsere neueste E-Mail, und versuchen Sie es erneut.',
  'redeem.passcode.expired': 'Dieser Code ist abgelaufen. Lassen Sie einen neuen Code senden.',
  'redeem.passcode.locked': 'Zu viele Fehlversuche: Dieser Code gilt nicht mehr. Lassen Sie einen neuen Code senden.',
  'redeem.passcode.none': 'Es gibt keinen gültigen Code. Lassen Sie einen neuen Code senden.',
  'redeem.passcode.throttled':
    'Zu viele falsche Codes für diese Adresse. Warten Sie eine Stunde, und versuchen Sie es dann erneut.',
  'redeem.passcode.mailSubject': 'Ihr Bestätigungscode für {tenant}',
  'redeem.passcode.mailBody':
    'Ihr Code zum Annehmen der Einladung von {tenant} lautet {code}. Er ist {minutes} Minuten gültig. Wenn Sie ihn nicht angefordert haben, ignorieren Sie diese E-Mail.',
  'redeem.home.title': 'Bei {home} anmelden',
  'redeem.home.intro': 'Melden Sie sich mit Ihrem Konto bei {home} an, um die Einladung von {tenant} anzunehmen.',
  'redeem.notAvailable':
    'Diese Anmeldeart ist noch nicht verfügbar. Bitten Sie {tenant}, Sie erneut einzuladen, oder verwenden Sie eine andere Adresse.',
  'redeem.noIdentity.title': 'Keine Anmeldemöglichkeit',
  'redeem.noIdentity':
    '{tenant} hat {email} eingeladen, aber mit dieser Adresse ist keine Anmeldung möglich: {tenant} erlaubt weder Einmalcodes per E-Mail noch persönliche Konten, und kein Identitätsanbieter von {tenant} ist für diese Adresse zuständig. Bitten Sie die Person, die Sie eingeladen hat, dass {tenant} eine Anmeldemöglichkeit aktiviert (etwa den Einmalcode per E-Mail), und öffnen Sie dann Ihren Einladungslink erneut.',
  'redeem.consent.title': 'Berechtigungen überprüfen',
  'redeem.consent.intro': '{tenant} möchte:',
  'redeem.consent.share':
    'Ihre Profildaten erhalten: Ihren Namen, Ihre E-Mail-Adresse und die Organisation, bei der Sie sich anmelden.',
  'redeem.consent.privacy':
    'Mit dem Annehmen erlauben Sie {tenant}, Ihre Daten gemäß der Datenschutzerklärung zu verwenden.',
  'redeem.consent.privacyLink': 'Datenschutzerklärung von {tenant}',
  'redeem.consent.noPrivacy':
    '{tenant} hat keine Datenschutzerklärung angegeben. Sie können nachfragen, wie Ihre Daten verwendet werden.',
  'redeem.consent.accept': 'Annehmen',
  'redeem.consent.cancel': 'Abbrechen',
  'redeem.cancelled.title': 'Einladung nicht angenommen',
  'redeem.cancelled':
    'Sie haben die Einladung von {tenant} nicht angenommen; es hat sich nichts geändert. Sie können den Link in Ihrer Einladungs-E-Mail später erneut öffnen.',
  'redeem.done.title': 'Alles erledigt',
  'redeem.done': 'Sie haben jetzt Zugriff auf {tenant}.',
  'redeem.alreadyDone': 'Diese Einladung wurde bereits angenommen.',
  'redeem.forbidden':
    'Dieses Formular ist abgelaufen oder stammt nicht von dieser Seite. Gehen Sie zurück, und versuchen Sie es erneut.',
  'redeem.personal.title': 'Mit Ihrem persönlichen Konto anmelden',
  'redeem.personal.intro': 'Melden Sie sich mit Ihrem persönlichen Konto für {email} an.',
  'redeem.personal.forgot': 'Kennwort vergessen?',
  'redeem.signup.title': 'Konto erstellen',
  'redeem.signup.intro':
    'Erstellen Sie ein persönliches Konto für {email}, um die Einladung von {tenant} anzunehmen. Wir senden einen Code an diese Adresse, um sie zu bestätigen.',
  'redeem.signup.name': 'Ihr Name',
  'redeem.signup.password': 'Neues Kennwort',
  'redeem.signup.submit': 'Konto erstellen',
  'redeem.picker.title': 'Konto auswählen',
  'redeem.picker.intro': 'Für {email} gibt es mehr als ein Konto. Mit welchem möchten Sie die Einladung annehmen?',
  'redeem.picker.work': 'Geschäfts- oder Schulkonto bei {home}',
  'redeem.picker.personal': 'Persönliches Konto',
  'redeem.declined':
    'Sie haben {terms} abgelehnt. Sie können die Apps von {tenant} daher noch nicht verwenden; Ihre Einladung bleibt offen. Falls Sie es sich anders überlegen, öffnen Sie den Link in Ihrer Einladungs-E-Mail erneut.',
  'redeem.continue': 'Weiter',
  'direct.alias':
    'Sie haben sich als {other} angemeldet, aber {tenant} hat {email} eingeladen. Die Anmeldung mit einer anderen Adresse funktioniert nur über den Link in Ihrer Einladungs-E-Mail: Öffnen Sie ihn oder melden Sie sich als {email} an.',
  'direct.contactConflict':
    'Ihr Konto bei {tenant} kann über diesen Link noch nicht verwendet werden. Öffnen Sie den Link in Ihrer Einladungs-E-Mail, um die Einladung anzunehmen; wenn Sie ihn nicht mehr haben, bitten Sie {tenant}, sie erneut zu senden.',
  'direct.otherIdentity':
    'Dies ist nicht das Konto, mit dem Sie die Einladung von {tenant} angenommen haben. Melden Sie sich wie damals an oder bitten Sie {tenant}, Ihre Einladung zurückzusetzen.',
  'autoredeem.subject': 'Sie haben jetzt Zugriff auf {tenant}',
  'autoredeem.body':
    'Sie wurden {tenant} als Gast hinzugefügt und können jetzt die Apps verwenden, die mit Ihnen geteilt werden. Sie müssen nichts tun.\n\nUm diese Apps zu sehen, öffnen Sie „Meine Apps“ von {tenant}:\n{link}\n\nMelden Sie sich dort mit Ihrem gewohnten Arbeitskonto an.',
  'xtap.blockedOutbound':
    'Die Einstellungen Ihrer Organisation erlauben Ihnen nicht, als Gast mit {tenant} zusammenzuarbeiten. Bitten Sie Ihre eigene Administration, die B2B-Zusammenarbeit mit {tenant} zu erlauben.',
  'xtap.blockedInbound':
    'Die Einstellungen von {tenant} erlauben derzeit keine Gäste aus Ihrer Organisation. Bitten Sie {tenant}, die B2B-Zusammenarbeit mit Ihrer Organisation zu erlauben.',
};
