export const federationEnUS = {
  'federation.continue.title': 'Sign in with {idp}',
  'federation.continue':
    '{tenant} signs in {email} with {idp}. Continue to sign in there; you will come back here afterwards.',
  'federation.continue.button': 'Continue to {idp}',
  'federation.refused.title': 'Sign-in not accepted',
  'federation.refused':
    "The sign-in from {idp} could not be accepted: {reason}. Try again; if it keeps failing, contact {tenant}'s administrator.",
  'federation.expired':
    'This sign-in took too long or was already completed. Start again from your invitation link or the app you were opening.',
  'federation.webview.title': 'Open this page in your browser',
  'federation.webview':
    'Google does not allow signing in from inside another app (an embedded browser). Open this link in your device\'s browser, such as Chrome, Safari or Firefox: in the app\'s menu (⋯ or ⋮) choose "Open in browser", or copy the link and paste it into your browser.',
  'federation.noAccount':
    'You signed in at {idp} as {email}, but {tenant} has no account for this identity. If you were invited, open the link in your invitation email first.',
  'federation.disabled': 'Your account at {tenant} is disabled. Contact its administrator.',
  'federation.taken':
    'This identity already signs in to another account at {tenant}. Sign in with the identity you use for this invitation, or ask {tenant} to remove the other account.',
};
