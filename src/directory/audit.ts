// The append-only audit log (the database refuses UPDATE and DELETE on it). Written in the same transaction as
// the change it records, so an event exists exactly when its change does.
import { sql, type Selectable, type SqlBool } from 'kysely';

import type { Clock } from '../clock.ts';
import { newId } from '../secrets.ts';
import type { Db, Tx } from '../store/index.ts';
import { parseJson, toJson } from '../store/json.ts';
import type { AuditEventsTable } from '../store/schema.ts';

export type Actor =
  | { kind: 'user'; id: string; userPrincipalName: string }
  | { kind: 'app'; appId: string; displayName: string }
  | { kind: 'system'; displayName: string };

/**
 * A change to one object of a tenant, named by its id, made on behalf of `actor` in the caller's transaction with its
 * audit event (the API, the admin center and the CLI call these).
 */
export type ChangeAs<R> = (tx: Tx, clock: Clock, tenantId: string, id: string, actor: Actor) => Promise<R>;

export interface AuditTarget {
  id: string;
  type: 'User' | 'Group' | 'Contact' | 'Application' | 'Tenant' | 'Policy' | 'Other';
  displayName?: string | null;
  userPrincipalName?: string | null;
}

export interface AuditInput {
  category:
    | 'UserManagement'
    | 'GroupManagement'
    | 'ApplicationManagement'
    | 'DirectoryManagement'
    | 'KeyManagement'
    | 'Policy'
    | 'RoleManagement';
  activity: string;
  operationType: 'Add' | 'Update' | 'Delete' | 'Assign' | 'Unassign' | 'Other';
  actor: Actor;
  targets: AuditTarget[];
  result?: 'success' | 'failure';
  resultReason?: string;
  details?: Record<string, string>;
}

export async function recordAudit(tx: Tx, clock: Clock, tenantId: string, event: AuditInput): Promise<void> {
  await recordAudits(tx, clock, tenantId, [event]);
}

/** Several events in one statement (a bulk invitation's chunk of rows). */
export async function recordAudits(tx: Tx, clock: Clock, tenantId: string, events: AuditInput[]): Promise<void> {
  if (events.length === 0) return;
  const at = clock.now().toISOString();
  await tx
    .insertInto('audit_events')
    .values(
      events.map((event) => ({
        tenant_id: tenantId,
        id: newId(),
        activity_date_time: at,
        category: event.category,
        activity_display_name: event.activity,
        operation_type: event.operationType,
        result: event.result ?? 'success',
        result_reason: event.resultReason ?? null,
        initiated_by: toJson(event.actor),
        target_resources: toJson(event.targets),
        additional_details: toJson(Object.entries(event.details ?? {}).map(([key, value]) => ({ key, value }))),
      })),
    )
    .execute();
}

/** A user as an event's target. */
export const userTarget = (u: { id: string; displayName: string; userPrincipalName: string }): AuditTarget => ({
  id: u.id,
  type: 'User',
  displayName: u.displayName,
  userPrincipalName: u.userPrincipalName,
});

/** A change to one object and its audit event (Entra's activity names), in the caller's transaction: the object. */
export type Audited<T> = <U extends T>(
  tx: Tx,
  clock: Clock,
  tenantId: string,
  actor: Actor,
  activity: string,
  operationType: 'Add' | 'Delete' | 'Update',
  changed: U,
) => Promise<U>;

/** The `Audited` of one kind of object: its events' category, their target and their details. */
export const audited =
  <T>(
    category: AuditInput['category'],
    target: (changed: T) => AuditTarget,
    details?: (changed: T) => Record<string, string>,
  ): Audited<T> =>
  async (tx, clock, tenantId, actor, activity, operationType, changed) => {
    await recordAudit(tx, clock, tenantId, {
      category,
      activity,
      operationType,
      actor,
      targets: [target(changed)],
      details: details?.(changed),
    });
    return changed;
  };

/** A policy's event ('Policy' category) with the policy as its target. */
export const recordPolicyEvent = (
  tx: Tx,
  clock: Clock,
  tenantId: string,
  event: Pick<AuditInput, 'actor' | 'activity' | 'details'> & {
    operationType: 'Add' | 'Update' | 'Delete';
    policy: { id: string; displayName: string };
  },
) =>
  recordAudit(tx, clock, tenantId, {
    category: 'Policy',
    activity: event.activity,
    operationType: event.operationType,
    actor: event.actor,
    targets: [{ id: event.policy.id, type: 'Policy', displayName: event.policy.displayName }],
    details: event.details,
  });

/** A policy's change: its event with the properties it changed. */
export const recordPolicyChange = (
  tx: Tx,
  clock: Clock,
  tenantId: string,
  actor: Actor,
  activity: string,
  operationType: 'Add' | 'Update' | 'Delete',
  policy: { id: string; displayName: string },
  properties: string[],
) =>
  recordPolicyEvent(tx, clock, tenantId, {
    actor,
    activity,
    operationType,
    policy,
    details: { modifiedProperties: properties.join(',') },
  });

export interface AuditEvent {
  id: string;
  activityDateTime: string;
  category: string;
  activityDisplayName: string;
  operationType: string;
  result: string;
  resultReason: string | null;
  initiatedBy: Actor;
  targetResources: AuditTarget[];
  additionalDetails: { key: string; value: string }[];
}

/** Filters on the log: `activity` is contained in the activity's name (any case); `since`/`until` are ISO times, inclusive. */
export interface AuditQuery {
  activity?: string;
  since?: string;
  until?: string;
}

const likeEscape = (value: string) => value.replace(/[\\%_]/g, (ch) => `\\${ch}`);

export async function listAudit(
  db: Db,
  tenantId: string,
  opts: { top: number; before?: { time: string; id: string } } & AuditQuery,
): Promise<AuditEvent[]> {
  let q = db.selectFrom('audit_events').selectAll().where('tenant_id', '=', tenantId);
  if (opts.activity) {
    // ESCAPE is explicit and a parameter, as in directory/filter.ts: SQLite has no escape character without it.
    const pattern = `%${likeEscape(opts.activity.toLowerCase())}%`;
    q = q.where(sql<SqlBool>`lower(${sql.ref('activity_display_name')}) like ${pattern} escape ${'\\'}`);
  }
  if (opts.since) q = q.where('activity_date_time', '>=', opts.since);
  if (opts.until) q = q.where('activity_date_time', '<=', opts.until);
  if (opts.before) {
    const { time, id } = opts.before;
    q = q.where((eb) =>
      eb.or([eb('activity_date_time', '<', time), eb.and([eb('activity_date_time', '=', time), eb('id', '<', id)])]),
    );
  }
  const rows = await q.orderBy('activity_date_time', 'desc').orderBy('id', 'desc').limit(opts.top).execute();
  return rows.map(toAuditEvent);
}

export function toAuditEvent(r: Selectable<AuditEventsTable>): AuditEvent {
  return {
    id: r.id,
    activityDateTime: r.activity_date_time,
    category: r.category,
    activityDisplayName: r.activity_display_name,
    operationType: r.operation_type,
    result: r.result,
    resultReason: r.result_reason,
    initiatedBy: parseJson(r.initiated_by, { kind: 'system', displayName: 'Portico' } as Actor),
    targetResources: parseJson(r.target_resources, []),
    additionalDetails: parseJson(r.additional_details, []),
  };
}
