// policy19: the External collaboration settings page, My Apps' "Invite someone" and people lookup, and the
// redemption page of an invitation a collaboration restriction now refuses.
export const policyEnUS = {
  'admin.collaboration': 'External collaboration',
  'admin.collaboration.invite': 'Guest invite settings',
  'admin.collaboration.invite.none': 'No one in the organization can invite guests, administrators included',
  'admin.collaboration.invite.adminsAndGuestInviters':
    'Only users assigned to administrator roles (Global Administrator, User Administrator, Guest Inviter) can invite',
  'admin.collaboration.invite.adminsGuestInvitersAndAllMembers':
    'Members and users assigned to administrator roles can invite',
  'admin.collaboration.invite.everyone': 'Anyone in the organization can invite, guests included',
  'admin.collaboration.guests': 'Guest user access',
  'admin.collaboration.guests.member': 'Guests have the same access as members',
  'admin.collaboration.guests.limited':
    'Guests see their own profile and may look up others only by exact address or id (default)',
  'admin.collaboration.guests.restricted': 'Guests see their own profile only',
  'admin.collaboration.restrictions': 'Collaboration restrictions',
  'admin.collaboration.restrictions.none': 'Allow invitations to any domain',
  'admin.collaboration.restrictions.deny': 'Deny invitations to the listed domains',
  'admin.collaboration.restrictions.allow': 'Allow invitations only to the listed domains',
  'admin.collaboration.domains': 'Target domains, one per line (*.contoso.example: its subdomains, not itself)',
  'admin.collaboration.save': 'Save',
  'admin.collaboration.saved': 'Saved.',
  'myapps.invite': 'Invite someone',
  'myapps.invite.intro': 'Invite a guest to {tenant}. They get an email from you with a link to accept.',
  'myapps.invite.email': 'Email address',
  'myapps.invite.message': 'Message (optional)',
  'myapps.invite.redirect': 'Where they go after accepting',
  'myapps.invite.send': 'Send invitation',
  'myapps.invite.sent': 'Invitation sent to {email}.',
  'myapps.invite.refused.title': 'You cannot invite guests',
  'myapps.people': 'People',
  'myapps.people.intro': 'Look up someone in {tenant}.',
  'myapps.people.exactOnly': 'Enter their exact email address or object id.',
  'myapps.people.query': 'Name, email address or id',
  'myapps.people.search': 'Look up',
  'myapps.people.none': 'No one found.',
  'myapps.people.me': 'Your profile',
  'myapps.people.restricted': 'Guests of {tenant} can see only their own profile.',
  'myapps.people.notAllowed': 'Members of {tenant} cannot look up other users.',
  'redeem.domainRestricted.title': 'Invitation no longer valid',
  'redeem.domainRestricted':
    '{tenant} no longer allows invitations to {domain}, so this invitation cannot be accepted. Contact the person who invited you.',
};
