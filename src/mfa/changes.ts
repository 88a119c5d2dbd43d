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

const selfService = (actor: Actor, user: User) => actor.kind === 'user' && actor.id === user.id;

async function audit(
  tx: Tx,
  services: Services,
  tenant: Tenant,
  user: User,
  actor: Actor,
  activity: string,
  operationType: 'Add' | 'Delete' | 'Update',
  details: Record<string, string>,
) {
  await recordAudit(tx, services.clock, tenant.id, {
    category: 'UserManagement',
    activity,
    operationType,
    actor,
    targets: [{ id: user.id, type: 'User', displayName: user.displayName, userPrincipalName: user.userPrincipalName }],
    details,
  });
}

export async function addMethod(
  tx: Tx,
  services: Services,
  tenant: Tenant,
  user: User,
  actor: Actor,
  lang: Lang,
  method: NewMethod & { label: keyof Messages },
): Promise<StoredMethod> {
  const { label, ...stored } = method;
  const added = await insertMethod(tx, services.clock, tenant.id, user.id, stored);
  await audit(tx, services, tenant, user, actor, 'User registered security info', 'Add', {
    methodType: added.type,
    methodId: added.id,
  });
  await queueMethodNotice(tx, services, tenant, user, lang, 'added', t(lang, label));
  return added;
}

/** Removes one of the user's methods; undefined when it is not there (already removed). */
export async function removeMethod(
  tx: Tx,
  services: Services,
  tenant: Tenant,
  user: User,
  actor: Actor,
  lang: Lang,
  id: string,
  label: (method: StoredMethod) => keyof Messages,
): Promise<StoredMethod | undefined> {
  const method = await getMethod(tx, tenant.id, user.id, id);
  if (!method || !(await deleteMethodRow(tx, tenant.id, user.id, id))) return undefined;
  if (!(await hasMethods(tx, tenant.id, user.id))) await deleteRecoveryCodes(tx, tenant.id, user.id);
  await audit(
    tx,
    services,
    tenant,
    user,
    actor,
    selfService(actor, user) ? 'User deleted security info' : 'Admin deleted security info',
    'Delete',
    { methodType: method.type, methodId: method.id },
  );
  await queueMethodNotice(tx, services, tenant, user, lang, 'removed', t(lang, label(method)));
  return method;
}

/** Replaces the user's recovery codes; returns the new ones, to show once. */
export async function replaceRecoveryCodes(
  tx: Tx,
  services: Services,
  tenant: Tenant,
  user: User,
  actor: Actor,
  lang: Lang,
): Promise<string[]> {
  const codes = await newRecoveryCodes(tx, services.clock, tenant.id, user.id);
  await audit(tx, services, tenant, user, actor, 'User generated new recovery codes', 'Update', {
    methodType: 'recoveryCodes',
  });
  await queueMethodNotice(tx, services, tenant, user, lang, 'recoveryCodes', t(lang, 'mfa.recovery.label'));
  return codes;
}
