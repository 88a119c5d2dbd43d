// Terms of use in the domain: who must (re)accept at sign-in (pendingAgreements with a ManualClock), which file a
// reader gets (fileFor), what a version's files must be, and the acceptance record with its audit event.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';

import { ManualClock } from '../../src/clock.ts';
import { loadConfig } from '../../src/config.ts';
import {
  addVersion,
  AgreementVersionChanged,
  createAgreement,
  deleteAgreement,
  fileFor,
  listAcceptances,
  listAgreements,
  pendingAgreements,
  recordAcceptance,
  TermsFileTooLarge,
  updateAgreement,
  type AgreementFileInput,
  type AgreementInput,
} from '../../src/consent/terms.ts';
import { listAudit } from '../../src/directory/audit.ts';
import { addMember, createGroup } from '../../src/directory/groups.ts';
import { provisionTenant } from '../../src/directory/provisioning.ts';
import { createMember, type User } from '../../src/directory/users.ts';
import { InvalidRequest } from '../../src/errors.ts';
import { invite } from '../../src/invitations/invite.ts';
import type { Services } from '../../src/services.ts';
import type { Tx } from '../../src/store/index.ts';
import { TEST_PASSWORD_COST } from '../helpers/server.ts';
import { createTestStore, storeKinds, type TestStore } from '../helpers/stores.ts';

const DAY = 86_400_000;
const b64 = (s: string | Buffer) => Buffer.from(s).toString('base64');
export const textFile = (
  language: string,
  text: string,
  isDefault = false,
  fileName = `terms-${language}.txt`,
): AgreementFileInput => ({ fileName, language, isDefault, contentType: 'text/plain', data: b64(text) });
export const pdfFile = (language: string, isDefault = false): AgreementFileInput => ({
  fileName: `terms-${language}.pdf`,
  language,
  isDefault,
  contentType: 'application/pdf',
  data: b64('%PDF-1.4\n%âãÏÓ\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n'),
});

