// The test kit: one `suite()` that runs a body once per store (storeKinds(): SQLite always, PostgreSQL when
// PORTICO_TEST_DATABASE_URL is set, required under CI) with a started Portico, and closes it after. It replaces the
// prologue every suite used to copy: `for (const { kind, skip } of storeKinds()) describe(..., { skip }, () => {
// let s; before(start); after(close); ... })`.
import { after, before, describe } from 'node:test';

import { ManualClock, type Clock } from '../../src/clock.ts';
import { tenantWithApi, type TenantApi } from './api.ts';
import { startTestServer, type TestServer } from './server.ts';
import { storeKinds, type StoreKind } from './stores.ts';

type StartOptions = NonNullable<Parameters<typeof startTestServer>[1]>;

export interface SuiteOptions extends Omit<StartOptions, 'clock'> {
  /**
   * The server's clock. `'manual'` or a Date: a fresh ManualClock per store (at now, or at that instant), handed to
   * the body as `clock`; a Clock object is used as it is.
   */
  clock?: Clock | Date | 'manual';
  /** Provision this tenant with its management API client right after the start (`tenantWithApi`), handed as `t`. */
  tenant?: string | ({ name: string } & Parameters<TestServer['provision']>[1]);
}

export interface SuiteContext {
  kind: StoreKind;
  /** the running server; usable inside hooks and tests (it starts in the suite's first `before`) */
  s: TestServer;
  /** the tenant of `options.tenant` */
  t: TenantApi;
  /** the ManualClock of `options.clock: 'manual' | Date` */
  clock: ManualClock;
  /**
   * Work the server's start depends on (a DNS or SMTP peer it must be pointed at): runs in the suite's `before`, just
   * before the start, and what it returns is added to the options. The body closes what it started in its `after`.
   */
  prepare(fn: () => Promise<Partial<StartOptions>>): void;
}

/**
 * `describe(`${name} (${kind})`)` for each store, with the server started before the body's own hooks and tests and
 * closed after them. `s` and `t` are filled in when the suite starts, so the body reads them inside hooks and tests,
 * never while it registers them.
 */
export function suite(name: string, options: SuiteOptions, body: (ctx: SuiteContext) => void): void {
  for (const { kind, skip } of storeKinds()) {
    describe(`${name} (${kind})`, { skip }, () => {
      const { clock: clockOption, tenant, ...start } = options;
      const clock =
        clockOption === 'manual'
          ? new ManualClock(new Date())
          : clockOption instanceof Date
            ? new ManualClock(clockOption)
            : clockOption;
      const server = late<TestServer>('s');
      const api = late<TenantApi>('t');
      let prepared: (() => Promise<Partial<StartOptions>>) | undefined;
      before(async () => {
        const more = prepared ? await prepared() : {};
        server.set(
          await startTestServer(kind, {
            ...start,
            ...(clock && { clock }),
            ...more,
            env: { ...start.env, ...more.env },
          }),
        );
        if (tenant) {
          const { name: tenantName, ...provision } = typeof tenant === 'string' ? { name: tenant } : tenant;
          api.set(await tenantWithApi(server.value, tenantName, Object.keys(provision).length ? provision : undefined));
        }
      });
      after(async () => {
        await server.current?.close();
      });
      body({
        kind,
        s: server.value,
        t: api.value,
        clock: clock instanceof ManualClock ? clock : late<ManualClock>('clock').value,
        prepare: (fn) => {
          prepared = fn;
        },
      });
    });
  }
}

/**
 * A value that exists only once the suite has started: a stand-in that forwards every property to it, and says
 * plainly when it is read too early (while the body registers its tests) or was never asked for.
 */
function late<T extends object>(label: string): { value: T; current: T | undefined; set(v: T): void } {
  let current: T | undefined;
  const value = new Proxy({} as T, {
    get(_target, property) {
      if (!current)
        throw new Error(
          `suite(): \`${label}\` is not there yet: read it inside before()/it(), and ask for it in the options`,
        );
      return Reflect.get(current, property);
    },
    has: (_target, property) => current !== undefined && property in current,
  });
  return {
    value,
    get current() {
      return current;
    },
    set(v: T) {
      current = v;
    },
  };
}
