// The device code flow (oidc/device-flow.ts): the code a CLI shows, entered on the tenant's verification page.
export const deviceEnUS = {
  'device.message': 'To sign in, use a web browser to open the page {url} and enter the code {code} to authenticate.',
  'device.title': 'Enter code',
  'device.intro': 'Enter the code displayed on your app or device to allow it to access your account at {tenant}.',
  'device.code': 'Code',
  'device.next': 'Next',
  'device.wrong': "That code isn't right. Check the code shown on your device and try again.",
  'device.expired': 'That code has expired. Start the sign-in on your device again to get a new code.',
  'device.used': 'That code has already been used. Start the sign-in on your device again to get a new code.',
  'device.aborted': 'The sign-in was cancelled. Nothing was signed in; you can close this window.',
  'device.failed': 'The sign-in could not be completed: {reason}. Start the sign-in on your device again.',
  'device.confirm.title': 'Are you trying to sign in?',
  'device.confirm.question': 'Are you trying to sign in to {app}?',
  'device.confirm.as': "You're signed in as {name} ({email}).",
  'device.confirm.code': 'Only continue if your device shows this code: {code}',
  'device.confirm.warning':
    "If you didn't start this sign-in on your own device, or someone sent you this code, cancel: continuing would give them access to your account.",
  'device.confirm.yes': 'Continue',
  'device.confirm.no': 'Cancel',
  'device.done.title': "You're signed in",
  'device.done': 'You have signed in to {app} on your device. You can close this window.',
};
