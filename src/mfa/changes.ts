// Every change to a person's authentication methods, with its audit event and the notice mailed to them, in the
// caller's transaction: a method added (at sign-in or on Security info), removed (by the person, or by an
// administrator through Graph: then the person registers again at their next sign-in that needs MFA), and recovery
// codes made. Removing the last method also drops the recovery codes: nothing is left to recover.
import { recordAudit, type Actor } from '../directory/audit.ts';
import type { Tenant } from '../directory/tenants.ts';
import type { User } from '../directory/users.ts';
import { t, type Lang, type Messages } from '../i18n/index.ts';
import type { Services } from '../services.ts';
import type { Tx } from '../store/index.ts';
import { queueMethodNotice } from './mail.ts';
import { deleteRecoveryCodes, newRecoveryCodes } from './recovery.ts';
import { deleteMethodRow, getMethod, hasMethods, insertMethod, type NewMethod, type StoredMethod } from './store.ts';

/** Whose methods change, by whom, in which transaction, and the language of the notice mailed to them. */
export interface MethodChange {
  tx: Tx;
  services: Services;
  tenant: Tenant;
  user: User;
  actor: Actor;
  lang: Lang;
}

const selfService = ({ actor, user }: MethodChange) => actor.kind === 'user' && actor.id === user.id;

/** The change's audit event, and the notice mailed to the person (`what` the method's name in their language). */
async function recordChange(
  change: MethodChange,
  activity: string,
  operationType: 'Add' | 'Delete' | 'Update',
  details: Record<string, string>,
  notice: 'added' | 'removed' | 'recoveryCodes',
  what: keyof Messages,
): Promise<void> {
  const { tx, services, tenant, user, actor, lang } = change;
  await recordAudit(tx, services.clock, tenant.id, {
    category: 'UserManagement',
    activity,
    operationType,
    actor,
    targets: [{ id: user.id, type: 'User', displayName: user.displayName, userPrincipalName: user.userPrincipalName }],
    details,
  });
  await queueMethodNotice(tx, services, tenant, user, lang, notice, t(lang, what));
}

export async function addMethod(
  change: MethodChange,
  method: NewMethod & { label: keyof Messages },
): Promise<StoredMethod> {
  const { label, ...stored } = method;
  const { tx, services, tenant, user } = change;
  const added = await insertMethod(tx, services.clock, tenant.id, user.id, stored);
  await recordChange(
    change,
    'User registered security info',
    'Add',
    { methodType: added.type, methodId: added.id },
    'added',
    label,
  );
  return added;
}

/** Removes one of the user's methods; undefined when it is not there (already removed). */
export async function removeMethod(
  change: MethodChange,
  id: string,
  label: (method: StoredMethod) => keyof Messages,
): Promise<StoredMethod | undefined> {
  const { tx, tenant, user } = change;
  const method = await getMethod(tx, tenant.id, user.id, id);
  if (!method || !(await deleteMethodRow(tx, tenant.id, user.id, id))) return undefined;
  if (!(await hasMethods(tx, tenant.id, user.id))) await deleteRecoveryCodes(tx, tenant.id, user.id);
  await recordChange(
    change,
    selfService(change) ? 'User deleted security info' : 'Admin deleted security info',
    'Delete',
    { methodType: method.type, methodId: method.id },
    'removed',
    label(method),
  );
  return method;
}

/** Replaces the user's recovery codes; returns the new ones, to show once. */
export async function replaceRecoveryCodes(change: MethodChange): Promise<string[]> {
  const { tx, services, tenant, user } = change;
  const codes = await newRecoveryCodes(tx, services.clock, tenant.id, user.id);
  await recordChange(
    change,
    'User generated new recovery codes',
    'Update',
    { methodType: 'recoveryCodes' },
    'recoveryCodes',
    'mfa.recovery.label',
  );
  return codes;
}
