// /v1.0/identityGovernance/termsOfUse/agreements (Graph's agreement): create, list, read, update, delete, publish a
// new version (POST /{id}/versions, Portico's simpler form of Graph's file/localizations/{id}/versions), read the
// current file, and the acceptance report (GET /{id}/acceptances).
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';

import { READ_AGREEMENTS, WRITE_AGREEMENTS } from '../apps/permissions.ts';
import {
  agreementFileId,
  contentTypeOf,
  countAgreements,
  listAcceptances,
  listAgreements,
  listFiles,
  MAX_REACCEPT_DAYS,
  MAX_TARGET_GROUPS,
  MAX_TERMS_FILE_BYTES,
  publishAgreementVersion,
  removeAgreement,
  requireAgreement,
  saveAgreementSettings,
  saveNewAgreement,
  TERMS_AUDIENCES,
  TermsFileTooLarge,
  type Agreement,
  type AgreementAcceptance,
  type AgreementFileInput,
  type AgreementTarget,
} from '../consent/terms.ts';
import { InvalidRequest, UnsupportedQuery } from '../errors.ts';
import { UPLOAD_LIMITS } from '../http/body-limits.ts';
import type { Services } from '../services.ts';
import { requirePermission, type ApiEnv } from './auth.ts';
import { changeById } from './change.ts';
import { collection, readJson, readListQuery } from './odata.ts';

const BASE = '/identityGovernance/termsOfUse/agreements';
const ENTITY_SET = 'identityGovernance/termsOfUse/agreements';
const AGREEMENT_PROPERTIES = [
  'id',
  'displayName',
  'isViewingBeforeAcceptanceRequired',
  'isPerDeviceAcceptanceRequired',
  'userReacceptRequiredFrequency',
  'termsExpiration',
  'appliesTo',
  'version',
  'createdDateTime',
  'modifiedDateTime',
];

/** An ISO-8601 duration of whole days or weeks (P90D, P2W) as days; other forms are refused with a clear message. */
export function durationToDays(value: string): number {
  const m = /^P(\d{1,5})([DW])$/.exec(value);
  const days = m ? Number(m[1]) * (m[2] === 'W' ? 7 : 1) : NaN;
  if (!m) throw new InvalidRequest('terms.frequencyFormat', { value: value.slice(0, 40) });
  if (days < 1 || days > MAX_REACCEPT_DAYS)
    throw new InvalidRequest('terms.frequencyRange', { maxReacceptDays: MAX_REACCEPT_DAYS });
  return days;
}

const localization = z.strictObject({
  fileName: z.string().min(1).max(255),
  language: z.string().min(1).max(35),
  isDefault: z.boolean().optional(),
  isMajorVersion: z.boolean().optional(),
  displayName: z.string().max(256).nullable().optional(),
  fileData: z.strictObject({ data: z.string().min(1) }),
});
const fileBody = z.strictObject({ localizations: z.array(localization).min(1).max(50) });
const settings = {
  displayName: z.string().trim().min(1).max(256),
  isViewingBeforeAcceptanceRequired: z.boolean().optional(),
  isPerDeviceAcceptanceRequired: z
    .literal(false, { message: 'per-device acceptance is not supported; it must be false' })
    .optional(),
  userReacceptRequiredFrequency: z.string().max(40).nullable().optional(),
  // Portico's own property: Graph targets terms through a Conditional Access policy (docs/terms-of-use.md).
  appliesTo: z
    .strictObject({
      users: z.enum(TERMS_AUDIENCES),
      groupIds: z.array(z.string().max(40)).max(MAX_TARGET_GROUPS).optional(),
      includeAdministrators: z.boolean().optional(),
    })
    .optional(),
};
export const newAgreement = z.strictObject({
  ...settings,
  file: fileBody.optional(),
  files: z.array(localization).min(1).max(50).optional(),
});
export const agreementPatch = z.strictObject({ ...settings, displayName: settings.displayName.optional() });
export const newVersion = z.strictObject({ file: fileBody });

type Localization = z.infer<typeof localization>;

