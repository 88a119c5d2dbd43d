// The sign-in methods an app accepts (Portico's small form of an Entra Conditional Access "authentication strength"
// for chosen apps): e.g. only ['fed'] keeps passcode-only guests out, ['pwd', 'fed'] lets members and federated
// guests in. The app gate (oidc/app-gate.ts) enforces it at every sign-in to the app.
import type { Clock } from '../clock.ts';
import type { Actor } from '../directory/audit.ts';
import { InvalidRequest } from '../errors.ts';
import { isAmr, SIGN_IN_METHODS, type Amr } from '../sessions/amr.ts';
import type { Tx } from '../store/index.ts';
import { toJson } from '../store/json.ts';
import { auditAppUpdate, lockApp, type App } from './apps.ts';

/** Refuses a list no sign-in could satisfy or that names an unknown method; null (any method) passes. */
export function checkSignInMethods(methods: readonly string[] | null): Amr[] | null {
  if (methods === null) return null;
  const unknown = methods.filter((m) => !isAmr(m));
  if (unknown.length)
    throw new InvalidRequest(
      'apps.unknownSignInMethod',
      { methods: unknown.map((m) => `'${m.slice(0, 20)}'`).join(', '), known: SIGN_IN_METHODS.join(', ') },
      { field: 'requiredSignInMethods' },
    );
  if (!methods.length)
    throw new InvalidRequest(
      'apps.signInMethodsEmpty',
      {},
      {
        field: 'requiredSignInMethods',
      },
    );
  if (new Set(methods).size !== methods.length)
    throw new InvalidRequest('apps.signInMethodTwice', {}, { field: 'requiredSignInMethods' });
  return [...methods] as Amr[];
}

/** Sets which sign-in methods the app accepts (null: any), and records it. */
export async function setRequiredSignInMethods(
  tx: Tx,
  clock: Clock,
  tenantId: string,
  appId: string,
  methods: readonly string[] | null,
  actor: Actor,
): Promise<App> {
  const allowed = checkSignInMethods(methods);
  const app = await lockApp(tx, tenantId, appId);
  await tx
    .updateTable('apps')
    .set({ required_amr: allowed && toJson(allowed) })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', app.id)
    .execute();
  return auditAppUpdate(
    tx,
    clock,
    tenantId,
    app.id,
    { modifiedProperties: 'requiredSignInMethods', requiredSignInMethods: allowed ? allowed.join(',') : 'any' },
    actor,
  );
}
