// A tenant's Conditional Access policies in Graph's conditionalAccessPolicy shape: the subset B2B needs (who: users,
// guests and external users by type, directory roles, groups; which apps: all, none, app ids or the admin center;
// what: require MFA or block; state: enabled, disabled or report-only). Owns conditional_access_policies (0033).
// How a policy applies to one sign-in is evaluate.ts; what the sign-in steps ask is decision.ts.
import { z } from 'zod';

import type { Clock } from '../clock.ts';
import { recordPolicyChange, type Actor } from '../directory/audit.ts';
import { ROLE_DEFINITIONS } from '../directory/role-definitions.ts';
import { isUuid } from '../directory/tenants.ts';
import { InvalidRequest, ResourceNotFound } from '../errors.ts';
import { ADMIN_CLIENT_ID } from '../oidc/urls.ts';
import { newId } from '../secrets.ts';
import { tenantCache, tenantChanged } from '../store/epochs.ts';
import type { Db, Tx } from '../store/index.ts';
import { parseJson, toJson } from '../store/json.ts';
import type { ConditionalAccessPoliciesTable } from '../store/schema.ts';

/**
 * The admin center as an app of Conditional Access: Entra's keyword for its admin portals in includeApplications
 * (`MicrosoftAdminPortals`) names the admin center's built-in client, as does that client's id (`portico-admin`).
 */
export const ADMIN_PORTALS = 'MicrosoftAdminPortals';
export { ADMIN_CLIENT_ID };

/** The guest and external user types Portico has (Graph's conditionalAccessGuestOrExternalUserTypes). */
export const GUEST_TYPES = ['internalGuest', 'b2bCollaborationGuest', 'b2bCollaborationMember'] as const;
export type GuestType = (typeof GUEST_TYPES)[number];

export const POLICY_STATES = ['enabled', 'disabled', 'enabledForReportingButNotEnforced'] as const;
export type PolicyState = (typeof POLICY_STATES)[number];

const MAX_IDS = 200;
const roleIds = new Set(ROLE_DEFINITIONS.map((r) => r.id));

const guid = (what: string) => z.string().max(100).refine(isUuid, `must be ${what} (a GUID)`);
const userRef = z
  .string()
  .max(100)
  .refine((v) => v === 'All' || v === 'None' || v === 'GuestsOrExternalUsers' || isUuid(v), {
    message: "must be 'All', 'None', 'GuestsOrExternalUsers' or a user id (a GUID)",
  });
const excludedUser = z
  .string()
  .max(100)
  .refine((v) => v === 'GuestsOrExternalUsers' || isUuid(v), {
    message: "must be 'GuestsOrExternalUsers' or a user id (a GUID)",
  });
const roleRef = z
  .string()
  .max(100)
  .refine((v) => roleIds.has(v.toLowerCase()), 'must be the template id of a directory role');
const appRef = z
  .string()
  .regex(/^[A-Za-z0-9._-]{1,100}$/, "must be 'All', 'None', 'MicrosoftAdminPortals' or an app id (its client id)");

/** Graph's comma-separated guestOrExternalUserTypes, as Portico's types. */
const guestTypes = z
  .string()
  .max(400)
  .transform((v, ctx) => {
    const types = v
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const bad = types.filter((t) => !(GUEST_TYPES as readonly string[]).includes(t));
    if (types.length === 0 || bad.length > 0) {
      ctx.addIssue({ code: 'custom', message: `must list some of ${GUEST_TYPES.join(', ')}` });
      return z.NEVER;
    }
    return [...new Set(types)].join(',');
  });

const guestsOrExternalUsers = z
  .object({
    guestOrExternalUserTypes: guestTypes,
    externalTenants: z
      .object({
        membershipKind: z.enum(['all', 'enumerated']),
        members: z.array(guid('a tenant id')).max(MAX_IDS).optional(),
      })
      .nullable()
      .optional(),
  })
  .nullable()
  .optional();

const usersCondition = z.strictObject({
  includeUsers: z.array(userRef).max(MAX_IDS).default([]),
  excludeUsers: z.array(excludedUser).max(MAX_IDS).default([]),
  includeGroups: z.array(guid('a group id')).max(MAX_IDS).default([]),
  excludeGroups: z.array(guid('a group id')).max(MAX_IDS).default([]),
  includeRoles: z.array(roleRef).max(MAX_IDS).default([]),
  excludeRoles: z.array(roleRef).max(MAX_IDS).default([]),
  includeGuestsOrExternalUsers: guestsOrExternalUsers,
  excludeGuestsOrExternalUsers: guestsOrExternalUsers,
});

const applicationsCondition = z.strictObject({
  includeApplications: z.array(appRef).min(1).max(MAX_IDS),
  excludeApplications: z.array(appRef).max(MAX_IDS).default([]),
  includeUserActions: z.array(z.never()).max(0).optional(),
});

const conditions = z.strictObject({
  users: usersCondition,
  applications: applicationsCondition,
  // What a client written for Entra sends with every policy; Portico evaluates every client app type.
  clientAppTypes: z.array(z.literal('all')).max(1).optional(),
});

