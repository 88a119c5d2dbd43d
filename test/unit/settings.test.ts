// Tenant settings resolved once (directory/settings-schema.ts): every default, every refusal of a writer, and how a
// stored value a writer would refuse reads.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  parseSettingAssignment,
  resolveSettings,
  SETTING_DEFAULTS,
  TENANT_SETTINGS,
} from '../../src/directory/settings.ts';
import { CODE_DEFAULTS } from '../../src/passcodes/codes.ts';

describe('tenant settings', () => {
  it('resolve an empty row to every default', () => {
    assert.deepEqual(resolveSettings({}), {
      emailPasscodeEnabled: true,
      personalAccountsEnabled: true,
      requireInvitedAddressProof: true,
      passcodeValidityMinutes: 10,
      passcodeLength: 6,
      passcodeMaxAttempts: 5,
      passcodeResendCooldownSeconds: 60,
      invitationTicketLifetimeDays: 30,
      redirectAllowList: [],
      invitationReminderDays: [],
      expirySummaryEmail: false,
      // policy19: Entra's defaults for the authorization policy; no collaboration restrictions
      allowInvitesFrom: 'everyone',
      guestUserRoleId: '10dae51f-b6af-4d05-839f-ba50c2ec4a9b',
      allowedToReadOtherUsers: true,
      collaborationRestrictionMode: 'none',
      collaborationRestrictionDomains: [],
      userConsent: 'allowAll',
      allowExternalIdentitiesToLeave: true,
      // mfa-policy: every authentication method on for all users
      authenticationMethods: {
        fido2: { state: 'enabled', includeTargets: ['all_users'] },
        softwareOath: { state: 'enabled', includeTargets: ['all_users'] },
        email: { state: 'enabled', includeTargets: ['all_users'] },
      },
    });
    assert.deepEqual(resolveSettings(null), SETTING_DEFAULTS);
    assert.deepEqual(resolveSettings([1, 2]), SETTING_DEFAULTS);
  });

  it('take the passcode defaults from the passcode module (the code rules personal accounts and opt-out use)', () => {
    assert.equal(SETTING_DEFAULTS.passcodeValidityMinutes, CODE_DEFAULTS.validityMinutes);
    assert.equal(SETTING_DEFAULTS.passcodeLength, CODE_DEFAULTS.digits);
    assert.equal(SETTING_DEFAULTS.passcodeMaxAttempts, CODE_DEFAULTS.maxAttempts);
    assert.equal(SETTING_DEFAULTS.passcodeResendCooldownSeconds, CODE_DEFAULTS.resendCooldownSeconds);
  });

  it('resolve stored values over the defaults, and drop unknown keys from what readers see', () => {
    const resolved = resolveSettings({
      emailPasscodeEnabled: false,
      passcodeLength: 8,
      redirectAllowList: ['https://a.example'],
      futureSetting: 1,
    });
    assert.equal(resolved.emailPasscodeEnabled, false);
    assert.equal(resolved.passcodeLength, 8);
    assert.deepEqual(resolved.redirectAllowList, ['https://a.example']);
    assert.equal(resolved.personalAccountsEnabled, true);
    assert.ok(!('futureSetting' in resolved));
  });

  it('read a stored value a writer would refuse as the default, field by field', () => {
    const resolved = resolveSettings({
      emailPasscodeEnabled: 'no',
      passcodeValidityMinutes: 0,
      passcodeLength: 12,
      passcodeMaxAttempts: 2.5,
      passcodeResendCooldownSeconds: '60',
      invitationTicketLifetimeDays: 400,
      redirectAllowList: 'https://a.example',
      invitationReminderDays: [7, 7],
      expirySummaryEmail: 1,
      requireInvitedAddressProof: false,
    });
    assert.deepEqual(resolved, { ...SETTING_DEFAULTS, requireInvitedAddressProof: false });
  });

  it('give each reader its own copy of a default list', () => {
    const a = resolveSettings({});
    a.invitationReminderDays.push(7);
    assert.deepEqual(resolveSettings({}).invitationReminderDays, []);
    assert.deepEqual(SETTING_DEFAULTS.invitationReminderDays, []);
  });

  it('accept a valid patch of any subset, bounds included', () => {
    for (const ok of [
      {},
      { emailPasscodeEnabled: false },
      { passcodeValidityMinutes: 1 },
      { passcodeValidityMinutes: 60 },
      { passcodeLength: 6 },
      { passcodeLength: 8 },
      { passcodeMaxAttempts: 3 },
      { passcodeMaxAttempts: 10 },
      { passcodeResendCooldownSeconds: 30 },
      { passcodeResendCooldownSeconds: 600 },
      { invitationTicketLifetimeDays: 1 },
      { invitationTicketLifetimeDays: 365 },
      { redirectAllowList: ['https://a.example/x'] },
      { redirectAllowList: [] },
      { invitationReminderDays: [14, 7, 1] },
      { expirySummaryEmail: true },
    ])
      assert.equal(TENANT_SETTINGS.safeParse(ok).success, true, JSON.stringify(ok));
  });

  it('refuse a patch with an unknown key, a wrong type or a value out of bounds', () => {
    for (const bad of [
      { futureSetting: true },
      { emailPasscodeEnabled: 'false' },
      { personalAccountsEnabled: 1 },
      { requireInvitedAddressProof: null },
      { passcodeValidityMinutes: 0 },
      { passcodeValidityMinutes: 61 },
      { passcodeValidityMinutes: 1.5 },
      { passcodeLength: 5 },
      { passcodeLength: 9 },
      { passcodeMaxAttempts: 2 },
      { passcodeMaxAttempts: 11 },
      { passcodeResendCooldownSeconds: 29 },
      { passcodeResendCooldownSeconds: 601 },
      { invitationTicketLifetimeDays: 0 },
      { invitationTicketLifetimeDays: 366 },
      { redirectAllowList: ['http://a.example'] },
      { redirectAllowList: ['not a url'] },
      { redirectAllowList: Array.from({ length: 101 }, (_, i) => `https://h${i}.example`) },
      { invitationReminderDays: [7, 7] },
      { invitationReminderDays: [14, 7, 3, 1] },
      { invitationReminderDays: [0] },
      { invitationReminderDays: [365] },
      { expirySummaryEmail: 'yes' },
    ])
      assert.equal(TENANT_SETTINGS.safeParse(bad).success, false, JSON.stringify(bad));
  });

  it("read the CLI's key=value through the same schema, refusing unknown keys", () => {
    assert.deepEqual(parseSettingAssignment('passcodeLength=8'), { passcodeLength: 8 });
    assert.deepEqual(parseSettingAssignment('emailPasscodeEnabled=false'), { emailPasscodeEnabled: false });
    assert.throws(() => parseSettingAssignment('futureSetting=1'), /Unknown setting 'futureSetting'/);
    assert.throws(() => parseSettingAssignment('=1'), /is not key=value/);
  });
});
