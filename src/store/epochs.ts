// What a node keeps of a tenant's configuration in memory (the tenant, its apps as clients, its provider), and how a
// change made on any node, or by the CLI, reaches every node within a second.
//
// Each tenant has an epoch (table cache_epochs, 0 without a row). A change to what nodes cache counts it up in the
// change's own transaction (`tenantChanged`), which also drops this node's entries of the tenant at once. Every node
// reads the epochs of the tenants it holds four times a second (the `epochs` job, jobs/index.ts) and drops an entry
// whose epoch is not the tenant's: an entry is tagged with the epoch read *before* its value was loaded, so a change
// that commits while a value is being loaded leaves that value tagged with the older epoch, and the next read of the
// epochs drops it. A node that has not read the epochs for a second (a store that does not answer, a process that
// runs no jobs, as the CLI) serves nothing from its caches: every get loads.
import { LRUCache } from 'lru-cache';

import type { Db, Tx } from './index.ts';

/** How often a node reads the epochs (the `epochs` job). */
export const EPOCH_POLL_MS = 250;
/** Entries are served only while the last read of the epochs is younger than this. */
export const EPOCH_FRESH_MS = 1_000;

interface Entry<V> {
  tenantId: string;
  /** the tenant's epoch read before the value was loaded */
  epoch: number;
  value: V;
}

/** One kind's entries and the loads in flight, by `<tenant id> <key>`. */
interface Kind {
  entries: LRUCache<string, Entry<unknown>>;
  loading: Map<string, { tenantId: string; promise: Promise<unknown> }>;
}

interface State {
  /** the epoch of each tenant this node holds entries of, as last read */
  epochs: Map<string, number>;
  /** when the epochs were last read in full (performance.now()), or -Infinity */
  polledAt: number;
  kinds: Set<Kind>;
}

// Keyed by the store's adapter, which its transactions share (as store/deployment.ts does).
const states = new WeakMap<object, State>();
const stateOf = (db: Db | Tx): State => {
  const adapter = db.getExecutor().adapter;
  let state = states.get(adapter);
  if (!state) states.set(adapter, (state = { epochs: new Map(), polledAt: -Infinity, kinds: new Set() }));
  return state;
};

const fresh = (state: State) => performance.now() - state.polledAt < EPOCH_FRESH_MS;

/**
 * Counts up the epoch of the tenant whose cached configuration the transaction changes, and drops this node's
 * entries of it now. Call it in the transaction of the change: the other nodes see it once it commits.
 */
export async function tenantChanged(tx: Tx, tenantId: string): Promise<void> {
  await tx
    .insertInto('cache_epochs')
    .values({ tenant_id: tenantId, epoch: 1 })
    .onConflict((oc) => oc.column('tenant_id').doUpdateSet((eb) => ({ epoch: eb('cache_epochs.epoch', '+', 1) })))
    .execute();
  // Unknown until read again: an entry loaded before this change committed is then tagged with an older epoch.
  const state = stateOf(tx);
  state.epochs.delete(tenantId);
  dropTenant(state, tenantId);
}

function dropTenant(state: State, tenantId: string): void {
  for (const { entries, loading } of state.kinds) {
    for (const [key, entry] of entries.entries()) if (entry.tenantId === tenantId) entries.delete(key);
    for (const [key, load] of loading) if (load.tenantId === tenantId) loading.delete(key);
  }
}

async function readEpoch(db: Db, tenantId: string): Promise<number> {
  const row = await db.selectFrom('cache_epochs').select('epoch').where('tenant_id', '=', tenantId).executeTakeFirst();
  return Number(row?.epoch ?? 0);
}

/** One read of the epochs of the tenants this node holds: entries of a tenant whose epoch moved are dropped. */
export async function pollEpochs(db: Db): Promise<void> {
  const state = stateOf(db);
  const held = [...state.epochs.keys()];
  const started = performance.now();
  const current = new Map<string, number>();
  for (let i = 0; i < held.length; i += 500) {
    const rows = await db
      .selectFrom('cache_epochs')
      .select(['tenant_id', 'epoch'])
      .where('tenant_id', 'in', held.slice(i, i + 500))
      .execute();
    for (const row of rows) current.set(row.tenant_id, Number(row.epoch));
  }
  for (const tenantId of held) {
    const epoch = current.get(tenantId) ?? 0;
    const known = state.epochs.get(tenantId);
    if (known === undefined) continue; // changed here meanwhile: read again at the next get
    if (known !== epoch) {
      state.epochs.set(tenantId, epoch);
      dropTenant(state, tenantId);
    }
  }
  state.polledAt = started;
}

export interface TenantCache<V> {
  /**
   * The value cached under `key` for `tenantId`, or what `load` gives (cached unless undefined); callers asking while
   * it loads share the load. Without a fresh read of the epochs it loads every time.
   */
  get(tenantId: string, key: string, load: () => Promise<V | undefined>): Promise<V | undefined>;
}

export interface TenantCacheOptions {
  /** entries kept per store, least recently used out */
  max: number;
}

/** A cache of values of one kind that belong to a tenant. */
export function tenantCache<V>(opts: TenantCacheOptions): (db: Db) => TenantCache<V> {
  const byState = new WeakMap<State, Kind>();
  return (db) => {
    const state = stateOf(db);
    let kind = byState.get(state);
    if (!kind) {
      kind = { entries: new LRUCache<string, Entry<unknown>>({ max: opts.max }), loading: new Map() };
      byState.set(state, kind);
      state.kinds.add(kind);
    }
    const { entries, loading } = kind;
    const loadInto = async (tenantId: string, k: string, epoch: number, load: () => Promise<V | undefined>) => {
      const pending = loading.get(k);
      if (pending) return pending.promise as Promise<V | undefined>;
      const promise = load();
      loading.set(k, { tenantId, promise });
      try {
        const value = await promise;
        // Not when the tenant changed meanwhile (its loads were dropped): the value may be from before the change.
        if (value !== undefined && loading.get(k)?.promise === promise) entries.set(k, { tenantId, epoch, value });
        return value;
      } finally {
        if (loading.get(k)?.promise === promise) loading.delete(k);
      }
    };
    return {
      async get(tenantId, key, load) {
        const k = `${tenantId} ${key}`;
        const entry = entries.get(k) as Entry<V> | undefined;
        if (!fresh(state)) return load();
        let epoch = state.epochs.get(tenantId);
        if (entry && epoch !== undefined && entry.epoch === epoch) return entry.value;
        if (epoch === undefined) {
          epoch = await readEpoch(db, tenantId);
          if (!state.epochs.has(tenantId)) state.epochs.set(tenantId, epoch);
        }
        return loadInto(tenantId, k, epoch, load);
      },
    };
  };
}