const grantControls = z.strictObject({
  operator: z.enum(['OR', 'AND']).default('OR'),
  builtInControls: z
    .array(z.enum(['mfa', 'block']))
    .min(1)
    .max(2),
});

export const newPolicySchema = z.strictObject({
  displayName: z.string().trim().min(1).max(256),
  state: z.enum(POLICY_STATES),
  conditions,
  grantControls,
  sessionControls: z.null().optional(),
});

export const policyPatchSchema = z.strictObject({
  displayName: z.string().trim().min(1).max(256).optional(),
  state: z.enum(POLICY_STATES).optional(),
  conditions: z
    .strictObject({
      users: usersCondition.optional(),
      applications: applicationsCondition.optional(),
      clientAppTypes: z.array(z.literal('all')).max(1).optional(),
    })
    .optional(),
  grantControls: grantControls.optional(),
  sessionControls: z.null().optional(),
});

export type NewPolicy = z.infer<typeof newPolicySchema>;
export type PolicyPatch = z.infer<typeof policyPatchSchema>;
export type UsersCondition = z.infer<typeof usersCondition>;
export type ApplicationsCondition = z.infer<typeof applicationsCondition>;

export interface Policy {
  id: string;
  displayName: string;
  state: PolicyState;
  conditions: { users: UsersCondition; applications: ApplicationsCondition };
  grantControls: { operator: 'OR' | 'AND'; builtInControls: ('mfa' | 'block')[] };
  createdDateTime: string;
  modifiedDateTime: string | null;
}

/** The policy's checks beyond its shape (Graph's): someone and some app included, and block alone. */
function validate(p: Omit<Policy, 'id' | 'createdDateTime' | 'modifiedDateTime'>): void {
  const u = p.conditions.users;
  if (u.includeUsers.length + u.includeGroups.length + u.includeRoles.length === 0 && !u.includeGuestsOrExternalUsers)
    throw new InvalidRequest('conditionalAccess.noUsers');
  if (p.grantControls.builtInControls.includes('block') && p.grantControls.builtInControls.length > 1)
    throw new InvalidRequest('conditionalAccess.blockAlone');
  const keywords = ['All', 'None'];
  for (const list of [u.includeUsers, p.conditions.applications.includeApplications])
    if (list.length > 1 && list.some((v) => keywords.includes(v)))
      throw new InvalidRequest('conditionalAccess.keywordAlone', { keywords: keywords.join("', '") });
}

/** Stored and answered the same way: role ids lower-case, lists without repeats. */
function normalized(c: Policy['conditions']): Policy['conditions'] {
  const uniq = (l: string[]) => [...new Set(l)];
  const u = c.users;
  return {
    users: {
      ...u,
      includeUsers: uniq(u.includeUsers.map((v) => (isUuid(v) ? v.toLowerCase() : v))),
      excludeUsers: uniq(u.excludeUsers.map((v) => (isUuid(v) ? v.toLowerCase() : v))),
      includeGroups: uniq(u.includeGroups.map((v) => v.toLowerCase())),
      excludeGroups: uniq(u.excludeGroups.map((v) => v.toLowerCase())),
      includeRoles: uniq(u.includeRoles.map((v) => v.toLowerCase())),
      excludeRoles: uniq(u.excludeRoles.map((v) => v.toLowerCase())),
      includeGuestsOrExternalUsers: u.includeGuestsOrExternalUsers ?? null,
      excludeGuestsOrExternalUsers: u.excludeGuestsOrExternalUsers ?? null,
    },
    applications: {
      includeApplications: uniq(c.applications.includeApplications),
      excludeApplications: uniq(c.applications.excludeApplications),
    },
  };
}

type Row = Omit<ConditionalAccessPoliciesTable, 'tenant_id'>;

const toPolicy = (r: Row): Policy => ({
  id: r.id,
  displayName: r.display_name,
  state: r.state as PolicyState,
  conditions: parseJson<Policy['conditions']>(r.conditions, {
    users: usersCondition.parse({}),
    applications: { includeApplications: ['None'], excludeApplications: [] },
  }),
  grantControls: parseJson<Policy['grantControls']>(r.grant_controls, { operator: 'OR', builtInControls: [] }),
  createdDateTime: r.created_at,
  modifiedDateTime: r.modified_at,
});

const COLUMNS = ['id', 'display_name', 'state', 'conditions', 'grant_controls', 'created_at', 'modified_at'] as const;

const policiesOf = tenantCache<Policy[]>({ max: 10_000 });

/**
 * The tenant's policies, oldest first (the order Entra's list shows them in). Outside a transaction (every sign-in
 * reads them) from this node's cache (store/epochs.ts: each change here counts the tenant's epoch); in one, from the
 * store.
 */
export function listPolicies(db: Db | Tx, tenantId: string): Promise<Policy[]> {
  if (db.isTransaction) return readPolicies(db, tenantId);
  return policiesOf(db as Db).get(tenantId, 'policies', () => readPolicies(db, tenantId)) as Promise<Policy[]>;
}

