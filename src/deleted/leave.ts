// A guest leaves an organization (Entra's "Leave organization" in My Account): the guest object goes to the tenant's
// deleted items, as an administrator's delete would (so the tenant can still restore it for 30 days), every sign-in
// there ends, and the tenant's audit log says who left. Entra's rules: only a guest leaves (a member cannot leave
// their own organization), and only where the tenant allows it (allowExternalIdentitiesToLeave, on by default).
import { recordAudit } from '../directory/audit.ts';
import type { Tenant } from '../directory/tenants.ts';
import { deleteUser, requireUser, type User } from '../directory/users.ts';
import { InvalidRequest } from '../errors.ts';
import type { Services } from '../services.ts';
import type { Tx } from '../store/index.ts';

/** Whether the user may leave the tenant; throws the refusal that says why not. */
export function assertMayLeave(tenant: Tenant, user: User): void {
  if (user.userType !== 'Guest') throw new InvalidRequest('leave.home', { tenant: tenant.displayName });
  if (!tenant.settings.allowExternalIdentitiesToLeave)
    throw new InvalidRequest('leave.forbidden', { tenant: tenant.displayName });
}

export async function leaveOrganization(services: Services, tx: Tx, tenant: Tenant, userId: string): Promise<User> {
  const { clock } = services;
  const user = await requireUser(tx, tenant.id, userId);
  assertMayLeave(tenant, user);
  await deleteUser(tx, clock, tenant.id, user.id);
  await recordAudit(tx, clock, tenant.id, {
    category: 'UserManagement',
    activity: 'User left the organization',
    operationType: 'Delete',
    actor: { kind: 'user', id: user.id, userPrincipalName: user.userPrincipalName },
    targets: [{ id: user.id, type: 'User', displayName: user.displayName, userPrincipalName: user.userPrincipalName }],
  });
  return user;
}
