// deleted19: the admin center's deleted users and My Apps' leaving an organization.
export const deletedEnUS = {
  'admin.deleted': 'Deleted items',
  'admin.deleted.intro':
    'Deleted users can be restored for {days} days, with their group memberships, app assignments and sign-in identities. After that they are deleted permanently.',
  'admin.deleted.none': 'There are no deleted users.',
  'admin.deleted.name': 'Name',
  'admin.deleted.upn': 'User principal name',
  'admin.deleted.type': 'User type',
  'admin.deleted.deletedOn': 'Deleted on',
  'admin.deleted.daysLeft': 'Days left',
  'admin.deleted.actions': 'Actions',
  'admin.deleted.restore': 'Restore',
  'admin.deleted.purge': 'Permanently delete',
  'admin.deleted.next': 'Next page',
  'admin.deleted.purgeTitle': 'Permanently delete {name}?',
  'admin.deleted.purgeText':
    '{name} ({upn}) will be deleted permanently, with their group memberships, app assignments, sign-in identities and invitations. This cannot be undone.',
  'admin.deleted.purgeConfirm': 'Delete permanently',
  'admin.deleted.cancel': 'Cancel',
  'admin.deleted.restored': '{name} was restored.',
  'admin.deleted.purged': '{name} was deleted permanently.',
  'admin.deleted.refused': 'Not done',
  'myapps.leave.action': 'Leave organization',
  'myapps.leave.confirmTitle': 'Leave {tenant}?',
  'myapps.leave.confirmText':
    'You will no longer be able to sign in to {tenant} or use its apps. Your guest account there is deleted; to come back, you need a new invitation.',
  'myapps.leave.confirm': 'Leave',
  'myapps.leave.cancel': 'Cancel',
  'myapps.leave.done': 'You left {tenant}.',
  'myapps.leave.back': 'Back to My Apps',
};
