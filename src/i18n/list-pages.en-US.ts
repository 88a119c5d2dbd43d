// lists: the admin center's lists on the one list component (issue #21): what each list's search looks in.
export const listPagesEnUS = {
  'lists.contacts.search': 'Search by name, email address or company',
  'lists.groups.search': 'Search by name, description or mail nickname',
  'lists.apps.search': 'Search by name or application ID',
  'lists.outbox.search': 'Search by recipient, subject or error',
  'lists.audit.search': 'Search by activity, reason or who did it',
  'lists.signins.search': 'Search by user, app, identity provider, IP address or failure',
  'lists.category': 'Category',
  'lists.col.appId': 'Application ID',
};
