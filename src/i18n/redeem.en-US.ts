export const redeemEnUS = {
  'redeem.title': 'Accept invitation',
  'redeem.invited': '{inviter} invited you to access applications within {tenant}.',
  'redeem.as': 'Invitation for {email}',
  'redeem.start': 'Accept invitation',
  'redeem.invalid.title': "This invitation can't be used",
  'redeem.invalid':
    "This invitation link can't be used: it may have expired, been used already, or been replaced by a newer one. Ask {tenant} for a new invitation.",
  'redeem.invalidUnknown':
    "This invitation link can't be used: it may have expired, been used already, or been replaced by a newer one. Ask the organization that invited you for a new invitation.",
  'redeem.expired': 'This sign-in took too long and has expired. Open the link in your invitation email again.',
  'redeem.passcode.title': 'Enter code',
  'redeem.passcode.sent': 'We sent a code to {email}. It is valid for {minutes} minutes.',
  'redeem.passcode.label': 'Code',
  'redeem.passcode.submit': 'Sign in',
  'redeem.passcode.resend': 'Send a new code',
  'redeem.passcode.wrong': "That code isn't right. Check the latest email from us and try again.",
  'redeem.passcode.expired': 'That code has expired. Send a new code.',
  'redeem.passcode.locked': 'Too many wrong tries: this code no longer works. Send a new code.',
  'redeem.passcode.none': 'There is no valid code. Send a new code.',
  'redeem.passcode.throttled': 'Too many wrong codes for this address. Wait an hour and try again.',
  'redeem.passcode.mailSubject': 'Your {tenant} verification code',
  'redeem.passcode.mailBody':
    'Your code to accept the invitation from {tenant} is {code}. It is valid for {minutes} minutes. If you did not ask for it, ignore this email.',
  'redeem.home.title': 'Sign in to {home}',
  'redeem.home.intro': 'Sign in with your {home} account to accept the invitation from {tenant}.',
  'redeem.notAvailable':
    'This way of signing in is not available yet. Ask {tenant} to invite you again, or use a different address.',
  'redeem.noIdentity.title': 'No way to sign in',
  'redeem.noIdentity':
    "{tenant} invited {email}, but there is no way for this address to sign in: {tenant} doesn't allow email one-time passcodes or personal accounts, and no identity provider of {tenant} serves this address. Ask the person who invited you to have {tenant} enable a way to sign in (such as email one-time passcode), then open your invitation link again.",
  'redeem.consent.title': 'Review permissions',
  'redeem.consent.intro': '{tenant} would like to:',
  'redeem.consent.share': 'Receive your profile data: your name, email address and the organization you sign in from.',
  'redeem.consent.privacy': 'By accepting, you allow {tenant} to use your data in line with their privacy statement.',
  'redeem.consent.privacyLink': "{tenant}'s privacy statement",
  'redeem.consent.noPrivacy': '{tenant} has not provided a privacy statement. You can ask them how they use your data.',
  'redeem.consent.accept': 'Accept',
  'redeem.consent.cancel': 'Cancel',
  'redeem.cancelled.title': 'Invitation not accepted',
  'redeem.cancelled':
    'You did not accept the invitation from {tenant}, so nothing has changed. You can open the link in your invitation email again later.',
  'redeem.done.title': 'You are all set',
  'redeem.done': 'You now have access to {tenant}.',
  'redeem.alreadyDone': 'This invitation has already been accepted.',
  'redeem.forbidden': 'This form has expired or did not come from this page. Go back and try again.',
  'redeem.personal.title': 'Sign in with your personal account',
  'redeem.personal.intro': 'Sign in with the personal account you have for {email}.',
  'redeem.personal.forgot': 'Forgot your password?',
  'redeem.signup.title': 'Create your account',
  'redeem.signup.intro':
    'Create a personal account for {email} to accept the invitation from {tenant}. We will send a code to this address to confirm it.',
  'redeem.signup.name': 'Your name',
  'redeem.signup.password': 'New password',
  'redeem.signup.submit': 'Create account',
  'redeem.picker.title': 'Pick an account',
  'redeem.picker.intro':
    'There is more than one account for {email}. Which one do you want to accept the invitation with?',
  'redeem.picker.work': 'Work or school account at {home}',
  'redeem.picker.personal': 'Personal account',
  'redeem.declined':
    "You declined {terms}, so you can't use {tenant}'s apps yet and your invitation is still pending. If you change your mind, open the link in your invitation email again.",
  'redeem.continue': 'Continue',
  'direct.alias':
    'You signed in as {other}, but {tenant} invited {email}. Signing in with another address only works through the link in your invitation email: open it, or sign in as {email}.',
  'direct.contactConflict':
    "Your account at {tenant} can't be used through this link yet. Open the link in your invitation email to accept the invitation; if you no longer have it, ask {tenant} to send it again.",
  'direct.otherIdentity':
    "This isn't the account you accepted {tenant}'s invitation with. Sign in the same way you did then, or ask {tenant} to reset your invitation.",
  'autoredeem.subject': 'You now have access to {tenant}',
  'autoredeem.body':
    'You have been added to {tenant} as a guest and can now use the apps it shares with you. You do not need to do anything.\n\nTo see these apps, open My Apps for {tenant}:\n{link}\n\nSign in there with your usual work account.',
  'xtap.blockedOutbound':
    "Your organization's settings don't allow you to collaborate with {tenant} as a guest. Ask your own administrator to allow B2B collaboration with {tenant}.",
  'xtap.blockedInbound':
    "{tenant}'s settings don't allow guests from your organization right now. Ask {tenant} to allow B2B collaboration with your organization.",
};
