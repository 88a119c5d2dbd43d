// oidc-provider's storage adapter over the shared store, bound to one tenant, so sessions, grants and codes live
// in the database and any node can continue a flow another node started.
import { errors, type Adapter, type AdapterPayload } from 'oidc-provider';

import { findAppByClientId } from '../apps/apps.ts';
import { foreignClientApp, type TenantApp } from '../apps/service-principals.ts';
import { systemClock, type Clock } from '../clock.ts';
import { UnreadableSecret } from '../keyring.ts';
import { tenantCache } from '../store/epochs.ts';
import type { Db, Store } from '../store/index.ts';
import { keysOf } from '../store/keys.ts';
import { artifactId } from './artifact-ids.ts';
import { DEVICE_CODE_GRANT, deviceCodeRead, deviceCodeWritten } from './device-flow.ts';
import { OBO_GRANT } from './resources.ts';

const epoch = () => Math.floor(Date.now() / 1000);

const ownClients = tenantCache<AdapterPayload>({ max: 10_000 });

/** Models that must be consumed at most once: a second consume is a replay. */
const SINGLE_USE = new Set(['AuthorizationCode', 'RefreshToken', 'DeviceCode', 'BackchannelAuthenticationRequest']);

/**
 * Where a realm that is no tenant (the personal accounts realm, oidc/consumers.ts) keeps its artifacts, and how it
 * finds its clients. A tenant's provider uses oidc_payloads and the tenant's apps (apps/service-principals.ts).
 */
export interface AdapterRealm {
  /** a table with oidc_payloads' columns (migration 0023) */
  payloads: 'consumer_oidc_payloads';
  clientApp: (db: Db, clientId: string) => Promise<TenantApp | undefined>;
}

/** `clock` decides when device codes expire (oidc/device-flow.ts `clockSkew`); the rest expire by the system clock. */
export function adapterFor(
  store: Store,
  tenantId: string,
  clock: Clock = systemClock,
  realm?: AdapterRealm,
): new (model: string) => Adapter {
  const db = store.db;
  // Both tables have the same columns: typed as the tenants' one.
  const table = (realm?.payloads ?? 'oidc_payloads') as 'oidc_payloads';
  // A tenant's own apps as clients from this node's cache (store/epochs.ts: every change to an app counts the tenant's
  // epoch); another tenant's multi-tenant app, and the personal accounts realm's clients, from the store each time.
  const findClient = async (id: string) =>
    realm
      ? clientMetadata(await realm.clientApp(db, id))
      : ((await ownClients(db).get(tenantId, id, async () =>
          clientMetadata(await findAppByClientId(db, tenantId, id)),
        )) ?? clientMetadata(await foreignClientApp(db, tenantId, id)));
  return class PorticoAdapter implements Adapter {
    constructor(readonly model: string) {}

    async upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void> {
      const stored = this.model === 'DeviceCode' ? deviceCodeWritten(payload, clock) : payload;
      const row = {
        payload: JSON.stringify(withoutValue(db, this.model, id, stored)),
        grant_id: payload.grantId ?? null,
        uid: payload.uid ?? null,
        account_id: accountOf(payload),
        expires_at: expiresIn ? epoch() + expiresIn : null,
        // A saved device code always carries its user code (the provider reads it back with the payload); kept when
        // absent rather than cleared, so no save can make the user code unfindable.
        ...(payload.userCode ? { user_code: userCodeMacs(db, payload.userCode)[0]! } : {}),
      };
      await store.write((w) =>
        w
          .insertInto(table)
          .values({ tenant_id: tenantId, model: this.model, id: artifactId(this.model, id), consumed: 0, ...row })
          .onConflict((oc) => oc.columns(['tenant_id', 'model', 'id']).doUpdateSet(row))
          .execute(),
      );
    }

    async find(id: string): Promise<AdapterPayload | undefined> {
      if (this.model === 'Client') return findClient(id);
      const row = await this.stored().where('id', '=', artifactId(this.model, id)).executeTakeFirst();
      return this.timed(withValue(db, this.model, live(row), id));
    }

    async findByUid(uid: string): Promise<AdapterPayload | undefined> {
      const row = await this.stored().where('uid', '=', uid).executeTakeFirst();
      // A session found by its uid (provider.js, checking an interaction's session still exists for its account)
      // comes back without its value, which only its cookie holds: oidc-provider gives it a fresh one it never saves.
      return withValue(db, this.model, live(row));
    }

    async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
      const row = await this.stored().where('user_code', 'in', userCodeMacs(db, userCode)).executeTakeFirst();
      return this.timed(withValue(db, this.model, live(row)));
    }

    /** The stored artifacts of this model in the tenant (or realm), as the finds read them. */
    private stored() {
      return db
        .selectFrom(table)
        .select(['payload', 'expires_at', 'consumed'])
        .where('tenant_id', '=', tenantId)
        .where('model', '=', this.model);
    }

    private timed(payload: AdapterPayload | undefined): AdapterPayload | undefined {
      return payload && this.model === 'DeviceCode' ? deviceCodeRead(payload, clock) : payload;
    }

    async consume(id: string): Promise<void> {
      // One conditional update: of two parallel token requests with the same code, exactly one consumes it.
      const result = await store.write((w) =>
        w
          .updateTable(table)
          .set({ consumed: epoch() })
          .where('tenant_id', '=', tenantId)
          .where('model', '=', this.model)
          .where('id', '=', artifactId(this.model, id))
          .where('consumed', '=', 0)
          .executeTakeFirst(),
      );
      if (SINGLE_USE.has(this.model) && Number(result.numUpdatedRows) === 0)
        throw new errors.InvalidGrant('grant request is invalid');
    }

    async destroy(id: string): Promise<void> {
      await store.write((w) =>
        w
          .deleteFrom(table)
          .where('tenant_id', '=', tenantId)
          .where('model', '=', this.model)
          .where('id', '=', artifactId(this.model, id))
          .execute(),
      );
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      await store.write((w) =>
        w.deleteFrom(table).where('tenant_id', '=', tenantId).where('grant_id', '=', grantId).execute(),
      );
    }
  };
}

