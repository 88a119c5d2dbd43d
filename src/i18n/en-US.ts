import { addressEnUS } from './address.en-US.ts';
import { adminAccessEnUS } from './admin-access.en-US.ts';
import { adminAppsEnUS } from './admin-apps.en-US.ts';
import { adminBulkEnUS } from './admin-bulk.en-US.ts';
import { adminDirectoryEnUS } from './admin-directory.en-US.ts';
import { adminDomainsEnUS } from './admin-domains.en-US.ts';
import { adminInactiveEnUS } from './admin-inactive.en-US.ts';
import { adminTermsEnUS } from './admin-terms.en-US.ts';
import { adminUserpageEnUS } from './admin-userpage.en-US.ts';
import { adminEnUS } from './admin.en-US.ts';
import { conditionalAccessEnUS } from './conditional-access.en-US.ts';
import { consentEnUS } from './consent.en-US.ts';
import { crossTenantEnUS } from './crosstenant.en-US.ts';
import { deletedEnUS } from './deleted.en-US.ts';
import { deviceEnUS } from './device.en-US.ts';
import { edgeEnUS } from './edge.en-US.ts';
import { federationEnUS } from './federation.en-US.ts';
import { govDeletedEnUS } from './gov-deleted.en-US.ts';
import { lifecycleEnUS } from './lifecycle.en-US.ts';
import { listPagesEnUS } from './list-pages.en-US.ts';
import { listsEnUS } from './lists.en-US.ts';
import { mfaEnUS } from './mfa.en-US.ts';
import { multitenantEnUS } from './multitenant.en-US.ts';
import { myappsEnUS } from './myapps.en-US.ts';
import { passkeyEnUS } from './passkey.en-US.ts';
import { personalEnUS } from './personal.en-US.ts';
import { policyEnUS } from './policy.en-US.ts';
import { redeemEnUS } from './redeem.en-US.ts';
import { refusalsEnUS } from './refusals.en-US.ts';
import { sessionsEnUS } from './sessions.en-US.ts';
import { shellEnUS } from './shell.en-US.ts';
import { switchEnUS } from './switch.en-US.ts';
import { termsEnUS } from './terms.en-US.ts';

export const enUS = {
  'signin.title': 'Sign in',
  'signin.to': 'to continue to {app}',
  'signin.email': 'Email address',
  'signin.next': 'Next',
  'signin.password': 'Password',
  'signin.submit': 'Sign in',
  'signin.back': 'Use another account',
  'signin.unknown': "We couldn't find an account with that address in {tenant}. Check it, or ask your administrator.",
  'signin.badPassword': 'Your account or password is incorrect. Try again.',
  'signin.disabled': 'This account is disabled. Ask your administrator to enable it.',
  'signin.throttled': 'Too many attempts. Wait a few minutes and try again.',
  'signin.locked':
    'This account is locked after too many wrong passwords. Ask your administrator to reset your password.',
  'signin.lockedPersonal': 'This account is locked after too many wrong passwords. Reset your password to unlock it.',
  'error.title': 'Something went wrong',
  'error.oidc': 'The sign-in request could not be completed: {reason}. Go back to the app and start again.',
  'error.expired': 'This sign-in page has expired. Go back to the app and start again.',
  'error.notFound': 'There is nothing at this address. Check the link, or ask the person who sent it.',
  'error.tenantNotFound':
    'No organization on this Portico matches "{tenant}". Check the link, or ask the organization for the right one.',
  'error.server':
    'Portico had a problem handling this request. Try again in a moment; if it keeps happening, tell your administrator.',
  'logout.title': 'Sign out',
  'logout.question': 'Do you want to sign out of {tenant}?',
  'logout.yes': 'Sign out',
  'logout.no': 'Stay signed in',
  'logout.done': 'You have signed out of {tenant}. You can close this window.',
  'footer.privacy': 'Privacy statement',
  'footer.noPrivacy': '{tenant} has not provided a privacy statement.',
  'invite.fromName': '{tenant} via Portico',
  'invite.subject': '{inviter} invited you to access applications within {tenant}',
  'invite.heading': "You're invited to {tenant}",
  'invite.intro': '{inviter} ({inviterEmail}) invited you to access applications within {tenant}.',
  'invite.introNoAddress': '{inviter} invited you to access applications within {tenant}.',
  'invite.message': 'Message from {inviter}:',
  'invite.accept': 'Accept invitation',
  'invite.redirectHost': 'After you accept, you will go to {host}.',
  'invite.linkHelp': "If the button doesn't work, copy this address into your browser:",
  'invite.caution':
    "Accept only if you know {tenant} and expected this invitation. If you don't recognize the sender, ignore this email: nothing happens until you accept.",
  'invite.privacy': "{tenant}'s privacy statement: {url}",
  'invite.noPrivacy':
    '{tenant} has not provided a privacy statement. Ask them how they use your information before you accept.',
  'invite.footer': 'This invitation was sent by {tenant} through Portico.',
  ...redeemEnUS,
  ...personalEnUS,
  ...termsEnUS,
  ...federationEnUS,
  ...myappsEnUS,
  ...adminEnUS,
  ...adminBulkEnUS,
  ...adminDirectoryEnUS,
  ...adminAppsEnUS,
  ...adminAccessEnUS,
  ...adminTermsEnUS,
  ...adminDomainsEnUS,
  ...lifecycleEnUS,
  ...sessionsEnUS,
  ...switchEnUS,
  ...multitenantEnUS,
  ...edgeEnUS,
  ...deviceEnUS,
  ...addressEnUS,
  ...refusalsEnUS,
  // consent18
  ...consentEnUS,
  // deleted19
  ...deletedEnUS,
  // signinlog19
  ...adminInactiveEnUS,
  // policy19
  ...policyEnUS,
  // gov-deleted
  ...govDeletedEnUS,
  // ux-flow
  ...shellEnUS,
  // mfa-passkey
  ...passkeyEnUS,
  // mfa-core
  ...mfaEnUS,
  // mfa-policy
  ...conditionalAccessEnUS,
  // ux-lists
  ...listsEnUS,
  ...adminUserpageEnUS,
  ...crossTenantEnUS,
  ...listPagesEnUS,
};

export type Messages = typeof enUS;
