// Sign-in logs in the domain: what recordSignIn stores for each outcome, listSignIns newest first with a cursor,
// each $filter property, and filters it cannot answer refused as Request_UnsupportedQuery.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';

import { parseFilter } from '../../src/api/odata.ts';
import { ManualClock } from '../../src/clock.ts';
import { loadConfig } from '../../src/config.ts';
import { provisionTenant } from '../../src/directory/provisioning.ts';
import { createMember, type User } from '../../src/directory/users.ts';
import type { Services } from '../../src/services.ts';
import {
  getSignIn,
  listSignIns,
  recordSignIn,
  SIGNIN_ERRORS,
  type SignIn,
  type SignInCursor,
  type SignInInput,
} from '../../src/signins/signins.ts';
import { TEST_PASSWORD_COST } from '../helpers/server.ts';
import { createTestStore, storeKinds, type TestStore } from '../helpers/stores.ts';

const APP = { clientId: '0b5c6a39-4d3e-4c0f-9a52-1f7f3c0e2a11', displayName: 'Expenses' };

for (const { kind, skip } of storeKinds()) {
  describe(`sign-in logs domain (${kind})`, { skip }, () => {
    let ts: TestStore;
    let tenantId: string;
    let otherTenantId: string;
    let alice: User;
    let bob: User;
    const clock = new ManualClock(new Date('2026-03-01T09:00:00.000Z'));
    const record = (input: SignInInput, tenant = tenantId) => recordSignIn(ts.store.db, clock, tenant, input);
    const list = async (opts: { top?: number; before?: SignInCursor; filter?: string } = {}) =>
      listSignIns(ts.store.db, tenantId, {
        top: opts.top ?? 100,
        before: opts.before,
        filter: opts.filter === undefined ? undefined : parseFilter(opts.filter),
      });
    const idsOf = (items: SignIn[]) => items.map((s) => s.id);
    const recorded: Record<string, string> = {};

    before(async () => {
      ts = await createTestStore(kind);
      const services: Services = {
        store: ts.store,
        clock,
        config: loadConfig({ PORTICO_DATABASE_URL: ts.url, ...TEST_PASSWORD_COST }),
        log: pino({ level: 'silent' }),
      };
      tenantId = (await provisionTenant(services, { name: 'Contoso' })).tenant.id;
      otherTenantId = (await provisionTenant(services, { name: 'Fabrikam' })).tenant.id;
      [alice, bob] = await ts.store.transaction(async (tx) => [
        await createMember(tx, clock, tenantId, {
          displayName: 'Alice',
          userPrincipalName: 'Alice@contoso.portico.localhost',
          passwordHash: null,
        }),
        await createMember(tx, clock, tenantId, {
          displayName: 'Bob',
          userPrincipalName: 'bob@contoso.portico.localhost',
          passwordHash: null,
        }),
      ]);
      // Oldest first, a minute apart, except the last two, which share a millisecond.
      const steps: [string, SignInInput][] = [
        [
          'aliceOk',
          {
            user: alice,
            app: APP,
            identityProvider: 'https://portico.example/t/v2.0',
            method: 'password',
            ipAddress: '203.0.113.7',
            clientAppUsed: 'Browser',
            correlationId: 'flow-1',
          },
        ],
        [
          'aliceBadPassword',
          {
            user: alice,
            app: APP,
            identityProvider: 'https://portico.example/t/v2.0',
            method: 'password',
            error: 'invalidCredentials',
          },
        ],
        [
          'unknown',
          {
            userPrincipalName: 'Nobody@Contoso.portico.localhost',
            app: APP,
            identityProvider: 'https://portico.example/t/v2.0',
            method: 'password',
            error: 'userNotFound',
          },
        ],
        [
          'bobConsent',
          {
            user: bob,
            app: { clientId: 'f00dfeed-0000-4000-8000-000000000001', displayName: 'Wiki' },
            identityProvider: 'mail',
            method: 'passcode',
            error: 'consentRequired',
          },
        ],
        ['bobSession', { user: bob, identityProvider: 'mail', method: 'session' }],
        [
          'aliceDisabled',
          {
            user: alice,
            identityProvider: 'https://portico.example/t/v2.0',
            method: 'password',
            error: 'userDisabled',
          },
        ],
      ];
      for (const [i, [name, input]] of steps.entries()) {
        if (i < steps.length - 1) clock.advance(60_000);
        recorded[name] = await record(input);
      }
      await record({ user: alice, identityProvider: 'x', method: 'password' }, otherTenantId);
    });
    after(async () => {
      await ts?.dispose();
    });

    it('records who, which app, how and the outcome, with the code and reason from SIGNIN_ERRORS', async () => {
      const ok = (await getSignIn(ts.store.db, tenantId, recorded.aliceOk!))!;
      assert.deepEqual(ok, {
        id: recorded.aliceOk,
        createdDateTime: '2026-03-01T09:01:00.000Z',
        userId: alice.id,
        userPrincipalName: 'Alice@contoso.portico.localhost',
        userDisplayName: 'Alice',
        userType: 'Member',
        appId: APP.clientId,
        appDisplayName: 'Expenses',
        ipAddress: '203.0.113.7',
        clientAppUsed: 'Browser',
        identityProvider: 'https://portico.example/t/v2.0',
        signInMethod: 'password',
        result: 'success',
        errorCode: 0,
        failureReason: null,
        correlationId: 'flow-1',
        homeTenantId: null,
        resourceTenantId: tenantId,
        crossTenantAccessType: 'none',
        authenticationMethod: 'Password',
        isInteractive: true,
        // mfa-policy: written by recordSignIn without a Conditional Access record
        conditionalAccess: null,
        secondFactor: null,
      });
      const bad = (await getSignIn(ts.store.db, tenantId, recorded.aliceBadPassword!))!;
      assert.deepEqual(
        [bad.result, bad.errorCode, bad.failureReason],
        ['failure', 50126, SIGNIN_ERRORS.invalidCredentials.reason],
      );
      const unknown = (await getSignIn(ts.store.db, tenantId, recorded.unknown!))!;
      assert.deepEqual(
        [unknown.userId, unknown.userType, unknown.userDisplayName, unknown.userPrincipalName, unknown.errorCode],
        [null, null, null, 'Nobody@Contoso.portico.localhost', 50034],
      );
      const consent = (await getSignIn(ts.store.db, tenantId, recorded.bobConsent!))!;
      assert.deepEqual(
        [consent.result, consent.errorCode, consent.signInMethod, consent.identityProvider],
        ['interrupted', 65001, 'passcode', 'mail'],
      );
      const session = (await getSignIn(ts.store.db, tenantId, recorded.bobSession!))!;
      assert.deepEqual(
        [session.appId, session.appDisplayName, session.ipAddress, session.correlationId],
        [null, null, null, null],
      );
    });

    it('keeps every outcome distinct (an Entra code shared by two has two reasons), and a success has code 0 and no reason', () => {
      const outcomes = Object.values(SIGNIN_ERRORS).map((e) => `${e.code} ${e.reason}`);
      assert.equal(new Set(outcomes).size, outcomes.length);
      for (const e of Object.values(SIGNIN_ERRORS)) assert.equal(e.code === 0, e.result === 'success');
      assert.equal(SIGNIN_ERRORS.none.reason, null);
    });

    it('bounds what an unauthenticated caller typed', async () => {
      // In the other tenant, so the listings below keep their six sign-ins without deleting anything.
      const id = await record(
        {
          userPrincipalName: `${'x'.repeat(5000)}@example.com`,
          identityProvider: 'y'.repeat(5000),
          method: 'password',
          error: 'userNotFound',
          ipAddress: 'z'.repeat(500),
        },
        otherTenantId,
      );
      const s = (await getSignIn(ts.store.db, otherTenantId, id))!;
      assert.equal(s.userPrincipalName.length, 256);
      assert.equal(s.identityProvider.length, 512);
      assert.equal(s.ipAddress!.length, 64);
    });

    it('lists newest first (ties by id) and only the tenant’s own', async () => {
      const { items, next } = await list();
      assert.equal(next, undefined);
      assert.equal(items.length, 6);
      const [last, beforeLast] = [recorded.aliceDisabled!, recorded.bobSession!].sort().reverse();
      assert.deepEqual(idsOf(items), [
        last,
        beforeLast,
        recorded.bobConsent,
        recorded.unknown,
        recorded.aliceBadPassword,
        recorded.aliceOk,
      ]);
      assert.equal(await getSignIn(ts.store.db, otherTenantId, recorded.aliceOk!), undefined);
    });

    it('pages with a cursor, each sign-in once, in the same order', async () => {
      const all = idsOf((await list()).items);
      const seen: string[] = [];
      let cursor: SignInCursor | undefined;
      let pages = 0;
      do {
        const page = await list({ top: 2, before: cursor });
        seen.push(...idsOf(page.items));
        cursor = page.next;
        pages++;
      } while (cursor);
      assert.deepEqual(seen, all);
      assert.equal(pages, 3);
    });

    it('filters on userId, userPrincipalName (any case), appId and status/errorCode', async () => {
      assert.deepEqual(idsOf((await list({ filter: `userId eq '${bob.id.toUpperCase()}'` })).items), [
        recorded.bobSession,
        recorded.bobConsent,
      ]);
      assert.deepEqual(
        idsOf((await list({ filter: "userPrincipalName eq 'nobody@contoso.PORTICO.localhost'" })).items),
        [recorded.unknown],
      );
      assert.deepEqual(idsOf((await list({ filter: `appId eq '${APP.clientId}'` })).items), [
        recorded.unknown,
        recorded.aliceBadPassword,
        recorded.aliceOk,
      ]);
      assert.deepEqual(idsOf((await list({ filter: 'status/errorCode eq 50126' })).items), [recorded.aliceBadPassword]);
      assert.equal((await list({ filter: 'status/errorCode ne 0' })).items.length, 4);
      assert.deepEqual(idsOf((await list({ filter: `userId eq '${alice.id}' and status/errorCode eq 0` })).items), [
        recorded.aliceOk,
      ]);
    });

    it('filters on createdDateTime with ge and le, inclusive, in any offset', async () => {
      assert.deepEqual(idsOf((await list({ filter: 'createdDateTime le 2026-03-01T09:02:00Z' })).items), [
        recorded.aliceBadPassword,
        recorded.aliceOk,
      ]);
      assert.deepEqual(
        idsOf(
          (
            await list({
              filter: 'createdDateTime ge 2026-03-01T10:03:00+01:00 and createdDateTime le 2026-03-01T09:04:00.000Z',
            })
          ).items,
        ),
        [recorded.bobConsent, recorded.unknown],
      );
      const page = await list({ filter: 'createdDateTime ge 2026-03-01T09:02:00Z', top: 2 });
      assert.equal(page.items.length, 2);
      const rest = await list({ filter: 'createdDateTime ge 2026-03-01T09:02:00Z', top: 3, before: page.next });
      assert.deepEqual(idsOf(rest.items), [recorded.bobConsent, recorded.unknown, recorded.aliceBadPassword]);
      assert.equal(rest.next, undefined);
    });

    for (const [filter, message] of [
      ["createdDateTime ge '2026-03-01T09:00:00Z'", /unquoted date-time/],
      ['createdDateTime ge 2026-02-30T00:00:00Z', /not a valid value/],
      ['createdDateTime ge 2026-03-01', /unexpected/],
      ["status/errorCode eq '50126'", /integer/],
      ["userPrincipalName ge 'a'", /only supported on numbers and date-times/],
      ["status/errorCode in ('0')", /'in' is not supported/],
      ["userDisplayName eq 'Alice'", /Filtering on property 'userDisplayName' is not supported/],
      ['isInteractive eq true', /Filtering on property 'isInteractive' is not supported/],
      ['createdDateTime gt 2026-03-01T09:00:00Z', /unsupported operator 'gt'/],
    ] as const) {
      it(`refuses ${JSON.stringify(filter)} with Request_UnsupportedQuery`, async () => {
        await assert.rejects(
          list({ filter }),
          (e: { code?: string; message: string }) => e.code === 'Request_UnsupportedQuery' && message.test(e.message),
        );
      });
    }
  });
}