/**
 * The user an artifact belongs to, so revoking a user (sessions/revoke.ts) finds all of them by one index: tokens,
 * codes, grants and sessions name it; an interaction names the account it signed in or the session it began with.
 */
function accountOf(payload: AdapterPayload): string | null {
  const p = payload as AdapterPayload & {
    result?: { login?: { accountId?: string } };
    session?: { accountId?: string };
  };
  return p.accountId ?? p.result?.login?.accountId ?? p.session?.accountId ?? null;
}

/**
 * A device's user code is short (8 letters of 20), a credential of the device flow: a hash of it would be reversed by
 * trying every code, so the row holds its MAC under the deployment key (keyring.ts), which the store never holds; one
 * per held key, so a code from before a key rotation is still found.
 */
const userCodeMacs = (db: Db, userCode: string): string[] => keysOf(db).macs('device-user-code', userCode);

/** Stands for the artifact's value where a payload names it (an interaction's `returnTo`, its resume address). */
const VALUE = '{value}';

/**
 * The payload as stored: without the artifact's own value (artifact-ids.ts). `jti` is the value: dropped, and given
 * back by `find`, which is handed it. A device code is also found by its user code, which does not tell the value:
 * its `jti` is kept sealed under the deployment key instead, and so is its `userCode` (the confirmation page shows
 * it). An interaction names its value in `returnTo`, and its session's cookie (the session's value) in
 * `session.cookie`, which nothing reads back: kept as the session's row id; a device flow's interaction names the
 * device code in `deviceCode`: sealed.
 */
function withoutValue(db: Db, model: string, id: string, payload: AdapterPayload): AdapterPayload {
  const p: AdapterPayload & { returnTo?: string; session?: { cookie?: string } } = { ...payload };
  if (p.jti === id && artifactId(model, id) !== id) {
    if (model === 'DeviceCode') p.jti = keysOf(db).seal(id);
    else delete p.jti;
  }
  if (typeof p.userCode === 'string') p.userCode = keysOf(db).seal(p.userCode);
  if (model === 'Interaction') {
    if (typeof p.returnTo === 'string') p.returnTo = p.returnTo.split(id).join(VALUE);
    if (typeof p.session?.cookie === 'string')
      p.session = { ...p.session, cookie: artifactId('Session', p.session.cookie) };
    // The device code a device flow's sign-in continues (oidc-provider's authorization/device.js finds it by it).
    if (typeof p.deviceCode === 'string') p.deviceCode = keysOf(db).seal(p.deviceCode);
  }
  return p;
}

/**
 * The stored payload as the provider wrote it, when `value` is known (find); see withoutValue. A device code (or its
 * interaction) sealed under a key since pruned (`portico keys prune` within its 15 minutes of a rotation) is one that
 * is gone: the device starts again, as after an expired code.
 */