async function readPolicies(db: Db | Tx, tenantId: string): Promise<Policy[]> {
  const rows = await db
    .selectFrom('conditional_access_policies')
    .select(COLUMNS)
    .where('tenant_id', '=', tenantId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(toPolicy);
}

export async function getPolicy(db: Db | Tx, tenantId: string, id: string): Promise<Policy | undefined> {
  if (!isUuid(id)) return undefined;
  const row = await db
    .selectFrom('conditional_access_policies')
    .select(COLUMNS)
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id.toLowerCase())
    .executeTakeFirst();
  return row && toPolicy(row);
}

const notFound = (id: string) => new ResourceNotFound('resource.notFound', { id: id.slice(0, 60) });

export async function requirePolicy(db: Db | Tx, tenantId: string, id: string): Promise<Policy> {
  const p = await getPolicy(db, tenantId, id);
  if (!p) throw notFound(id);
  return p;
}

export async function createPolicy(
  tx: Tx,
  clock: Clock,
  tenantId: string,
  input: NewPolicy,
  actor: Actor,
): Promise<Policy> {
  const policy: Policy = {
    id: newId(),
    displayName: input.displayName,
    state: input.state,
    conditions: normalized(input.conditions),
    grantControls: input.grantControls,
    createdDateTime: clock.now().toISOString(),
    modifiedDateTime: null,
  };
  validate(policy);
  await tx
    .insertInto('conditional_access_policies')
    .values({
      tenant_id: tenantId,
      id: policy.id,
      display_name: policy.displayName,
      state: policy.state,
      conditions: toJson(policy.conditions),
      grant_controls: toJson(policy.grantControls),
      created_at: policy.createdDateTime,
      modified_at: null,
    })
    .execute();
  await tenantChanged(tx, tenantId); // listPolicies' cache, on every node
  await recordPolicyChange(tx, clock, tenantId, actor, 'Add conditional access policy', 'Add', policy, [
    'displayName',
    'state',
    'conditions',
    'grantControls',
  ]);
  return policy;
}

/** Changes a policy: each property given replaces its value (conditions' users and applications each whole). */
export async function updatePolicy(
  tx: Tx,
  clock: Clock,
  tenantId: string,
  id: string,
  patch: PolicyPatch,
  actor: Actor,
): Promise<Policy> {
  if (!isUuid(id)) throw notFound(id);
  const now = clock.now().toISOString();
  // Touching the row first locks it (PostgreSQL) or takes the write lock (SQLite): concurrent changes merge in turn.
  const touched = await tx
    .updateTable('conditional_access_policies')
    .set({ modified_at: now })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id.toLowerCase())
    .executeTakeFirst();
  if (Number(touched.numUpdatedRows) === 0) throw notFound(id);
  const current = await requirePolicy(tx, tenantId, id);
  const next: Policy = {
    ...current,
    displayName: patch.displayName ?? current.displayName,
    state: patch.state ?? current.state,
    conditions: normalized({
      users: patch.conditions?.users ?? current.conditions.users,
      applications: patch.conditions?.applications ?? current.conditions.applications,
    }),
    grantControls: patch.grantControls ?? current.grantControls,
    modifiedDateTime: now,
  };
  validate(next);
  await tx
    .updateTable('conditional_access_policies')
    .set({
      display_name: next.displayName,
      state: next.state,
      conditions: toJson(next.conditions),
      grant_controls: toJson(next.grantControls),
    })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', current.id)
    .execute();
  const changed = Object.keys(patch).filter((k) => k !== 'sessionControls');
  await tenantChanged(tx, tenantId); // listPolicies' cache, on every node
  await recordPolicyChange(tx, clock, tenantId, actor, 'Update conditional access policy', 'Update', next, changed);
  return next;
}

export async function deletePolicy(tx: Tx, clock: Clock, tenantId: string, id: string, actor: Actor): Promise<void> {
  const current = await getPolicy(tx, tenantId, id);
  if (!current) throw notFound(id);
  const gone = await tx
    .deleteFrom('conditional_access_policies')
    .where('tenant_id', '=', tenantId)
    .where('id', '=', current.id)
    .executeTakeFirst();
  if (Number(gone.numDeletedRows) === 0) throw notFound(id);
  await tenantChanged(tx, tenantId); // listPolicies' cache, on every node
  await recordPolicyChange(tx, clock, tenantId, actor, 'Delete conditional access policy', 'Delete', current, []);
}

/** Graph's conditionalAccessPolicy resource of a policy. */
export const policyResource = (p: Policy) => ({
  id: p.id,
  templateId: null,
  displayName: p.displayName,
  createdDateTime: p.createdDateTime,
  modifiedDateTime: p.modifiedDateTime,
  state: p.state,
  sessionControls: null,
  conditions: {
    userRiskLevels: [],
    signInRiskLevels: [],
    clientAppTypes: ['all'],
    platforms: null,
    locations: null,
    devices: null,
    clientApplications: null,
    applications: { ...p.conditions.applications, includeUserActions: [] },
    users: p.conditions.users,
  },
  grantControls: {
    ...p.grantControls,
    customAuthenticationFactors: [],
    termsOfUse: [],
    authenticationStrength: null,
  },
});
