// "Already signed in as someone else" (sessions/switch.ts): who is signed in, and continue as them or use another account.
export const switchEnUS = {
  'switch.title': "You're already signed in",
  'switch.signedIn': "You're signed in as {name} ({email}) at {org}.",
  'switch.invitation': 'This invitation from {tenant} is for {email}.',
  'switch.invitation.proof':
    "If you continue as {name}, we'll first send a code to {email} to confirm that this address is yours.",
  'switch.invitation.cannot':
    "{name} can't be used to accept this invitation for {email}. Use another account to accept it.",
  'switch.signin': "You're signing in to {app} at {tenant}, where {name} has an account.",
  'switch.continue': 'Continue as {name}',
  'switch.another': 'Use another account',
  'switch.another.note': 'Using another account signs {name} out of {org} in this browser first.',
  'select.title': 'Pick an account',
  'select.to': 'to continue to {app}',
  'select.account': '{name} ({email}), {org}',
  'switch.stale': 'This page is out of date: nothing was changed. Open the link again.',
};
