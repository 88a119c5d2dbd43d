// ux-flow: the site's shell: the start page, the organization boxes of /admin and /myapps, confirmation pages of
// destructive actions, the way forward on refusal pages, the admin center's collapsible navigation.
export const shellEnUS = {
  'shell.menu': 'Menu',
  'shell.actions': 'Actions',
  'shell.select': 'Select',
  'shell.start.title': 'Welcome to Portico',
  'shell.start.intro': 'Portico is the directory that lets organizations invite guests and share apps with them.',
  'shell.start.myapps': 'My Apps',
  'shell.start.myappsText':
    'Sign in to the apps your organization, or an organization that invited you, shares with you.',
  'shell.start.myappsLink': 'Go to My Apps',
  'shell.start.admin': 'Admin center',
  'shell.start.adminText': "Administrators: type your organization's domain to sign in to its admin center.",
  'shell.org.domain': "Organization's domain name",
  'shell.org.hint': "For example contoso.com: the part after @ in your organization's email addresses.",
  'shell.org.continue': 'Continue',
  'shell.admin.title': 'Sign in to the admin center',
  'shell.admin.intro': 'Which organization do you administer?',
  'shell.myapps.address': 'Your email address',
  'shell.myapps.addressHint':
    'The address your organization gave you, or the one you were invited with. We look up the organization by its domain.',
  'shell.myapps.findOrg': 'Find my organization',
  'shell.myapps.badAddress': 'Type an email address such as alex@contoso.com.',
  'shell.myapps.noOrg':
    "No organization here uses the domain {domain}. If you were invited as a guest, type the domain of the organization that invited you (the part after @ in its people's addresses).",
  'shell.forward.signOut': 'Sign out',
  'shell.forward.myapps': 'Go to My Apps',
  'shell.forward.otherOrg': 'Choose another organization',
  'shell.forward.start': 'Go to the start page',
  'shell.confirm.cancel': 'Cancel',
  'shell.confirm.userDelete.title': 'Delete {name}?',
  'shell.confirm.userDelete.text':
    '{name} ({upn}) moves to Deleted users and can no longer sign in. An administrator can restore them within {days} days; after that they are deleted for good.',
  'shell.confirm.userDelete.button': 'Delete user',
  'shell.confirm.userReset.title': 'Reset the redemption status of {name}?',
  'shell.confirm.userReset.text':
    '{name} ({upn}) gets a new invitation and must redeem it again, possibly with another identity; the current one no longer signs them in.',
  'shell.confirm.userReset.button': 'Reset redemption status',
  'shell.confirm.contactDelete.title': 'Delete the contact {name}?',
  'shell.confirm.contactDelete.text': 'The contact {name} and its addresses are deleted for good.',
  'shell.confirm.contactDelete.button': 'Delete contact',
  'shell.confirm.groupDelete.title': 'Delete the group {name}?',
  'shell.confirm.groupDelete.text':
    'The group {name} is deleted; its members keep their accounts but lose the app assignments and access the group gave them.',
  'shell.confirm.groupDelete.button': 'Delete group',
  'shell.confirm.memberRemove.title': 'Remove {member} from {group}?',
  'shell.confirm.memberRemove.text':
    '{member} loses the app assignments and access that membership of {group} gives them.',
  'shell.confirm.memberRemove.button': 'Remove member',
  'shell.confirm.roleRemove.title': 'Remove the role {role} from {user}?',
  'shell.confirm.roleRemove.text':
    '{user} can no longer do what the role {role} allows in the admin center and the API.',
  'shell.confirm.roleRemove.button': 'Remove role',
  'shell.confirm.appRemove.title': 'Delete the enterprise app {name}?',
  'shell.confirm.appRemove.text':
    'The enterprise app {name} and the consent granted to it are deleted from this organization; people can no longer sign in to it here.',
  'shell.confirm.appRemove.button': 'Delete enterprise app',
  'shell.confirm.xtapReset.title': 'Reset the default cross-tenant access settings?',
  'shell.confirm.xtapReset.text':
    "The default settings go back to the service's defaults. The settings of each partner organization stay as they are.",
  'shell.confirm.xtapReset.button': 'Reset to defaults',
};
