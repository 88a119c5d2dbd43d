// The seed's discovery order, step by step: each step given a context, the answer (or the pass to the next)
// asserted; then the table as a whole.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { resolveSettings } from '../../src/directory/settings.ts';
import type { Tenant } from '../../src/directory/tenants.ts';
import { discover, DISCOVERY_STEPS, type DiscoveryContext } from '../../src/redemption/discovery.ts';

const tenant = (settings: Record<string, unknown> = {}): Tenant => ({
  id: 'inviting',
  displayName: 'Contoso',
  slug: 'contoso',
  initialDomain: 'contoso.portico.localhost',
  privacyStatementUrl: null,
  privacyContactEmail: null,
  branding: {},
  settings: resolveSettings(settings),
  createdAt: '2026-01-01T00:00:00Z',
});

function ctx(over: Partial<DiscoveryContext> & { email?: string } = {}): DiscoveryContext {
  return {
    tenant: tenant(),
    email: 'alice@fabrikam.example',
    memberTenantOf: async () => undefined,
    personalAccountExists: async () => false,
    federationFor: async () => undefined,
    googleEnabled: async () => false,
    ...over,
  };
}

const step = (n: number) => DISCOVERY_STEPS[n]!;

describe('discovery steps, one by one', () => {
  it('lists the seed steps 1, 2, 3, 4, 6, 7 in order', () => {
    assert.deepEqual(
      DISCOVERY_STEPS.map((s) => s.seed.split('.')[0]),
      ['1', '2', '3', '4', '6', '7'],
    );
  });

  it('1: a member of another managed tenant goes home; with a personal account too, to the picker', async () => {
    assert.equal(await step(0).run(ctx()), null);
    assert.deepEqual(await step(0).run(ctx({ memberTenantOf: async () => 'fabrikam' })), {
      kind: 'home-tenant',
      homeTenantId: 'fabrikam',
    });
    assert.deepEqual(
      await step(0).run(ctx({ memberTenantOf: async () => 'fabrikam', personalAccountExists: async () => true })),
      { kind: 'account-picker', homeTenantId: 'fabrikam' },
    );
  });

  it("2: SAML/WS-Fed by the address's domain; not configured passes", async () => {
    assert.equal(await step(1).run(ctx()), null, 'not configured: falls through');
    const asked: string[] = [];
    const found = await step(1).run(
      ctx({
        federationFor: async (tenantId, domain) => {
          asked.push(`${tenantId}/${domain}`);
          return { protocol: 'saml', providerId: 'idp1' };
        },
      }),
    );
    assert.deepEqual(found, { kind: 'federation', protocol: 'saml', providerId: 'idp1' });
    assert.deepEqual(asked, ['inviting/fabrikam.example']);
  });

  it('3: Google only for gmail.com / googlemail.com and only when enabled', async () => {
    for (const email of ['bob@gmail.com', 'bob@googlemail.com']) {
      assert.equal(await step(2).run(ctx({ email })), null, 'not enabled: falls through');
      assert.deepEqual(await step(2).run(ctx({ email, googleEnabled: async () => true })), { kind: 'google' });
    }
    assert.equal(
      await step(2).run(ctx({ email: 'bob@gmail.com.evil.example', googleEnabled: async () => true })),
      null,
    );
  });

  it('4: an existing personal account signs in with it', async () => {
    assert.equal(await step(3).run(ctx()), null);
    assert.deepEqual(await step(3).run(ctx({ personalAccountExists: async () => true })), { kind: 'personal-signin' });
  });

  it('6: the passcode when the tenant has it on (the default), 7: otherwise a new personal account', async () => {
    assert.deepEqual(await step(4).run(ctx()), { kind: 'passcode' });
    assert.equal(await step(4).run(ctx({ tenant: tenant({ emailPasscodeEnabled: false }) })), null);
    assert.deepEqual(await step(5).run(ctx()), { kind: 'personal-signup' });
  });
});

describe('discovery with personal accounts off', () => {
  const off = tenant({ personalAccountsEnabled: false });
  const offNoPasscode = tenant({ personalAccountsEnabled: false, emailPasscodeEnabled: false });

  it('1: a member with a personal account too goes home without the picker', async () => {
    assert.deepEqual(
      await step(0).run(
        ctx({ tenant: off, memberTenantOf: async () => 'fabrikam', personalAccountExists: async () => true }),
      ),
      { kind: 'home-tenant', homeTenantId: 'fabrikam' },
    );
  });

  it('4: an existing personal account is not used', async () => {
    assert.equal(await step(3).run(ctx({ tenant: off, personalAccountExists: async () => true })), null);
    assert.deepEqual(await discover(ctx({ tenant: off, personalAccountExists: async () => true })), {
      kind: 'passcode',
    });
  });

  it('7: with the passcode off too, no personal account is created: there is no way in', async () => {
    assert.deepEqual(await step(5).run(ctx({ tenant: offNoPasscode })), { kind: 'no-identity' });
    assert.deepEqual(await discover(ctx({ tenant: offNoPasscode, personalAccountExists: async () => true })), {
      kind: 'no-identity',
    });
    assert.deepEqual(
      await discover(ctx({ tenant: offNoPasscode, email: 'bob@gmail.com', googleEnabled: async () => true })),
      { kind: 'google' },
      'a provider still signs the guest in',
    );
  });

  it('an explicit true is the default', async () => {
    assert.deepEqual(
      await discover(
        ctx({ tenant: tenant({ personalAccountsEnabled: true }), personalAccountExists: async () => true }),
      ),
      { kind: 'personal-signin' },
    );
  });
});

describe('discovery as a whole', () => {
  it('takes the first step that answers', async () => {
    const everything = ctx({
      email: 'bob@gmail.com',
      memberTenantOf: async () => 'fabrikam',
      personalAccountExists: async () => true,
      federationFor: async () => ({ protocol: 'saml', providerId: 'x' }),
      googleEnabled: async () => true,
    });
    assert.deepEqual(await discover(everything), { kind: 'account-picker', homeTenantId: 'fabrikam' });
    assert.deepEqual(await discover({ ...everything, memberTenantOf: async () => undefined }), {
      kind: 'federation',
      protocol: 'saml',
      providerId: 'x',
    });
    assert.deepEqual(
      await discover(
        ctx({ email: 'bob@gmail.com', googleEnabled: async () => true, personalAccountExists: async () => true }),
      ),
      { kind: 'google' },
    );
    assert.deepEqual(await discover(ctx({ personalAccountExists: async () => true })), { kind: 'personal-signin' });
    assert.deepEqual(await discover(ctx()), { kind: 'passcode' });
    assert.deepEqual(await discover(ctx({ tenant: tenant({ emailPasscodeEnabled: false }) })), {
      kind: 'personal-signup',
    });
  });
});
