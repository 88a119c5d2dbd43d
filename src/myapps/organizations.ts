// The organizations a person belongs to, seen from their account at one tenant: the tenant where they are a member
// (their home) and every tenant where a guest account was redeemed with the same identity. An identity is
// (issuer, subject) as external_identities records it at redemption; a member's identity at other tenants is
// (their tenant's issuer, their object id).
import { tenantNames } from '../directory/tenants.ts';
import { getUser, userExists, type User } from '../directory/users.ts';
import { identityOfUser, tenantsOfIdentity, userOfIdentity } from '../federation/identities.ts';
import { homeTenantOfIssuer, issuerFor } from '../oidc/urls.ts';
import type { Db } from '../store/index.ts';

export interface Organization {
  tenantId: string;
  displayName: string;
  /** the person's account there is a guest account */
  guest: boolean;
}

/** The identity a user of `tenantId` stands for across the deployment. */
async function identityOf(
  db: Db,
  baseUrl: string,
  tenantId: string,
  user: User,
): Promise<{ issuer: string; subject: string } | undefined> {
  if (user.userType === 'Member') return { issuer: issuerFor(baseUrl, tenantId), subject: user.id };
  return identityOfUser(db, tenantId, user.id);
}

export async function organizationsOf(db: Db, baseUrl: string, tenantId: string, user: User): Promise<Organization[]> {
  const identity = await identityOf(db, baseUrl, tenantId, user);
  const found = new Map<string, boolean>([[tenantId, user.userType === 'Guest']]);
  if (identity) {
    for (const id of await tenantsOfIdentity(db, identity.issuer, identity.subject)) {
      // A guest object in deleted items (deleted, or the guest left) is no organization of theirs.
      const guestId = await userOfIdentity(db, id, identity.issuer, identity.subject);
      if (guestId && (await userExists(db, id, guestId))) found.set(id, true);
    }
    // A guest whose identity is a member account of a tenant here: that tenant is their home.
    const home = homeTenantOfIssuer(baseUrl, identity.issuer);
    if (home && (await getUser(db, home, identity.subject))) found.set(home, false);
  }
  const names = await tenantNames(db, [...found.keys()]);
  return [...names]
    .map(([id, displayName]) => ({ tenantId: id, displayName, guest: found.get(id)! }))
    .sort((a, b) => Number(a.guest) - Number(b.guest) || a.displayName.localeCompare(b.displayName));
}
