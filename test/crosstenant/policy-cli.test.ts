// `portico xtap show|set|remove`, spawned as a process against the store a running server uses: what the CLI sets
// the API serves and effectivePolicy applies, each change is audited as the CLI, and refusals exit non-zero.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { before, it } from 'node:test';

import { effectivePolicy, getDefault, listPartners } from '../../src/crosstenant/policy.ts';
import { readAllPages } from '../helpers/api.ts';
import { TEST_PASSWORD_COST } from '../helpers/server.ts';
import { runCli } from '../helpers/spawn.ts';
import { suite } from '../helpers/suite.ts';

const XTAP = '/v1.0/policies/crossTenantAccessPolicy';
const everyone = (accessType: 'allowed' | 'blocked') => ({
  usersAndGroups: { accessType, targets: [{ target: 'AllUsers', targetType: 'user' }] },
  applications: { accessType, targets: [{ target: 'AllApplications', targetType: 'application' }] },
});

suite('portico xtap CLI', { runWorker: false, tenant: 'Contoso' }, ({ s, t }) => {
  let env: Record<string, string>;
  const partner = randomUUID();
  before(async () => {
    env = { PORTICO_DATABASE_URL: s.testStore.url, PORTICO_BASE_URL: s.baseUrl, ...TEST_PASSWORD_COST };
  });

  const cli = async (...args: string[]) => {
    const ran = await runCli(['xtap', ...args], env);
    assert.equal(ran.code, 0, `${args.join(' ')}: ${ran.stderr}`);
    return ran.stdout;
  };
  const audits = async () =>
    (await readAllPages(t.api, s.baseUrl, '/v1.0/auditLogs/directoryAudits')).items as unknown as {
      activityDisplayName: string;
      initiatedBy: { app?: { displayName?: string } };
      targetResources: { id: string }[];
    }[];
  const assertAudited = async (activity: string, id: string) => {
    assert.ok(
      (await audits()).some(
        (e) =>
          e.activityDisplayName === activity &&
          e.targetResources[0]?.id === id &&
          e.initiatedBy.app?.displayName === 'Portico CLI',
      ),
      `${activity} of ${id} by the CLI`,
    );
  };

  it('show prints the service defaults', async () => {
    const json = JSON.parse(await cli('show', '--tenant', t.domain, '--json'));
    assert.deepEqual(json, {
      tenantId: t.tenantId,
      partners: [],
      default: {
        isServiceDefault: true,
        b2bCollaborationInbound: everyone('allowed'),
        b2bCollaborationOutbound: everyone('allowed'),
        automaticUserConsentSettings: { inboundAllowed: false, outboundAllowed: false },
        inboundTrust: {
          isMfaAccepted: false,
          isCompliantDeviceAccepted: false,
          isHybridAzureADJoinedDeviceAccepted: false,
        },
      },
    });
    const human = await cli('show', '--tenant', t.tenantId);
    assert.match(human, /^Cross-tenant access defaults of Contoso \(service defaults\):\n/);
    assert.match(human, /inbound +users and groups allowed for all users; applications allowed for all applications\n/);
    assert.match(human, /automatic redemption {2}inbound off, outbound off\nNo partner-specific settings\.\n$/);
  });

  it('set changes the defaults, which the API serves', async () => {
    assert.equal(
      await cli('set', '--tenant', t.domain, '--inbound', 'block'),
      'Updated the cross-tenant access defaults of Contoso.\n',
    );
    const d = (await t.api('GET', `${XTAP}/default`)).body;
    assert.deepEqual(
      [d.isServiceDefault, d.b2bCollaborationInbound, d.b2bCollaborationOutbound],
      [false, everyone('blocked'), everyone('allowed')],
    );
    await assertAudited('Update a cross-tenant access default setting', 'default');
    assert.match(
      await cli('show', '--tenant', t.domain),
      /^Cross-tenant access defaults of Contoso:\n {2}inbound +users and groups blocked for all users/,
    );
  });

  it('set --partner adds then updates a partner; its unset settings inherit the defaults', async () => {
    assert.equal(
      await cli(
        'set',
        '--tenant',
        t.domain,
        '--partner',
        partner.toUpperCase(),
        '--outbound',
        'block',
        '--auto-inbound',
        'on',
      ),
      `Added the cross-tenant access settings of Contoso for partner ${partner}.\n`,
    );
    await assertAudited('Add a partner to cross-tenant access setting', partner);
    // One automatic-redemption flag keeps the other direction's value.
    const json = JSON.parse(
      await cli('set', '--tenant', t.domain, '--partner', partner, '--auto-outbound', 'on', '--json'),
    );
    assert.deepEqual(
      [json.configured, json.settings.automaticUserConsentSettings],
      [true, { inboundAllowed: true, outboundAllowed: true }],
    );
    await assertAudited('Update a partner cross-tenant access setting', partner);

    const api = (await t.api('GET', `${XTAP}/partners/${partner}`)).body;
    assert.deepEqual(
      [api.b2bCollaborationInbound, api.b2bCollaborationOutbound, api.automaticUserConsentSettings],
      [null, everyone('blocked'), { inboundAllowed: true, outboundAllowed: true }],
    );
    const effective = await effectivePolicy(s.portico.services.store.db, t.tenantId, partner);
    assert.deepEqual(effective, {
      b2bCollaborationInbound: everyone('blocked'),
      b2bCollaborationOutbound: everyone('blocked'),
      automaticUserConsentSettings: { inboundAllowed: true, outboundAllowed: true },
      inboundTrust: {
        isMfaAccepted: false,
        isCompliantDeviceAccepted: false,
        isHybridAzureADJoinedDeviceAccepted: false,
      },
    });
    assert.deepEqual(json.effective, effective);

    const human = await cli('show', '--tenant', t.domain, '--partner', partner);
    assert.match(human, new RegExp(`^Cross-tenant access settings of Contoso for partner ${partner}:\n`));
    assert.match(
      human,
      /inbound +users and groups blocked for all users \(default\); applications blocked for all applications \(default\)\n/,
    );
    assert.match(
      human,
      /outbound {2}users and groups blocked for all users; applications blocked for all applications\n/,
    );
    assert.match(human, /automatic redemption {2}inbound on, outbound on\n$/);
    assert.match(
      await cli('show', '--tenant', t.domain),
      new RegExp(`Partners with their own settings: ${partner}\n$`),
    );
    const other = randomUUID();
    assert.match(
      await cli('show', '--tenant', t.domain, '--partner', other),
      new RegExp(`Contoso has no settings of its own for partner ${other}; the defaults apply:\n`),
    );
  });

  it('remove deletes a partner: the defaults apply to it again', async () => {
    assert.equal(
      await cli('remove', '--tenant', t.domain, '--partner', partner),
      `Removed the cross-tenant access settings of Contoso for partner ${partner}; the defaults apply to it again.\n`,
    );
    assert.deepEqual(await listPartners(s.portico.services.store.db, t.tenantId), []);
    assert.deepEqual(
      (await effectivePolicy(s.portico.services.store.db, t.tenantId, partner)).b2bCollaborationOutbound,
      everyone('allowed'),
    );
    await assertAudited('Delete partner specific cross-tenant access setting', partner);
  });

  it('fails with a clear message and a non-zero exit, changing nothing', async () => {
    const kept = randomUUID();
    await cli('set', '--tenant', t.domain, '--partner', kept, '--inbound', 'block');
    const { db } = s.portico.services.store;
    const state = async () =>
      JSON.stringify([await getDefault(db, t.tenantId), await listPartners(db, t.tenantId), (await audits()).length]);
    const before = await state();
    const cases: [string[], RegExp][] = [
      [['set', '--tenant', t.domain], /Nothing to set/],
      [['set', '--tenant', t.domain, '--partner', kept], /Nothing to set/],
      [
        ['set', '--tenant', t.domain, '--inbound', 'maybe'],
        /argument 'maybe' is invalid\. Allowed choices are allow, block/,
      ],
      [['set', '--tenant', t.domain, '--partner', kept, '--auto-inbound', 'yes'], /Allowed choices are on, off/],
      [
        ['set', '--tenant', t.domain, '--partner', 'fabrikam.example', '--inbound', 'block'],
        /--partner must be the partner's tenant id \(a GUID\)/,
      ],
      [
        ['set', '--tenant', t.domain, '--partner', t.tenantId, '--inbound', 'block'],
        /cannot be its own partner.*Request_BadRequest/,
      ],
      [['set', '--tenant', t.domain, '--auto-inbound', 'on'], /cannot be turned on in the default configuration/],
      [['set', '--tenant', 'nowhere.example', '--inbound', 'allow'], /No tenant matches 'nowhere\.example'/],
      [['show', '--tenant', t.domain, '--partner', 'default'], /a GUID/],
      [
        ['remove', '--tenant', t.domain, '--partner', randomUUID()],
        /no cross-tenant access settings for partner.*Request_ResourceNotFound/,
      ],
      [['remove', '--tenant', t.domain], /required option '--partner <tenant-id>'/],
    ];
    for (const [args, message] of cases) {
      const ran = await runCli(['xtap', ...args], env);
      assert.notEqual(ran.code, 0, args.join(' '));
      assert.match(ran.stderr, message, args.join(' '));
    }
    assert.equal(await state(), before);
  });
});
