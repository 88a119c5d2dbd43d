// gov-deleted: the admin center's deleted groups and applications (issue #19) and the sign-in step that changes a
// password an administrator reset.
export const govDeletedEnUS = {
  'admin.deleted.tabs': 'Kinds of deleted items',
  'admin.deleted.users': 'Users',
  'admin.deleted.groups': 'Groups',
  'admin.deleted.apps': 'Applications',
  'admin.deleted.groupsIntro':
    'Deleted groups can be restored for {days} days, with their members and app assignments. After that they are deleted permanently.',
  'admin.deleted.appsIntro':
    'Deleted app registrations can be restored for {days} days, with their application (client) ID, credentials, redirect URIs and assignments. While deleted, nobody can sign in to them. After that they are deleted permanently.',
  'admin.deleted.noGroups': 'There are no deleted groups.',
  'admin.deleted.noApps': 'There are no deleted applications.',
  'admin.deleted.description': 'Description',
  'admin.deleted.appId': 'Application (client) ID',
  'admin.deleted.groupPurgeText':
    'The group {name} will be deleted permanently, with its memberships and app assignments. Its members stay. This cannot be undone.',
  'admin.deleted.appPurgeText':
    'The app registration {name} ({appId}) will be deleted permanently, with its credentials, assignments and consents, also in other organizations. This cannot be undone.',
  'admin.deleted.groupPurged': 'The group was deleted permanently.',
  'admin.deleted.appPurged': 'The application was deleted permanently.',
  'signin.changePassword.title': 'Update your password',
  'signin.changePassword.intro':
    'An administrator reset your password. Choose a new password of at least {min} characters to continue.',
  'signin.changePassword.new': 'New password',
  'signin.changePassword.confirm': 'Confirm new password',
  'signin.changePassword.submit': 'Update password',
  'signin.changePassword.tooShort': 'The new password needs at least {min} characters.',
  'signin.changePassword.tooLong': 'The new password can have at most {max} characters.',
  'signin.changePassword.mismatch': 'The two passwords do not match. Type the new password twice.',
  'signin.changePassword.same': 'Choose a password other than the one you were given.',
};
