export const myappsEnUS = {
  'myapps.title': 'My Apps',
  'myapps.hello': 'Signed in as {name}',
  'myapps.apps': 'Apps',
  'myapps.none': '{tenant} has not given you any apps yet.',
  'myapps.orgs': 'Organizations',
  'myapps.home': '{tenant} (home)',
  'myapps.guestAt': '{tenant} (guest)',
  'myapps.current': '(current)',
  'myapps.signOut': 'Sign out',
  'myapps.signedOut': 'You are signed out of {tenant}.',
  'myapps.signIn': 'Sign in',
  'myapps.signInIntro': 'Sign in to see your apps.',
  'myapps.options': 'Sign-in options',
  'myapps.toOrg': 'Sign in to an organization',
  'myapps.domain': "Organization's domain name",
  'myapps.domainHint': "For example contoso.com: the part after @ in the organization's email addresses.",
  'myapps.next': 'Next',
  'myapps.unknownDomain':
    "We couldn't find an organization with the domain {domain}. Check the spelling, or ask the organization which domain to use.",
  'myapps.badDomain': 'Type a domain name such as contoso.com.',
  'myapps.unknownTenant':
    "This link names an organization that doesn't exist here. Check the link, or sign in to an organization by its domain.",
  'app.notAssigned.title': "You don't have access to {app}",
  'app.notAssigned':
    "Your account {user} isn't assigned to {app} at {tenant}. Ask {tenant}'s administrator to give you access, then try again.",
  'app.adminConsentRequired.title': 'Admin consent required',
  'app.adminConsentRequired':
    '{app} asks for permissions at {tenant} that only an administrator can grant ({permissions}). An administrator of {tenant} must grant consent for {app} first: in the admin center under Apps, {app}, Grant admin consent (or with `portico app consent --tenant {tenantId} --app {clientId}`). Then try again.',
  'myapps.unknownApp': "This app link doesn't lead to an app here. Open My Apps to see the apps you can use.",
  'signin.providers': 'Or sign in with',
  'app.crossTenantBlocked.title': "You can't use {app} as a guest",
  'app.crossTenantBlocked':
    "The cross-tenant access settings of {tenant} or of your own organization don't allow you to use {app} as a guest. Ask an administrator to allow it.",
};
