import type { personalEnUS } from './personal.en-US.ts';

export const personalDeDE: typeof personalEnUS = {
  'personal.org': 'Persönliches Portico-Konto',
  'personal.signup.title': 'Persönliches Konto erstellen',
  'personal.signup.intro':
    'Mit einem persönlichen Konto können Sie Einladungen von Organisationen mit Ihrer eigenen E-Mail-Adresse annehmen.',
  'personal.signup.email': 'E-Mail-Adresse',
  'personal.signup.displayName': 'Ihr Name',
  'personal.signup.password': 'Kennwort',
  'personal.signup.passwordHint': 'Mindestens {min} Zeichen und nicht Ihre E-Mail-Adresse.',
  'personal.signup.submit': 'Konto erstellen',
  'personal.signup.haveAccount': 'Kennwort vergessen?',
  'personal.verify.title': 'Prüfen Sie Ihre E-Mails',
  'personal.verify.sent':
    'Wir haben eine E-Mail an die eingegebene Adresse gesendet. Wenn sie einen Code enthält, geben Sie ihn unten ein. Codes sind {minutes} Minuten gültig.',
  'personal.verify.code': 'Code',
  'personal.verify.codeHint': 'Die 6 Ziffern aus der E-Mail.',
  'personal.verify.submit': 'Bestätigen',
  'personal.verify.resend': 'Neuen Code senden',
  'personal.verify.resent':
    'Wenn die Adresse einen Code erhalten kann, haben wir einen neuen gesendet. Früher gesendete Codes gelten nicht mehr.',
  'personal.verified.title': 'E-Mail-Adresse bestätigt',
  'personal.verified.body':
    'Ihr persönliches Konto ist bereit. Sie können damit Einladungen an diese Adresse annehmen.',
  'personal.reset.title': 'Kennwort zurücksetzen',
  'personal.reset.intro':
    'Geben Sie die Adresse Ihres persönlichen Kontos ein. Wir senden Ihnen einen Code, mit dem Sie ein neues Kennwort festlegen.',
  'personal.reset.email': 'E-Mail-Adresse',
  'personal.reset.submit': 'Code senden',
  'personal.confirm.title': 'Neues Kennwort festlegen',
  'personal.confirm.sent':
    'Wenn ein persönliches Konto die eingegebene Adresse verwendet, haben wir einen Code an sie gesendet. Codes sind {minutes} Minuten gültig.',
  'personal.confirm.email': 'E-Mail-Adresse',
  'personal.confirm.code': 'Code',
  'personal.confirm.password': 'Neues Kennwort',
  'personal.confirm.submit': 'Kennwort ändern',
  'personal.resetDone.title': 'Kennwort geändert',
  'personal.resetDone.body': 'Ihr Kennwort wurde geändert. Verwenden Sie ab jetzt das neue.',
  'personal.startSignup': 'Persönliches Konto erstellen',
  'personal.startReset': 'Kennwort zurücksetzen',
  'personal.error.displayName': 'Geben Sie Ihren Namen ein (1 bis 256 Zeichen).',
  'personal.error.passwordTooShort': 'Das Kennwort muss mindestens {min} Zeichen haben.',
  'personal.error.passwordTooLong': 'Das Kennwort darf höchstens {max} Zeichen haben.',
  'personal.error.passwordSameAsEmail': 'Das Kennwort darf nicht Ihre E-Mail-Adresse sein.',
  'personal.error.codeFormat': 'Geben Sie den 6-stelligen Code aus der E-Mail ein.',
  'personal.error.codeWrong': 'Dieser Code ist nicht richtig. Prüfen Sie die E-Mail, und versuchen Sie es erneut.',
  'personal.error.resetWrong':
    'Die Adresse oder der Code ist nicht richtig. Prüfen Sie beides, und versuchen Sie es erneut.',
  'personal.error.codeExpired': 'Dieser Code ist abgelaufen. Fordern Sie einen neuen an.',
  'personal.error.codeLocked': 'Dieser Code wurde zu oft falsch eingegeben. Fordern Sie einen neuen an.',
  'personal.error.throttled': 'Zu viele Versuche. Warten Sie einige Minuten, und versuchen Sie es dann erneut.',
  'personal.error.formExpired':
    'Dieses Formular ist abgelaufen. Öffnen Sie die Seite erneut, und senden Sie es noch einmal.',
  'personal.error.noFlow':
    'Diese Seite ist abgelaufen oder wurde in einem anderen Browser geöffnet. Beginnen Sie erneut.',
  'personal.mail.fromName': 'Portico',
  'personal.mail.verify.subject': 'Bestätigen Sie Ihre E-Mail-Adresse für Portico',
  'personal.mail.verify.heading': 'E-Mail-Adresse bestätigen',
  'personal.mail.verify.body':
    'Hallo {name}, mit diesem Code bestätigen Sie die Adresse Ihres neuen persönlichen Portico-Kontos:',
  'personal.mail.verify.validity':
    'Der Code ist {minutes} Minuten gültig. Geben Sie ihn auf der Seite ein, auf der Sie sich registriert haben.',
  'personal.mail.verify.ignore':
    'Wenn Sie kein Portico-Konto erstellt haben, ignorieren Sie diese E-Mail: Das Konto bleibt unbestätigt.',
  'personal.mail.reset.subject': 'Ihr Code zum Zurücksetzen des Portico-Kennworts',
  'personal.mail.reset.heading': 'Kennwort zurücksetzen',
  'personal.mail.reset.body':
    'Hallo {name}, mit diesem Code legen Sie ein neues Kennwort für Ihr persönliches Portico-Konto fest:',
  'personal.mail.reset.validity':
    'Der Code ist {minutes} Minuten gültig. Geben Sie ihn auf der Seite ein, auf der Sie ihn angefordert haben.',
  'personal.mail.reset.ignore':
    'Wenn Sie das Zurücksetzen nicht angefordert haben, ignorieren Sie diese E-Mail: Ihr Kennwort bleibt unverändert.',
  'personal.mail.exists.subject': 'Jemand wollte mit Ihrer Adresse ein Portico-Konto erstellen',
  'personal.mail.exists.heading': 'Für Ihre Adresse gibt es bereits ein Konto',
  'personal.mail.exists.body':
    'Jemand, vielleicht Sie, wollte mit {email} ein persönliches Portico-Konto erstellen. Für diese Adresse gibt es bereits ein Konto, daher wurde nichts geändert.',
  'personal.mail.exists.reset': 'Wenn Sie es waren und Ihr Kennwort vergessen haben, setzen Sie es hier zurück: {url}',
  'personal.mail.exists.ignore': 'Wenn Sie es nicht waren, können Sie diese E-Mail ignorieren.',
  'personal.mail.footer': 'Diese E-Mail wurde von Portico zu einem persönlichen Konto gesendet.',
};
