// What an app may require before a sign-in to it completes: that the user is assigned to it ("assignment
// required"), and that an administrator consented to the permissions only an administrator may grant.
import { findAppByClientId, type App } from '../apps/apps.ts';
import { isAssigned, needsAdminConsent } from '../apps/assignments.ts';
import type { Db } from '../store/index.ts';
import { MY_APPS_CLIENT_ID } from './urls.ts';

export type AppRefusal = 'notAssigned' | 'adminConsentRequired';

/** The app a sign-in is for (My Apps is Portico's own), and why the user may not complete it, if they may not. */
export async function appGate(db: Db, tenantId: string, clientId: string, userId: string): Promise<{ app: Pick<App, 'clientId' | 'displayName'> & Partial<App>; refusal?: AppRefusal }> {
  if (clientId === MY_APPS_CLIENT_ID) return { app: { clientId, displayName: 'My Apps' } };
  const app = await findAppByClientId(db, tenantId, clientId);
  if (!app) return { app: { clientId, displayName: clientId } };
  if (!(await isAssigned(db, tenantId, app, userId))) return { app, refusal: 'notAssigned' };
  if (needsAdminConsent(app)) return { app, refusal: 'adminConsentRequired' };
  return { app };
}