function withValue(db: Db, model: string, payload: AdapterPayload | undefined, value?: string) {
  if (!payload) return payload;
  const p: AdapterPayload & { returnTo?: string } = { ...payload };
  if (model === 'DeviceCode' || model === 'Interaction') {
    try {
      if (typeof p.userCode === 'string') p.userCode = keysOf(db).open(p.userCode);
      if (model === 'DeviceCode' && typeof p.jti === 'string') p.jti = value ?? keysOf(db).open(p.jti);
      if (typeof p.deviceCode === 'string') p.deviceCode = keysOf(db).open(p.deviceCode);
    } catch (e) {
      if (e instanceof UnreadableSecret) return undefined;
      throw e;
    }
  }
  if (model !== 'DeviceCode' && value !== undefined && p.jti === undefined && artifactId(model, value) !== value)
    p.jti = value;
  if (value !== undefined && typeof p.returnTo === 'string') p.returnTo = p.returnTo.split(VALUE).join(value);
  return p;
}

function live(
  row: { payload: string; expires_at: number | null; consumed: number } | undefined,
): AdapterPayload | undefined {
  if (!row) return undefined;
  if (row.expires_at !== null && Number(row.expires_at) <= epoch()) return undefined;
  const payload = JSON.parse(row.payload) as AdapterPayload;
  return row.consumed ? { ...payload, consumed: Number(row.consumed) } : payload;
}

/** Client metadata Portico adds (provider.ts registers it as extra metadata): the app's application permissions. */
export const APP_ROLES = 'portico_app_roles';
/**
 * Client metadata Portico adds: the owner tenant of another tenant's multi-tenant app (absent for the tenant's own
 * apps). Such a client gets no token for Portico's own API nor for this tenant's apps' APIs (oidc/resources.ts).
 */
export const FOREIGN_OWNER = 'portico_foreign_owner';

/**
 * Clients come from app registrations. `client_secret` holds the secret's SHA-256: the HTTP edge hashes the
 * presented secret before the provider compares (see oidc/client-auth.ts), so the store never holds a usable secret.
 */
function clientMetadata(app: TenantApp | undefined): AdapterPayload | undefined {
  // The tenant's own app, or another tenant's multi-tenant app (its secrets and redirect URIs stay the owner's).
  if (!app) return undefined;
  // A public client app without redirect URIs (a CLI) signs in by the device code only.
  const signsIn = app.grantTypes.includes('authorization_code') && app.redirectUris.length > 0;
  // "Allow public client flows" makes an app without a secret a public client with the device code grant. An app
  // holding a secret keeps authenticating with it for every grant (apps/apps.ts refuses the setting on such an app;
  // one from before keeps its secret and gets no device code grant): never does the setting remove authentication.
  const device = app.isFallbackPublicClient && app.secretHash === null;
  const secret = app.secretHash;
  return {
    client_id: app.clientId,
    client_name: app.displayName,
    ...(secret !== null ? { client_secret: secret } : {}),
    token_endpoint_auth_method: secret !== null ? 'client_secret_post' : 'none',
    // As on Entra, any confidential app may get tokens as itself (client credentials: for an app's API it holds the
    // application permissions an administrator granted, resources.ts) and act on behalf of the user who called it.
    grant_types: [
      ...new Set([
        ...app.grantTypes.filter((g) => signsIn || g !== 'authorization_code'),
        // Another tenant's multi-tenant app gets neither here (apps/service-principals.ts).
        ...(secret !== null && !app.foreign ? ['client_credentials', OBO_GRANT] : []),
        ...(device ? [DEVICE_CODE_GRANT] : []),
      ]),
    ],
    response_types: signsIn ? ['code'] : [],
    // oidc-provider refuses pairwise subjects with the device code grant to clients that hold no key, so an app that
    // allows public client flows gets the user's object id as `sub` (docs/entra-apps.md).
    subject_type: signsIn && !device ? 'pairwise' : 'public',
    // Pairwise subjects come from the client id (provider.ts), not from a sector; but oidc-provider refuses a pairwise
    // client whose redirect URIs span hosts without a sector identifier, so one is named, and never fetched.
    ...(signsIn && !device && new Set(app.redirectUris.map((u) => new URL(u).host)).size > 1
      ? { sector_identifier_uri: `https://sector.portico.invalid/${app.clientId}` }
      : {}),
    redirect_uris: app.redirectUris,
    post_logout_redirect_uris: app.postLogoutRedirectUris,
    // Carried on the client so a client-credentials token gets its roles without reading the app a second time.
    [APP_ROLES]: app.appPermissions,
    ...(app.foreign ? { [FOREIGN_OWNER]: app.foreign.ownerTenantId } : {}),
  };
}

/** Deletes expired flow state (the tenants' and the personal accounts realm's); run by the maintenance loop. */
export async function sweepExpired(store: Store): Promise<number> {
  let deleted = 0;
  for (const table of ['oidc_payloads', 'consumer_oidc_payloads'] as const) {
    const result = await store.db
      .deleteFrom(table as 'oidc_payloads')
      .where('expires_at', '<', epoch() - 3600)
      .executeTakeFirst();
    deleted += Number(result.numDeletedRows);
  }
  return deleted;
}