/** Graph localizations as domain files: the content type comes from the extension; a lone file is the default. */
function toFiles(localizations: Localization[]): AgreementFileInput[] {
  return localizations.map((l) => {
    const contentType = contentTypeOf(l.fileName);
    if (!contentType) throw new InvalidRequest('terms.fileExtension', { fileName: l.fileName.slice(0, 80) });
    return {
      fileName: l.fileName,
      language: l.language,
      isDefault: l.isDefault ?? localizations.length === 1,
      contentType,
      data: l.fileData.data,
    };
  });
}

/** The body's appliesTo as the domain's target (groupIds and includeAdministrators default to none and false). */
const targetOf = (to: z.infer<typeof settings.appliesTo>): AgreementTarget | undefined =>
  to && { users: to.users, groupIds: to.groupIds ?? [], includeAdministrators: to.includeAdministrators ?? false };

const frequency = (a: Agreement) => (a.reacceptDays === null ? null : `P${a.reacceptDays}D`);

export const agreementResource = (a: Agreement) => ({
  id: a.id,
  displayName: a.displayName,
  isViewingBeforeAcceptanceRequired: a.isViewingBeforeAcceptanceRequired,
  isPerDeviceAcceptanceRequired: false,
  userReacceptRequiredFrequency: frequency(a),
  termsExpiration: null,
  appliesTo: a.appliesTo,
  version: a.version,
  createdDateTime: a.createdDateTime,
  modifiedDateTime: a.updatedDateTime,
});

const acceptanceResource = (x: AgreementAcceptance) => ({
  id: x.id,
  agreementId: x.agreementId,
  agreementFileId: agreementFileId(x.agreementId, x.version),
  version: x.version,
  userId: x.userId,
  userDisplayName: x.userDisplayName,
  userPrincipalName: x.userPrincipalName,
  userEmail: x.userEmail,
  state: x.state,
  recordedDateTime: x.recordedDateTime,
  expirationDateTime: x.expirationDateTime,
  deviceId: null,
  deviceDisplayName: null,
  deviceOSType: null,
  deviceOSVersion: null,
});

const encodeAfter = (x: AgreementAcceptance) => `${x.recordedDateTime}|${x.id}`;
function decodeAfter(after: string | undefined): { recordedAt: string; id: string } | undefined {
  if (after === undefined) return undefined;
  const [recordedAt, id] = after.split('|');
  if (!recordedAt || !id) throw new UnsupportedQuery('query.skiptoken');
  return { recordedAt, id };
}

