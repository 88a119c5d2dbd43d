// Sign-in methods (amr) as pages name them, and the page of an app that accepts other methods than the one used.
export const sessionsEnUS = {
  'amr.pwd': 'a password',
  'amr.otp': 'a one-time passcode sent by email',
  'amr.fed': "your organization's account",
  'app.signInMethodNotAllowed.title': '{app} needs another way of signing in',
  'app.signInMethodNotAllowed':
    "{app} at {tenant} accepts only sign-ins with {methods}. You signed in with {used}. If your organization has an account for you, ask {tenant}'s administrator to let you sign in with it; otherwise ask them for access to {app}.",
};