for (const { kind, skip } of storeKinds()) {
  describe(`terms of use domain (${kind})`, { skip }, () => {
    let ts: TestStore;
    let services: Services;
    let tenantId: string;
    let otherTenantId: string;
    let guest: User;
    let other: User;
    let adminId: string;
    const clock = new ManualClock(new Date('2026-03-01T09:00:00.000Z'));
    const tx = <T>(fn: (t: Tx) => Promise<T>) => ts.store.transaction(fn);
    const create = (input: Partial<AgreementInput> = {}) =>
      tx((t) =>
        createAgreement(t, clock, tenantId, {
          displayName: 'Guest terms',
          isViewingBeforeAcceptanceRequired: false,
          files: [textFile('en-US', 'Be nice.', true)],
          // The members below stand for anyone who must accept; targeting has its own test.
          appliesTo: { users: 'allUsers', groupIds: [], includeAdministrators: true },
          ...input,
        }),
      );
    const pendingIds = async (userId = guest.id) =>
      (await pendingAgreements(ts.store.db, tenantId, userId, clock.now())).map((a) => a.id);
    const answer = (agreementId: string, version: number, state: 'accepted' | 'declined', userId = guest.id) =>
      tx((t) => recordAcceptance(t, clock, tenantId, userId, agreementId, version, state));

    before(async () => {
      ts = await createTestStore(kind);
      services = {
        store: ts.store,
        clock,
        config: loadConfig({ PORTICO_DATABASE_URL: ts.url, ...TEST_PASSWORD_COST }),
        log: pino({ level: 'silent' }),
      };
      const contoso = await provisionTenant(services, { name: 'Contoso' });
      tenantId = contoso.tenant.id;
      adminId = contoso.admin.id;
      otherTenantId = (await provisionTenant(services, { name: 'Fabrikam' })).tenant.id;
      guest = await tx((t) =>
        createMember(t, clock, tenantId, {
          displayName: 'Alice',
          userPrincipalName: 'alice@contoso.portico.localhost',
          passwordHash: null,
        }),
      );
      other = await tx((t) =>
        createMember(t, clock, tenantId, {
          displayName: 'Bob',
          userPrincipalName: 'bob@contoso.portico.localhost',
          passwordHash: null,
        }),
      );
    });
    after(async () => {
      await ts?.dispose();
    });

    it('applies to all guests by default, or all users, or chosen groups; administrators only when chosen', async () => {
      const system = { kind: 'system', displayName: 'test' } as const;
      const gina = (
        await invite(services, tenantId, system, {
          email: 'gina@partner.example',
          redirectUrl: 'https://myapps.example/',
          sendMessage: false,
        })
      ).user;
      const admin = adminId;
      const team = await tx((t) => createGroup(t, clock, tenantId, { displayName: 'Team' }));
      await tx((t) => addMember(t, tenantId, team.id, other.id));
      const guests = await create({ displayName: 'Guests', appliesTo: undefined });
      assert.deepEqual(guests.appliesTo, { users: 'allGuests', groupIds: [], includeAdministrators: false });
      const users = await create({
        displayName: 'Users',
        appliesTo: { users: 'allUsers', groupIds: [], includeAdministrators: false },
      });
      const grouped = await create({
        displayName: 'Team',
        appliesTo: { users: 'groups', groupIds: [team.id.toUpperCase()], includeAdministrators: false },
      });
      assert.deepEqual(grouped.appliesTo.groupIds, [team.id]);
      const everyone = await create({
        displayName: 'Everyone',
        appliesTo: { users: 'allUsers', groupIds: [], includeAdministrators: true },
      });
      const ids = [guests.id, users.id, grouped.id, everyone.id];
      const pendingOf = async (userId: string) => (await pendingIds(userId)).filter((id) => ids.includes(id)).sort();
      assert.deepEqual(await pendingOf(gina.id), [guests.id, users.id, everyone.id].sort(), 'the guest');
      assert.deepEqual(await pendingOf(guest.id), [users.id, everyone.id].sort(), 'a member outside the group');
      assert.deepEqual(await pendingOf(other.id), [users.id, grouped.id, everyone.id].sort(), 'a member of the group');
      assert.deepEqual(await pendingOf(admin), [everyone.id], 'the administrator: only where chosen');

      await assert.rejects(
        create({ appliesTo: { users: 'groups', groupIds: [], includeAdministrators: false } }),
        (e) => e instanceof InvalidRequest && /at least one group/.test(e.message),
      );
      await assert.rejects(
        tx((t) =>
          updateAgreement(t, clock, tenantId, users.id, {
            appliesTo: { users: 'groups', groupIds: [otherTenantId], includeAdministrators: false },
          }),
        ),
        (e) => e instanceof InvalidRequest && e.message === `${otherTenantId} is not a group of this organization.`,
      );
      assert.deepEqual((await pendingOf(guest.id)).includes(users.id), true, 'a refused change changes nothing');
      for (const id of ids) await tx((t) => deleteAgreement(t, tenantId, id));
    });

    it('an agreement is pending at first, not after acceptance, and per user', async () => {
      const a = await create();
      assert.ok((await pendingIds()).includes(a.id));
      const acc = await answer(a.id, 1, 'accepted');
      assert.equal(acc.state, 'accepted');
      assert.equal(acc.expirationDateTime, null);
      assert.ok(!(await pendingIds()).includes(a.id));
      assert.ok((await pendingIds(other.id)).includes(a.id), 'another user still has to accept');
      const event = (await listAudit(ts.store.db, tenantId, { top: 50 })).find(
        (e) => e.activityDisplayName === 'Accept terms of use',
      );
      assert.ok(event, 'the acceptance is audited');
      assert.equal(event.category, 'Policy');
      assert.deepEqual(event.initiatedBy, { kind: 'user', id: guest.id, userPrincipalName: guest.userPrincipalName });
      assert.deepEqual(
        event.targetResources.map((x) => x.id),
        [a.id, guest.id],
      );
      assert.deepEqual(event.additionalDetails, [{ key: 'version', value: '1' }]);
      await tx((t) => deleteAgreement(t, tenantId, a.id));
    });

    it('a new version is pending again until accepted; the old version cannot be answered any more', async () => {
      const a = await create();
      await answer(a.id, 1, 'accepted');
      assert.ok(!(await pendingIds()).includes(a.id));
      const v2 = await tx((t) => addVersion(t, clock, tenantId, a.id, [textFile('en-US', 'Be nicer.', true)]));
      assert.equal(v2.version, 2);
      assert.ok((await pendingIds()).includes(a.id));
      await assert.rejects(answer(a.id, 1, 'accepted'), AgreementVersionChanged);
      await answer(a.id, 2, 'accepted');
      assert.ok(!(await pendingIds()).includes(a.id));
      // Changing the name or settings is not a new version.
      await tx((t) =>
        updateAgreement(t, clock, tenantId, a.id, { displayName: 'Renamed', isViewingBeforeAcceptanceRequired: true }),
      );
      assert.ok(!(await pendingIds()).includes(a.id));
      await tx((t) => deleteAgreement(t, tenantId, a.id));
    });

    it('is pending again once reacceptDays have passed since the acceptance', async () => {
      const a = await create({ reacceptDays: 30 });
      const acc = await answer(a.id, 1, 'accepted');
      assert.equal(acc.expirationDateTime, new Date(clock.now().getTime() + 30 * DAY).toISOString());
      clock.advance(30 * DAY - 1);
      assert.ok(!(await pendingIds()).includes(a.id), 'one millisecond before the period ends');
      clock.advance(1);
      assert.ok((await pendingIds()).includes(a.id), 'when the period ends');
      await answer(a.id, 1, 'accepted');
      assert.ok(!(await pendingIds()).includes(a.id));
      // Turning re-acceptance off makes the old acceptance count again.
      clock.advance(365 * DAY);
      assert.ok((await pendingIds()).includes(a.id));
      await tx((t) => updateAgreement(t, clock, tenantId, a.id, { reacceptDays: null }));
      assert.ok(!(await pendingIds()).includes(a.id));
      await tx((t) => deleteAgreement(t, tenantId, a.id));
    });

    it('a decline leaves it pending, also after an earlier acceptance', async () => {
      const a = await create();
      await answer(a.id, 1, 'declined');
      assert.ok((await pendingIds()).includes(a.id));
      clock.advance(1000);
      await answer(a.id, 1, 'accepted');
      assert.ok(!(await pendingIds()).includes(a.id));
      clock.advance(1000);
      await answer(a.id, 1, 'declined');
      assert.ok((await pendingIds()).includes(a.id), 'the latest answer counts');
      const audit = await listAudit(ts.store.db, tenantId, { top: 50 });
      assert.equal(audit.filter((e) => e.activityDisplayName === 'Decline terms of use').length, 2);
      const report = await listAcceptances(ts.store.db, tenantId, a.id);
      assert.deepEqual(
        report.map((r) => r.state),
        ['declined', 'accepted', 'declined'],
      );
      assert.equal(report[0]!.userPrincipalName, guest.userPrincipalName);
      await tx((t) => deleteAgreement(t, tenantId, a.id));
    });

    it('lists several pending agreements and keeps tenants apart', async () => {
      const a = await create({ displayName: 'A' });
      const b = await create({ displayName: 'B' });
      assert.deepEqual((await pendingIds()).sort(), [a.id, b.id].sort());
      await answer(b.id, 1, 'accepted');
      assert.deepEqual(await pendingIds(), [a.id]);
      assert.deepEqual(await pendingAgreements(ts.store.db, otherTenantId, guest.id, clock.now()), []);
      assert.deepEqual(await listAgreements(ts.store.db, otherTenantId), []);
      await assert.rejects(
        tx((t) => recordAcceptance(t, clock, otherTenantId, guest.id, a.id, 1, 'accepted')),
        /does not exist/,
      );
      for (const x of [a, b]) await tx((t) => deleteAgreement(t, tenantId, x.id));
      assert.deepEqual(
        await listAcceptances(ts.store.db, tenantId, b.id).catch((e: Error) => e.name),
        'ResourceNotFound',
      );
    });

    it('fileFor picks the exact language, then the primary subtag, then the default', async () => {
      const a = await create({
        files: [
          textFile('en-US', 'English', true),
          textFile('de-DE', 'Deutsch'),
          textFile('fr', 'Français'),
          pdfFile('pt-BR'),
        ],
      });
      const lang = async (l: string | string[], version = 1) =>
        (await fileFor(ts.store.db, tenantId, a.id, version, l))?.language;
      assert.equal(await lang('de-DE'), 'de-DE');
      assert.equal(await lang('DE-de'), 'de-DE', 'case-insensitively');
      assert.equal(await lang('de-AT'), 'de-DE', 'same primary language');
      assert.equal(await lang('de'), 'de-DE');
      assert.equal(await lang('fr-CA'), 'fr');
      assert.equal(await lang('ja-JP'), 'en-US', 'the default');
      assert.equal(await lang(''), 'en-US');
      assert.equal(await lang(['ja', 'fr-BE', 'de']), 'fr', 'the first preference that matches');
      const pdf = await fileFor(ts.store.db, tenantId, a.id, 1, 'pt');
      assert.equal(pdf?.contentType, 'application/pdf');
      assert.equal(pdf?.content.subarray(0, 5).toString(), '%PDF-');
      assert.equal((await fileFor(ts.store.db, tenantId, a.id, 1, 'fr'))?.content.toString('utf8'), 'Français');
      assert.equal(await lang('en', 2), undefined, 'no such version');
      assert.equal(
        await fileFor(ts.store.db, otherTenantId, a.id, 1, 'en'),
        undefined,
        'no such agreement in another tenant',
      );
      // A version with a German default: the old version keeps its files.
      await tx((t) => addVersion(t, clock, tenantId, a.id, [textFile('de', 'Neu', true), textFile('en-GB', 'New')]));
      assert.equal(await lang('en-US', 2), 'en-GB');
      assert.equal(await lang('it', 2), 'de');
      assert.equal(await lang('en-US', 1), 'en-US');
      await tx((t) => deleteAgreement(t, tenantId, a.id));
    });

    it('refuses bad files and settings, storing nothing', async () => {
      const before = (await listAgreements(ts.store.db, tenantId)).length;
      const bad: [string, Partial<AgreementInput>, RegExp, (new (...a: never[]) => Error)?][] = [
        ['no file', { files: [] }, /at least one file/],
        ['no default', { files: [textFile('en', 'x')] }, /Exactly one localization must have isDefault/],
        ['two defaults', { files: [textFile('en', 'x', true), textFile('de', 'y', true)] }, /Exactly one/],
        ['a language twice', { files: [textFile('en-US', 'x', true), textFile('en-us', 'y')] }, /more than once/],
        ['a bad language', { files: [textFile('english!', 'x', true)] }, /not a valid language tag/],
        ['a fake PDF', { files: [{ ...pdfFile('en', true), data: b64('<html>not a pdf</html>') }] }, /not a PDF/],
        [
          'text that is not UTF-8',
          { files: [{ ...textFile('en', '', true), data: Buffer.from([0x48, 0xff, 0xfe, 0x00]).toString('base64') }] },
          /not valid UTF-8/,
        ],
        ['broken base64', { files: [{ ...textFile('en', '', true), data: 'abc*' }] }, /not valid base64/],
        ['an empty file', { files: [{ ...textFile('en', '', true), data: '' }] }, /is empty/],
        ['a path as file name', { files: [textFile('en', 'x', true, '../etc/passwd.txt')] }, /not a valid file name/],
        [
          'a file over 5 MB',
          {
            files: [
              {
                ...pdfFile('en', true),
                data: Buffer.concat([Buffer.from('%PDF-'), Buffer.alloc(5 * 1024 * 1024)]).toString('base64'),
              },
            ],
          },
          /larger than 5 MB/,
          TermsFileTooLarge,
        ],
        ['zero reaccept days', { reacceptDays: 0 }, /whole number of days/],
        ['an empty name', { displayName: '  ' }, /displayName/],
      ];
      for (const [what, input, message, type] of bad) {
        await assert.rejects(
          create(input),
          (e: Error) => e instanceof (type ?? InvalidRequest) && message.test(e.message),
          what,
        );
      }
      assert.equal((await listAgreements(ts.store.db, tenantId)).length, before);
      const a = await create();
      await assert.rejects(
        tx((t) => addVersion(t, clock, tenantId, a.id, [textFile('en', 'x')])),
        InvalidRequest,
      );
      assert.equal(
        (await listAgreements(ts.store.db, tenantId)).find((x) => x.id === a.id)?.version,
        1,
        'no version was added',
      );
      await tx((t) => deleteAgreement(t, tenantId, a.id));
    });
  });
}