export function termsRoutes(services: Services) {
  const { store, clock, config } = services;
  const app = new Hono<ApiEnv>();
  const entity = (a: Agreement) => ({
    '@odata.context': `${config.baseUrl}/v1.0/$metadata#${ENTITY_SET}/$entity`,
    ...agreementResource(a),
  });
  // Files are base64 in JSON: room for a few languages of the largest file, refused early beyond that.
  const limit = bodyLimit({
    maxSize: UPLOAD_LIMITS.graphTerms,
    onError: () => {
      throw new TermsFileTooLarge('body.tooLargeMb', { size: (8 * MAX_TERMS_FILE_BYTES) / 1024 / 1024 });
    },
  });

  app.get(BASE, requirePermission(...READ_AGREEMENTS), async (c) => {
    const q = readListQuery(c, AGREEMENT_PROPERTIES);
    if (q.filter) throw new UnsupportedQuery('query.agreementsFilter');
    const { tenantId } = c.get('principal');
    const rows = await listAgreements(store.db, tenantId, { top: q.top + 1, after: q.after });
    const items = rows.slice(0, q.top);
    const page: { items: ReturnType<typeof agreementResource>[]; next?: string; count?: number } = {
      items: items.map(agreementResource),
    };
    if (rows.length > q.top) page.next = items[items.length - 1]!.id;
    if (q.count) page.count = await countAgreements(store.db, tenantId);
    return c.json(collection(c, config.baseUrl, ENTITY_SET, page, q.select));
  });

  app.post(BASE, requirePermission(...WRITE_AGREEMENTS), limit, async (c) => {
    const { tenantId, actor } = c.get('principal');
    const body = await readJson(c, newAgreement);
    if (Boolean(body.file) === Boolean(body.files)) throw new InvalidRequest('terms.filesOnce');
    const reacceptDays =
      body.userReacceptRequiredFrequency == null ? null : durationToDays(body.userReacceptRequiredFrequency);
    const files = toFiles(body.file?.localizations ?? body.files!);
    const agreement = await store.transaction((tx) =>
      saveNewAgreement(
        tx,
        clock,
        tenantId,
        {
          displayName: body.displayName,
          isViewingBeforeAcceptanceRequired: body.isViewingBeforeAcceptanceRequired ?? false,
          reacceptDays,
          appliesTo: targetOf(body.appliesTo),
          files,
        },
        actor,
      ),
    );
    return c.json(entity(agreement), 201);
  });

  app.get(`${BASE}/:id`, requirePermission(...READ_AGREEMENTS), async (c) =>
    c.json(entity(await requireAgreement(store.db, c.get('principal').tenantId, c.req.param('id')))),
  );

  app.patch(`${BASE}/:id`, requirePermission(...WRITE_AGREEMENTS), async (c) => {
    const { tenantId, actor } = c.get('principal');
    const id = c.req.param('id');
    await requireAgreement(store.db, tenantId, id);
    const body = await readJson(c, agreementPatch);
    const reacceptDays =
      body.userReacceptRequiredFrequency === undefined
        ? undefined
        : body.userReacceptRequiredFrequency === null
          ? null
          : durationToDays(body.userReacceptRequiredFrequency);
    await store.transaction((tx) =>
      saveAgreementSettings(
        tx,
        clock,
        tenantId,
        id,
        {
          displayName: body.displayName,
          isViewingBeforeAcceptanceRequired: body.isViewingBeforeAcceptanceRequired,
          reacceptDays,
          appliesTo: targetOf(body.appliesTo),
        },
        actor,
      ),
    );
    return c.body(null, 204);
  });

  app.delete(`${BASE}/:id`, requirePermission(...WRITE_AGREEMENTS), changeById(services, removeAgreement));

  app.post(`${BASE}/:id/versions`, requirePermission(...WRITE_AGREEMENTS), limit, async (c) => {
    const { tenantId, actor } = c.get('principal');
    const id = c.req.param('id');
    await requireAgreement(store.db, tenantId, id);
    const body = await readJson(c, newVersion);
    const files = toFiles(body.file.localizations);
    const agreement = await store.transaction((tx) => publishAgreementVersion(tx, clock, tenantId, id, files, actor));
    return c.json(entity(agreement), 201);
  });

  // The current version's file (Graph's agreementFile) with every localization and its data.
  app.get(`${BASE}/:id/file`, requirePermission(...READ_AGREEMENTS), async (c) => {
    const agreement = await requireAgreement(store.db, c.get('principal').tenantId, c.req.param('id'));
    const files = await listFiles(store.db, c.get('principal').tenantId, agreement.id, agreement.version);
    const localization = (f: (typeof files)[number]) => ({
      id: `${agreementFileId(agreement.id, agreement.version)}_${f.language}`,
      fileName: f.fileName,
      language: f.language,
      isDefault: f.isDefault,
      isMajorVersion: true,
      displayName: agreement.displayName,
      createdDateTime: f.createdDateTime,
      contentType: f.contentType,
      size: f.size,
      fileData: { data: f.data },
    });
    const main = files[0]!;
    return c.json({
      '@odata.context': `${config.baseUrl}/v1.0/$metadata#${ENTITY_SET}('${agreement.id}')/file/$entity`,
      ...localization(main),
      id: agreementFileId(agreement.id, agreement.version),
      version: agreement.version,
      localizations: files.map(localization),
    });
  });

  app.get(`${BASE}/:id/acceptances`, requirePermission(...READ_AGREEMENTS), async (c) => {
    const q = readListQuery(c, [], { defaultTop: 100 });
    if (q.filter || q.count) throw new UnsupportedQuery('query.acceptancesFilter');
    const { tenantId } = c.get('principal');
    const rows = await listAcceptances(store.db, tenantId, c.req.param('id'), {
      top: q.top + 1,
      after: decodeAfter(q.after),
    });
    const items = rows.slice(0, q.top);
    const page: { items: ReturnType<typeof acceptanceResource>[]; next?: string } = {
      items: items.map(acceptanceResource),
    };
    if (rows.length > q.top) page.next = encodeAfter(items[items.length - 1]!);
    return c.json(
      collection(c, config.baseUrl, `${ENTITY_SET}('${rows[0]?.agreementId ?? c.req.param('id')}')/acceptances`, page),
    );
  });

  return app;
}
