// The admin center's sections, in the order the navigation shows them: each is a path under /admin/<tenant id>
// and an i18n key for its name. A new section adds its entry here and mounts its routes in admin/routes.tsx.
import type { Messages } from '../i18n/index.ts';

export const ADMIN_SECTIONS = [
  { id: 'overview', path: '', label: 'admin.overview' },
  { id: 'users', path: '/users', label: 'admin.users' },
  { id: 'deleted', path: '/deleted', label: 'admin.deleted' },
  { id: 'roles', path: '/roles', label: 'admin.roles' },
  { id: 'inactive', path: '/inactive', label: 'admin.inactive' },
  { id: 'contacts', path: '/contacts', label: 'admin.contacts' },
  { id: 'groups', path: '/groups', label: 'admin.groups' },
  { id: 'apps', path: '/apps', label: 'admin.apps' },
  { id: 'enterpriseApps', path: '/enterprise-apps', label: 'admin.enterpriseApps' },
  { id: 'domains', path: '/domains', label: 'admin.domains' },
  { id: 'identities', path: '/identities', label: 'admin.identities' },
  { id: 'crossTenant', path: '/cross-tenant', label: 'admin.crossTenant' },
  { id: 'collaboration', path: '/collaboration', label: 'admin.collaboration' }, // policy19
  { id: 'terms', path: '/terms', label: 'admin.terms' },
  { id: 'branding', path: '/branding', label: 'admin.branding' },
  { id: 'logs', path: '/logs', label: 'admin.logs' },
  { id: 'outbox', path: '/outbox', label: 'admin.outbox' },
  { id: 'conditionalAccess', path: '/conditional-access', label: 'admin.conditionalAccess' }, // mfa-policy
] as const satisfies readonly { id: string; path: string; label: keyof Messages }[];

export type Section = (typeof ADMIN_SECTIONS)[number]['id'];
