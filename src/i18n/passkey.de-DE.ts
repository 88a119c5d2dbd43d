// mfa-passkey: Passkeys und Sicherheitsschlüssel (WebAuthn).
import type { passkeyEnUS } from './passkey.en-US.ts';

export const passkeyDeDE: typeof passkeyEnUS = {
  'passkey.method': 'Passkey',
  'passkey.defaultName': 'Passkey',
  'passkey.add.title': 'Passkey hinzufügen',
  'passkey.add.intro':
    'Mit einem Passkey melden Sie sich über die Bildschirmsperre dieses Geräts, ein Telefon oder einen Sicherheitsschlüssel an statt mit einem Code. Geben Sie ihm einen Namen, an dem Sie ihn erkennen, und erstellen Sie ihn, wenn Ihr Browser fragt.',
  'passkey.add.name': 'Name des Passkeys',
  'passkey.add.button': 'Passkey erstellen',
  'passkey.add.cancel': 'Zurück zu den Sicherheitsinformationen',
  'passkey.add.added': 'Passkey „{name}“ hinzugefügt.',
  'passkey.add.nameTooLong': 'Der Name darf höchstens {max} Zeichen lang sein.',
  'passkey.required.instead': 'Stattdessen einen Passkey einrichten',
  'passkey.use.title': 'Passkey verwenden',
  'passkey.use.intro':
    'Melden Sie sich bei {tenant} mit einem Ihrer Passkeys oder Sicherheitsschlüssel an: Ihr Browser fragt, welchen, wenn Sie fortfahren.',
  'passkey.use.button': 'Passkey verwenden',
  'passkey.needsScript':
    'Passkeys brauchen JavaScript, das Ihr Browser auf dieser Seite nicht ausführt. Schalten Sie es ein und laden Sie die Seite neu, oder verwenden Sie eine andere Methode.',
  'passkey.unsupported':
    'Dieser Browser kann keine Passkeys verwenden. Verwenden Sie einen anderen Browser oder eine andere Methode.',
  'passkey.failed':
    'Ihr Browser hat keinen Passkey erstellt oder verwendet (abgebrochen oder zu lange gedauert). Versuchen Sie es erneut, oder verwenden Sie eine andere Methode.',
};
