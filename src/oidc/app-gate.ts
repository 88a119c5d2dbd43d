// What an app may require before a sign-in to it completes: that the user is assigned to it ("assignment
// required"), that both tenants' cross-tenant access settings let a guest use it, and that an administrator
// consented to the permissions only an administrator may grant.
import { findAppByClientId, type App } from '../apps/apps.ts';
import { isAssigned, needsAdminConsent } from '../apps/assignments.ts';
import type { Db } from '../store/index.ts';
import { MY_APPS_CLIENT_ID } from './urls.ts';
import { getUser } from '../directory/users.ts';
import { collaborationVerdict, homeTenantOfIssuer } from '../crosstenant/b2b.ts';

export type AppRefusal = 'notAssigned' | 'adminConsentRequired' | 'crossTenantBlocked';

/** The app a sign-in is for (My Apps is Portico's own), and why the user may not complete it, if they may not. */
export async function appGate(db: Db, baseUrl: string, tenantId: string, clientId: string, userId: string): Promise<{ app: Pick<App, 'clientId' | 'displayName'> & Partial<App>; refusal?: AppRefusal }> {
  if (clientId === MY_APPS_CLIENT_ID) return { app: { clientId, displayName: 'My Apps' } };
  const app = await findAppByClientId(db, tenantId, clientId);
  if (!app) return { app: { clientId, displayName: clientId } };
  if (!(await isAssigned(db, tenantId, app, userId))) return { app, refusal: 'notAssigned' };
  // A guest from another tenant here: both tenants' cross-tenant access settings must allow this app, now.
  const user = await getUser(db, tenantId, userId);
  const home = user?.userType === 'Guest' && user.identities[0] ? homeTenantOfIssuer(baseUrl, user.identities[0].issuer) : undefined;
  if (home && !(await collaborationVerdict(db, tenantId, home, user!.identities[0]!.issuerAssignedId, app.clientId)).allowed) return { app, refusal: 'crossTenantBlocked' };
  if (needsAdminConsent(app)) return { app, refusal: 'adminConsentRequired' };
  return { app };
}
