// mfa-passkey: passkeys and security keys (WebAuthn), registered on Security info or at sign-in and used as a second
// factor (src/mfa/webauthn*).
export const passkeyEnUS = {
  'passkey.method': 'Passkey',
  'passkey.defaultName': 'Passkey',
  'passkey.add.title': 'Add a passkey',
  'passkey.add.intro':
    'A passkey signs you in with this device’s screen lock, a phone, or a security key, instead of a code. Give it a name you will recognize, then create it when your browser asks.',
  'passkey.add.name': 'Name of the passkey',
  'passkey.add.button': 'Create passkey',
  'passkey.add.cancel': 'Back to Security info',
  'passkey.add.added': 'Passkey “{name}” added.',
  'passkey.add.nameTooLong': 'The name can be at most {max} characters long.',
  'passkey.required.instead': 'Set up a passkey instead',
  'passkey.use.title': 'Use your passkey',
  'passkey.use.intro':
    'Sign in to {tenant} with one of your passkeys or security keys: your browser asks which one when you continue.',
  'passkey.use.button': 'Use passkey',
  'passkey.needsScript':
    'Passkeys need JavaScript, which does not run on this page in your browser. Turn it on and reload, or use another method.',
  'passkey.unsupported': 'This browser cannot use passkeys. Use another browser, or another method.',
  'passkey.failed':
    'Your browser did not create or use a passkey (it was cancelled or took too long). Try again, or use another method.',
};
