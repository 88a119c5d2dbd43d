// Multi-tenant apps: the consent page of another organization's app (oidc/app-consent.tsx) and the common endpoints'
// sign-in pages (oidc/common.tsx).
export const multitenantEnUS = {
  'mt.consent.title': 'Permissions requested',
  'mt.consent.intro': '{app}, published by {publisher}, wants to use your account at {tenant}. It asks to:',
  'mt.consent.signIn': 'Sign you in and read your profile',
  'mt.consent.offline': 'Keep access to what you allowed, also when you are not using it',
  'mt.consent.note':
    'Accepting adds {app} to the enterprise applications of {tenant}. You can ask an administrator of {tenant} about it.',
  'mt.consent.accept': 'Accept',
  'mt.consent.cancel': 'Cancel',
  'mt.adminConsent':
    '{app}, published by {publisher}, asks for permissions at {tenant} that only an administrator can grant ({permissions}). An administrator of {tenant} must add the app first (Graph: POST /v1.0/servicePrincipals with appId {clientId}, then POST /v1.0/servicePrincipals/<its id>/adminConsent). Then try again.',
  'common.title': 'Sign in',
  'common.to': 'to continue to {app}',
  'common.personalToo': 'Use your work or school account, or a personal account.',
  'common.personalOnly': 'Use a personal account.',
  'common.notForOrg':
    "{app} can't be used with accounts of {tenant}. Use an account of an organization that uses {app}, or ask the app's publisher.",
  'common.notForPersonal': "{app} can't be used with personal accounts. Use a work or school account.",
  'common.badRequest': "This sign-in request isn't valid: {reason}",
  'common.notMultiTenant':
    "{app} is not a multi-tenant application: it can't be signed in to through this common endpoint. Use its organization's own sign-in address.",
  'common.options': 'Sign-in options',
  'common.toOrg': 'Sign in to an organization',
  'common.toOrgIntro': "Type the domain name of the organization you're a guest of, to sign in there.",
  // personal18
  'common.unknown':
    "AADSTS50020: no organization here signs in with {address}, and {app} can't be used with personal accounts through this endpoint. Use your work or school address; if you are a guest of an organization, choose Sign-in options, then Sign in to an organization.",
  'consumer.title': 'Sign in with your personal account',
  'consumer.unverified':
    "This personal account's email address isn't verified yet. Verify it with the code we mailed you, or create the account again.",
};
