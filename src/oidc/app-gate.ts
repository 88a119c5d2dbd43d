// What an app may require before a sign-in to it completes: that the user is assigned to it ("assignment
// required"), that both tenants' cross-tenant access settings let a guest use it, and that an administrator
// consented to the permissions only an administrator may grant.
import { findAppByClientId, type App } from '../apps/apps.ts';
import { isAssigned, needsAdminConsent } from '../apps/assignments.ts';
import type { Db } from '../store/index.ts';
import { ADMIN_CLIENT_ID, homeTenantOfIssuer, MY_APPS_CLIENT_ID } from './urls.ts';
import type { User } from '../directory/users.ts';
import { collaborationVerdict } from '../crosstenant/b2b.ts';

export type AppRefusal = 'notAssigned' | 'adminConsentRequired' | 'crossTenantBlocked';

type GateApp = Pick<App, 'clientId' | 'displayName'> & Partial<App>;

/** Portico's own clients (My Apps, the admin center) are not app registrations and require nothing. */
const BUILT_IN: Record<string, string> = { [MY_APPS_CLIENT_ID]: 'My Apps', [ADMIN_CLIENT_ID]: 'Admin center' };

/** The app a sign-in is for, by client id. */
export async function appOf(db: Db, tenantId: string, clientId: string): Promise<GateApp> {
  if (BUILT_IN[clientId]) return { clientId, displayName: BUILT_IN[clientId] };
  return (await findAppByClientId(db, tenantId, clientId)) ?? { clientId, displayName: clientId };
}

/** The app a sign-in is for, and why this user may not complete it, if they may not. */
export async function appGate(db: Db, baseUrl: string, tenantId: string, clientId: string, user: User): Promise<{ app: GateApp; refusal?: AppRefusal }> {
  const app = await appOf(db, tenantId, clientId);
  if (!app.id) return { app };
  const registered = app as App;
  if (!(await isAssigned(db, tenantId, registered, user.id))) return { app, refusal: 'notAssigned' };
  // A guest from another tenant here: both tenants' cross-tenant access settings must allow this app, now.
  const identity = user.userType === 'Guest' ? user.identities[0] : undefined;
  const home = identity && homeTenantOfIssuer(baseUrl, identity.issuer);
  if (home && !(await collaborationVerdict(db, tenantId, home, identity.issuerAssignedId, app.clientId)).allowed) return { app, refusal: 'crossTenantBlocked' };
  if (needsAdminConsent(registered)) return { app, refusal: 'adminConsentRequired' };
  return { app };
}
