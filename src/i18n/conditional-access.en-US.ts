// mfa-policy: Conditional Access (issue #20): the page of a sign-in a policy blocks, and the admin center's
// Conditional Access page (policies, the authentication methods policy).
export const conditionalAccessEnUS = {
  'ca.blocked.title': 'You cannot access this right now',
  'ca.blocked':
    'Your sign-in was successful, but {tenant} does not allow you to access {app} under its Conditional Access policies. Contact the administrator of {tenant}. Error code: AADSTS53003.',
  'ca.blocked.noApp':
    'Your sign-in was successful, but {tenant} does not allow you access under its Conditional Access policies. Contact the administrator of {tenant}. Error code: AADSTS53003.',
};
