// ux-lists: the admin center's one list (sorting, paging, export) and its users list.
export const listsEnUS = {
  'list.range': '{from}–{to} of {total}',
  'list.pages': 'Pages',
  'list.previous': 'Previous page',
  'list.next': 'Next page',
  'list.export': 'Export CSV',
  'list.sortAsc': 'Sort by {column}, ascending',
  'list.sortDesc': 'Sort by {column}, descending',
  'admin.users.searchAny': 'Search by name, email, user name or domain',
  'admin.users.source': 'Source',
  'admin.users.source.pending': 'Invitation not yet accepted',
  'admin.users.source.mail': 'One-time passcode',
  'admin.users.source.personal': 'Personal account',
  'admin.users.source.google': 'Google',
  'admin.users.source.other': 'Another organization or identity provider',
  'admin.col.created': 'Created',
};
