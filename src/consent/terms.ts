// Terms of use (Entra's "Terms of use", Graph's agreement): a tenant's agreements, their files per version and
// language, and each user's acceptances. Publishing a new version makes everyone accept again; an agreement may
// also ask users to accept again every N days. The sign-in and redemption flows ask pendingAgreements() at every
// sign-in and record the answer with recordAcceptance(). Every query names tenant_id first.
import { createHash } from 'node:crypto';

import type { Clock } from '../clock.ts';
import { recordAudit, recordPolicyEvent, type Actor } from '../directory/audit.ts';
import { groupIdsOf, groupNames } from '../directory/groups.ts';
import { isUuid } from '../directory/tenants.ts';
import { getUser, userSummaries } from '../directory/users.ts';
import { InvalidRequest, orNotFound, PorticoError, ResourceNotFound } from '../errors.ts';
import { newId } from '../secrets.ts';
import type { Tx } from '../store/index.ts';
import { bool, parseJson, toJson } from '../store/json.ts';
import type { AgreementFilesTable, AgreementsTable } from '../store/schema.ts';

export const TERMS_CONTENT_TYPES = ['text/plain', 'text/markdown', 'application/pdf'] as const;
export type TermsContentType = (typeof TERMS_CONTENT_TYPES)[number];

/** Largest file (decoded) a version may carry, per language. */
export const MAX_TERMS_FILE_BYTES = 5 * 1024 * 1024;
/** File inputs per admin-center upload form: the default language and two more (more languages: another version,
 * or the API). The form's body limit (http/body-limits.ts) is counted from it. */
export const UPLOAD_SLOTS = 3;
/** Most languages one version may carry. */
export const MAX_TERMS_FILES = 50;
/** Longest re-acceptance period: ten years. */
export const MAX_REACCEPT_DAYS = 3650;

const DAY_MS = 86_400_000;

/** A file too large to store (413). */
export class TermsFileTooLarge extends PorticoError {
  readonly code = 'Request_EntityTooLarge';
  readonly status = 413;
}

/** The user answered a version that is no longer current: show the new one and ask again. */
export class AgreementVersionChanged extends PorticoError {
  readonly code = 'AgreementVersionChanged';
  readonly status = 409;
}

export interface AgreementFileInput {
  fileName: string;
  /** BCP 47 tag, e.g. en-US or de */
  language: string;
  isDefault: boolean;
  contentType: TermsContentType;
  /** the file, base64 */
  data: string;
}

/** Who must accept terms of use, as Entra's Conditional Access targets them (migration 0038). */
export const TERMS_AUDIENCES = ['allGuests', 'allUsers', 'groups'] as const;
export type TermsAudience = (typeof TERMS_AUDIENCES)[number];
export const MAX_TARGET_GROUPS = 50;

export interface AgreementTarget {
  users: TermsAudience;
  /** the groups whose (direct) members must accept, when `users` is groups */
  groupIds: string[];
  /** users holding a directory role must accept too (excluded unless chosen) */
  includeAdministrators: boolean;
}

/** New terms apply to all guests, administrators excluded. */
export const DEFAULT_TARGET: AgreementTarget = { users: 'allGuests', groupIds: [], includeAdministrators: false };

export interface AgreementInput {
  displayName: string;
  isViewingBeforeAcceptanceRequired: boolean;
  /** accept again every N days; null or absent = once per version */
  reacceptDays?: number | null;
  /** who must accept; DEFAULT_TARGET when absent */
  appliesTo?: AgreementTarget;
  files: AgreementFileInput[];
}

export interface AgreementPatch {
  displayName?: string;
  isViewingBeforeAcceptanceRequired?: boolean;
  reacceptDays?: number | null;
  appliesTo?: AgreementTarget;
}

export interface Agreement {
  id: string;
  displayName: string;
  isViewingBeforeAcceptanceRequired: boolean;
  reacceptDays: number | null;
  appliesTo: AgreementTarget;
  /** the current version: 1 at creation, +1 per addVersion */
  version: number;
  createdDateTime: string;
  updatedDateTime: string;
}

export interface AgreementFileInfo {
  agreementId: string;
  version: number;
  language: string;
  fileName: string;
  contentType: TermsContentType;
  isDefault: boolean;
  createdDateTime: string;
  /** decoded size in bytes */
  size: number;
}

export interface AgreementFile extends AgreementFileInfo {
  /** the file, base64 (as stored) */
  data: string;
  /** the file's bytes */
  content: Buffer;
}

export interface AgreementAcceptance {
  id: string;
  agreementId: string;
  version: number;
  userId: string;
  state: 'accepted' | 'declined';
  recordedDateTime: string;
  /** when an acceptance stops counting (reacceptDays after it), or null */
  expirationDateTime: string | null;
  userDisplayName: string | null;
  userPrincipalName: string | null;
  userEmail: string | null;
}

const toAgreement = (r: AgreementsTable): Agreement => ({
  id: r.id,
  displayName: r.display_name,
  isViewingBeforeAcceptanceRequired: r.is_viewing_before_acceptance_required === 1,
  reacceptDays: r.reaccept_days === null ? null : Number(r.reaccept_days),
  appliesTo: {
    users: (TERMS_AUDIENCES as readonly string[]).includes(r.applies_to) ? (r.applies_to as TermsAudience) : 'allUsers',
    groupIds: parseJson<string[]>(r.target_group_ids, []),
    includeAdministrators: r.include_administrators === 1,
  },
  version: Number(r.version),
  createdDateTime: r.created_at,
  updatedDateTime: r.updated_at,
});

/** A file's description without its data or size (listings select no data). */
const fileInfoOf = (r: Omit<AgreementFilesTable, 'tenant_id' | 'data'>): Omit<AgreementFileInfo, 'size'> => ({
  agreementId: r.agreement_id,
  version: Number(r.version),
  language: r.language,
  fileName: r.file_name,
  contentType: r.content_type as TermsContentType,
  isDefault: r.is_default === 1,
  createdDateTime: r.created_at,
});

const toFile = (r: AgreementFilesTable): AgreementFile => {
  const content = Buffer.from(r.data, 'base64');
  return {
    ...fileInfoOf(r),
    size: content.length,
    data: r.data,
    content,
  };
};

/** A stable id for one version of an agreement's file (Graph's agreementFileId): a UUID derived from both. */
export function agreementFileId(agreementId: string, version: number): string {
  const h = createHash('sha256').update(`${agreementId}:${version}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h.slice(16, 18), 16) & 0x3f) | 0x80).toString(16)}${h.slice(18, 20)}-${h.slice(20, 32)}`;
}

/** The content type a file name's extension stands for (.pdf, .txt, .md), or undefined. */
export function contentTypeOf(fileName: string): TermsContentType | undefined {
  const ext = /\.([A-Za-z0-9]+)$/.exec(fileName)?.[1]?.toLowerCase();
  if (ext === 'pdf') return 'application/pdf';
  if (ext === 'txt' || ext === 'text') return 'text/plain';
  if (ext === 'md' || ext === 'markdown') return 'text/markdown';
  return undefined;
}

/** A BCP 47 tag in canonical case (de-de → de-DE), or undefined when it is not one. */
export function canonicalLanguage(tag: string): string | undefined {
  if (!/^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/.test(tag.trim())) return undefined;
  try {
    return Intl.getCanonicalLocales(tag.trim())[0];
  } catch {
    return undefined;
  }
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

interface CheckedFile extends AgreementFileInput {
  language: string;
  data: string;
}

/** Validates a version's files: at least one, exactly one default, distinct languages, well-formed content. */
function checkFiles(files: AgreementFileInput[]): CheckedFile[] {
  if (files.length === 0) throw new InvalidRequest('terms.noFiles');
  if (files.length > MAX_TERMS_FILES)
    throw new InvalidRequest('terms.tooManyFiles', { maxTermsFiles: MAX_TERMS_FILES });
  const defaults = files.filter((f) => f.isDefault).length;
  if (defaults !== 1) throw new InvalidRequest('terms.oneDefault', { defaults });
  const seen = new Set<string>();
  return files.map((f) => {
    const fileName = f.fileName.trim();
    if (
      !fileName ||
      fileName.length > 255 ||
      /[\\/]/.test(fileName) ||
      [...fileName].some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f)
    ) {
      throw new InvalidRequest('terms.fileName', { fileName: f.fileName.slice(0, 80) });
    }
    const language = canonicalLanguage(f.language);
    if (!language) throw new InvalidRequest('terms.language', { language: f.language.slice(0, 40) });
    if (seen.has(language.toLowerCase())) throw new InvalidRequest('terms.languageTwice', { language });
    seen.add(language.toLowerCase());
    if (!(TERMS_CONTENT_TYPES as readonly string[]).includes(f.contentType)) {
      throw new InvalidRequest('terms.contentType', { contentType: f.contentType });
    }
    const data = f.data.replace(/\s+/g, '');
    if (data.length > Math.ceil(MAX_TERMS_FILE_BYTES / 3) * 4)
      throw new TermsFileTooLarge('terms.fileTooLarge', { path: fileName, mb: MAX_TERMS_FILE_BYTES / 1024 / 1024 });
    if (!BASE64.test(data)) throw new InvalidRequest('terms.notBase64', { fileName });
    const bytes = Buffer.from(data, 'base64');
    if (bytes.length === 0) throw new InvalidRequest('terms.fileEmpty', { fileName });
    if (bytes.length > MAX_TERMS_FILE_BYTES)
      throw new TermsFileTooLarge('terms.fileTooLarge', { path: fileName, mb: MAX_TERMS_FILE_BYTES / 1024 / 1024 });
    if (f.contentType === 'application/pdf') {
      if (bytes.subarray(0, 5).toString('latin1') !== '%PDF-') throw new InvalidRequest('terms.notPdf', { fileName });
    } else {
      try {
        utf8.decode(bytes);
      } catch {
        throw new InvalidRequest('terms.notUtf8', { fileName });
      }
    }
    return { ...f, fileName, language, data };
  });
}

function checkFields(input: AgreementPatch): void {
  if (input.displayName !== undefined && (!input.displayName.trim() || input.displayName.length > 256)) {
    throw new InvalidRequest('terms.displayName');
  }
  const days = input.reacceptDays;
  if (days !== undefined && days !== null && (!Number.isInteger(days) || days < 1 || days > MAX_REACCEPT_DAYS)) {
    throw new InvalidRequest('terms.reacceptDays', { maxReacceptDays: MAX_REACCEPT_DAYS });
  }
}

/** The target as stored: known groups of the tenant only, at least one when groups are chosen. */
async function checkTarget(db: Tx, tenantId: string, target: AgreementTarget): Promise<AgreementTarget> {
  if (target.users !== 'groups') return { ...target, groupIds: [] };
  const ids = [...new Set(target.groupIds.map((id) => id.toLowerCase()))];
  if (ids.length === 0) throw new InvalidRequest('terms.targetNoGroups');
  if (ids.length > MAX_TARGET_GROUPS)
    throw new InvalidRequest('terms.targetTooManyGroups', { maxTargetGroups: MAX_TARGET_GROUPS });
  const known = await groupNames(db, tenantId, ids);
  const unknown = ids.find((id) => !known.has(id));
  if (unknown !== undefined) throw new InvalidRequest('terms.targetUnknownGroup', { id: unknown.slice(0, 40) });
  return { ...target, groupIds: ids };
}

const targetColumns = (target: AgreementTarget) => ({
  applies_to: target.users,
  target_group_ids: toJson(target.groupIds),
  include_administrators: bool(target.includeAdministrators),
});

async function insertFiles(
  tx: Tx,
  tenantId: string,
  agreementId: string,
  version: number,
  files: CheckedFile[],
  now: string,
): Promise<void> {
  for (const f of files) {
    await tx
      .insertInto('agreement_files')
      .values({
        tenant_id: tenantId,
        agreement_id: agreementId,
        version,
        language: f.language,
        file_name: f.fileName,
        content_type: f.contentType,
        data: f.data,
        is_default: bool(f.isDefault),
        created_at: now,
      })
      .execute();
  }
}

export async function createAgreement(
  tx: Tx,
  clock: Clock,
  tenantId: string,
  input: AgreementInput,
): Promise<Agreement> {
  checkFields(input);
  const files = checkFiles(input.files);
  const target = await checkTarget(tx, tenantId, input.appliesTo ?? DEFAULT_TARGET);
  const id = newId();
  const now = clock.now().toISOString();
  await tx
    .insertInto('agreements')
    .values({
      tenant_id: tenantId,
      id,
      display_name: input.displayName.trim(),
      is_viewing_before_acceptance_required: bool(input.isViewingBeforeAcceptanceRequired),
      reaccept_days: input.reacceptDays ?? null,
      ...targetColumns(target),
      version: 1,
      created_at: now,
      updated_at: now,
    })
    .execute();
  await insertFiles(tx, tenantId, id, 1, files, now);
  return (await getAgreement(tx, tenantId, id))!;
}

export async function getAgreement(db: Tx, tenantId: string, id: string): Promise<Agreement | undefined> {
  if (!isUuid(id)) return undefined;
  const row = await db
    .selectFrom('agreements')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id.toLowerCase())
    .executeTakeFirst();
  return row && toAgreement(row);
}

export const requireAgreement = orNotFound(getAgreement);

/** The tenant's agreements by id; `top`/`after` page through them. */
export async function listAgreements(
  db: Tx,
  tenantId: string,
  opts: { top?: number; after?: string } = {},
): Promise<Agreement[]> {
  const rows = await db
    .selectFrom('agreements')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .$if(opts.after !== undefined, (q) => q.where('id', '>', opts.after!))
    .orderBy('id')
    .$if(opts.top !== undefined, (q) => q.limit(opts.top!))
    .execute();
  return rows.map(toAgreement);
}

export async function countAgreements(db: Tx, tenantId: string): Promise<number> {
  const r = await db
    .selectFrom('agreements')
    .where('tenant_id', '=', tenantId)
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Changes names and settings without a new version (nobody has to accept again). */
export async function updateAgreement(
  tx: Tx,
  clock: Clock,
  tenantId: string,
  id: string,
  patch: AgreementPatch,
): Promise<Agreement> {
  const agreement = await requireAgreement(tx, tenantId, id);
  checkFields(patch);
  const target = patch.appliesTo && (await checkTarget(tx, tenantId, patch.appliesTo));
  await tx
    .updateTable('agreements')
    .set({
      ...(patch.displayName !== undefined && { display_name: patch.displayName.trim() }),
      ...(patch.isViewingBeforeAcceptanceRequired !== undefined && {
        is_viewing_before_acceptance_required: bool(patch.isViewingBeforeAcceptanceRequired),
      }),
      ...(patch.reacceptDays !== undefined && { reaccept_days: patch.reacceptDays }),
      ...(target && targetColumns(target)),
      updated_at: clock.now().toISOString(),
    })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', agreement.id)
    .execute();
  return (await getAgreement(tx, tenantId, agreement.id))!;
}

/** Publishes new files as version+1: from now on every user must accept again. */
export async function addVersion(
  tx: Tx,
  clock: Clock,
  tenantId: string,
  agreementId: string,
  files: AgreementFileInput[],
): Promise<Agreement> {
  const checked = checkFiles(files);
  // Compare-and-set on the version, so two publishers at once each get their own version number.
  for (let attempt = 0; attempt < 5; attempt++) {
    const agreement = await requireAgreement(tx, tenantId, agreementId);
    const now = clock.now().toISOString();
    const r = await tx
      .updateTable('agreements')
      .set({ version: agreement.version + 1, updated_at: now })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', agreement.id)
      .where('version', '=', agreement.version)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) continue;
    await insertFiles(tx, tenantId, agreement.id, agreement.version + 1, checked, now);
    return (await getAgreement(tx, tenantId, agreement.id))!;
  }
  throw new Error('the agreement changed concurrently; try again');
}

/** Deletes an agreement with its files and acceptance records. */
export async function deleteAgreement(tx: Tx, tenantId: string, id: string): Promise<Agreement> {
  const agreement = await requireAgreement(tx, tenantId, id);
  await tx
    .deleteFrom('agreement_acceptances')
    .where('tenant_id', '=', tenantId)
    .where('agreement_id', '=', agreement.id)
    .execute();
  await tx
    .deleteFrom('agreement_files')
    .where('tenant_id', '=', tenantId)
    .where('agreement_id', '=', agreement.id)
    .execute();
  await tx.deleteFrom('agreements').where('tenant_id', '=', tenantId).where('id', '=', agreement.id).execute();
  return agreement;
}

/** The files of one version (without their data), default first, then by language. */
export async function listFiles(
  db: Tx,
  tenantId: string,
  agreementId: string,
  version: number,
): Promise<AgreementFile[]> {
  if (!isUuid(agreementId)) return [];
  const rows = await db
    .selectFrom('agreement_files')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('agreement_id', '=', agreementId.toLowerCase())
    .where('version', '=', version)
    .execute();
  return rows
    .map(toFile)
    .sort((a, b) => Number(b.isDefault) - Number(a.isDefault) || a.language.localeCompare(b.language));
}

/**
 * The file of `version` to show someone who reads `lang` (one tag, or tags in order of preference): the exact
 * language, else one with the same primary subtag (de-AT reads de or de-DE), else the version's default file.
 * Undefined when the agreement or version does not exist.
 */
export async function fileFor(
  db: Tx,
  tenantId: string,
  agreementId: string,
  version: number,
  lang: string | readonly string[],
): Promise<AgreementFile | undefined> {
  if (!isUuid(agreementId) || !Number.isInteger(version) || version < 1) return undefined;
  const rows = await db
    .selectFrom('agreement_files')
    .select(['language', 'is_default'])
    .where('tenant_id', '=', tenantId)
    .where('agreement_id', '=', agreementId.toLowerCase())
    .where('version', '=', version)
    .execute();
  if (rows.length === 0) return undefined;
  const wanted = (typeof lang === 'string' ? [lang] : [...lang]).map((l) => l.trim().toLowerCase()).filter(Boolean);
  const languages = rows.map((r) => r.language).sort();
  const primary = (tag: string) => tag.split('-')[0]!;
  let chosen = wanted.map((w) => languages.find((l) => l.toLowerCase() === w)).find(Boolean);
  // Same primary language: the bare primary tag (de) first, then a regional one (de-DE before de-AT by sort).
  chosen ??= wanted
    .map(
      (w) =>
        languages.find((l) => l.toLowerCase() === primary(w)) ??
        languages.find((l) => primary(l.toLowerCase()) === primary(w)),
    )
    .find(Boolean);
  chosen ??= rows.find((r) => r.is_default === 1)?.language ?? languages[0]!;
  const row = await db
    .selectFrom('agreement_files')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('agreement_id', '=', agreementId.toLowerCase())
    .where('version', '=', version)
    .where('language', '=', chosen)
    .executeTakeFirst();
  return row && toFile(row);
}

/** Of `agreements`, those whose target takes in `userId` (its type, its directory roles, its groups). */
async function appliesTo(db: Tx, tenantId: string, userId: string, agreements: Agreement[]): Promise<Agreement[]> {
  const user = await getUser(db, tenantId, userId);
  if (!user) return agreements;
  const isAdmin = user.roles.length > 0;
  const groups = agreements.some((a) => a.appliesTo.users === 'groups')
    ? new Set((await groupIdsOf(db, tenantId, user.id).execute()).map((r) => r.group_id))
    : new Set<string>();
  return agreements.filter(({ appliesTo: to }) => {
    if (isAdmin && !to.includeAdministrators) return false;
    if (to.users === 'allUsers') return true;
    if (to.users === 'allGuests') return user.userType === 'Guest';
    return to.groupIds.some((id) => groups.has(id));
  });
}

/** The answers (`a`) to the current version of their agreement (`g`). */
const currentAnswers = (db: Tx) =>
  db
    .selectFrom('agreement_acceptances as a')
    .innerJoin('agreements as g', (j) =>
      j
        .onRef('g.tenant_id', '=', 'a.tenant_id')
        .onRef('g.id', '=', 'a.agreement_id')
        .onRef('g.version', '=', 'a.version'),
    );

/**
 * The agreements `userId` must (re)accept at `now`: those whose latest answer for the current version is not an
 * acceptance (none yet, or declined), or whose acceptance is older than the agreement's reacceptDays.
 */
export async function pendingAgreements(db: Tx, tenantId: string, userId: string, now: Date): Promise<Agreement[]> {
  const all = await listAgreements(db, tenantId);
  if (all.length === 0 || !isUuid(userId)) return all;
  const agreements = await appliesTo(db, tenantId, userId, all);
  if (agreements.length === 0) return agreements;
  const answers = await currentAnswers(db)
    .select(['a.agreement_id', 'a.state', 'a.recorded_at'])
    .where('a.tenant_id', '=', tenantId)
    .where('a.user_id', '=', userId.toLowerCase())
    // Latest first; of two answers in the same millisecond the decline counts.
    .orderBy('a.recorded_at', 'desc')
    .orderBy('a.state', 'desc')
    .execute();
  const latest = new Map<string, { state: string; recorded_at: string }>();
  for (const a of answers) if (!latest.has(a.agreement_id)) latest.set(a.agreement_id, a);
  return agreements.filter((g) => {
    const answer = latest.get(g.id);
    if (!answer || answer.state !== 'accepted') return true;
    return g.reacceptDays !== null && Date.parse(answer.recorded_at) + g.reacceptDays * DAY_MS <= now.getTime();
  });
}

/**
 * Records a user's answer to the current version of an agreement, with its audit event ("Accept terms of use" /
 * "Decline terms of use"), in the caller's transaction. Throws AgreementVersionChanged when `version` is no longer
 * current (a new version was published while the user read the old one).
 */
export async function recordAcceptance(
  tx: Tx,
  clock: Clock,
  tenantId: string,
  userId: string,
  agreementId: string,
  version: number,
  state: 'accepted' | 'declined',
): Promise<AgreementAcceptance> {
  const agreement = await requireAgreement(tx, tenantId, agreementId);
  const user = await getUser(tx, tenantId, userId);
  if (!user || !isUuid(userId)) throw new ResourceNotFound('user.notInTenant', { userId });
  if (version !== agreement.version) {
    throw new AgreementVersionChanged('terms.versionChanged', {
      displayName: agreement.displayName,
      version: agreement.version,
    });
  }
  const id = newId();
  const now = clock.now().toISOString();
  await tx
    .insertInto('agreement_acceptances')
    .values({
      tenant_id: tenantId,
      id,
      agreement_id: agreement.id,
      version,
      user_id: user.id,
      state,
      recorded_at: now,
    })
    .execute();
  const actor: Actor = { kind: 'user', id: user.id, userPrincipalName: user.userPrincipalName };
  await recordAudit(tx, clock, tenantId, {
    category: 'Policy',
    activity: state === 'accepted' ? 'Accept terms of use' : 'Decline terms of use',
    operationType: 'Update',
    actor,
    targets: [
      { id: agreement.id, type: 'Policy', displayName: agreement.displayName },
      { id: user.id, type: 'User', displayName: user.displayName, userPrincipalName: user.userPrincipalName },
    ],
    details: { version: String(version) },
  });
  return {
    id,
    agreementId: agreement.id,
    version,
    userId: user.id,
    state,
    recordedDateTime: now,
    expirationDateTime: expiration(now, state, agreement.reacceptDays),
    userDisplayName: user.displayName,
    userPrincipalName: user.userPrincipalName,
    userEmail: user.mail,
  };
}

const expiration = (recorded: string, state: string, days: number | null) =>
  state === 'accepted' && days !== null ? new Date(Date.parse(recorded) + days * DAY_MS).toISOString() : null;

/** Every answer to an agreement (all versions), latest first: the acceptance report. */
export async function listAcceptances(
  db: Tx,
  tenantId: string,
  agreementId: string,
  opts: { top?: number; after?: { recordedAt: string; id: string } } = {},
): Promise<AgreementAcceptance[]> {
  const agreement = await requireAgreement(db, tenantId, agreementId);
  const rows = await db
    .selectFrom('agreement_acceptances as a')
    .select(['a.id', 'a.agreement_id', 'a.version', 'a.user_id', 'a.state', 'a.recorded_at'])
    .where('a.tenant_id', '=', tenantId)
    .where('a.agreement_id', '=', agreement.id)
    .$if(opts.after !== undefined, (q) =>
      q.where((eb) =>
        eb.or([
          eb('a.recorded_at', '<', opts.after!.recordedAt),
          eb.and([eb('a.recorded_at', '=', opts.after!.recordedAt), eb('a.id', '<', opts.after!.id)]),
        ]),
      ),
    )
    .orderBy('a.recorded_at', 'desc')
    .orderBy('a.id', 'desc')
    .$if(opts.top !== undefined, (q) => q.limit(opts.top!))
    .execute();
  const users = await userSummaries(
    db,
    tenantId,
    rows.map((r) => r.user_id),
  );
  return rows.map((r) => ({
    id: r.id,
    agreementId: r.agreement_id,
    version: Number(r.version),
    userId: r.user_id,
    state: r.state,
    recordedDateTime: r.recorded_at,
    expirationDateTime: expiration(r.recorded_at, r.state, agreement.reacceptDays),
    userDisplayName: users.get(r.user_id)?.displayName ?? null,
    userPrincipalName: users.get(r.user_id)?.userPrincipalName ?? null,
    userEmail: users.get(r.user_id)?.mail ?? null,
  }));
}

/**
 * Checks one file the way createAgreement and addVersion would (type, size, PDF header, UTF-8): a form that
 * uploads several can then say which file is wrong. Throws the PorticoError that says why.
 */
export function checkAgreementFile(file: AgreementFileInput): void {
  checkFiles([{ ...file, isDefault: true }]);
}

/** Every version's files of an agreement without their data (newest version first, default first): for listings. */
export async function listAllFiles(
  db: Tx,
  tenantId: string,
  agreementId: string,
): Promise<Omit<AgreementFileInfo, 'size'>[]> {
  if (!isUuid(agreementId)) return [];
  const rows = await db
    .selectFrom('agreement_files')
    .select(['agreement_id', 'version', 'language', 'file_name', 'content_type', 'is_default', 'created_at'])
    .where('tenant_id', '=', tenantId)
    .where('agreement_id', '=', agreementId.toLowerCase())
    .execute();
  return rows
    .map(fileInfoOf)
    .sort(
      (a, b) =>
        b.version - a.version || Number(b.isDefault) - Number(a.isDefault) || a.language.localeCompare(b.language),
    );
}

/** How many users accepted the current version of each of the tenant's agreements (agreement id → count). */
export async function acceptedCounts(db: Tx, tenantId: string): Promise<Map<string, number>> {
  const rows = await currentAnswers(db)
    .select((eb) => ['a.agreement_id', eb.fn.count<number | string>('a.user_id').distinct().as('n')])
    .where('a.tenant_id', '=', tenantId)
    .where('a.state', '=', 'accepted')
    .groupBy('a.agreement_id')
    .execute();
  return new Map(rows.map((r) => [r.agreement_id, Number(r.n)]));
}

// The changes an administrator makes, each with its audit event in the same transaction: the API, the CLI and
// the admin center call these, so every way of changing terms of use leaves the same trail.
const languagesOf = (files: AgreementFileInput[]) =>
  files.map((f) => canonicalLanguage(f.language) ?? f.language).join(',');

/** createAgreement, audited as "Create agreement". */
export async function saveNewAgreement(
  tx: Tx,
  clock: Clock,
  tenantId: string,
  input: AgreementInput,
  actor: Actor,
): Promise<Agreement> {
  const created = await createAgreement(tx, clock, tenantId, input);
  await recordPolicyEvent(tx, clock, tenantId, {
    actor,
    activity: 'Create agreement',
    operationType: 'Add',
    policy: created,
    details: { version: '1', languages: languagesOf(input.files) },
  });
  return created;
}

/** updateAgreement, audited as "Update agreement" with the (Graph) names of the properties that changed, if any did. */
export async function saveAgreementSettings(
  tx: Tx,
  clock: Clock,
  tenantId: string,
  id: string,
  patch: AgreementPatch,
  actor: Actor,
): Promise<Agreement> {
  const before = await requireAgreement(tx, tenantId, id);
  const updated = await updateAgreement(tx, clock, tenantId, id, patch);
  const changed = [
    before.displayName !== updated.displayName && 'displayName',
    before.isViewingBeforeAcceptanceRequired !== updated.isViewingBeforeAcceptanceRequired &&
      'isViewingBeforeAcceptanceRequired',
    before.reacceptDays !== updated.reacceptDays && 'userReacceptRequiredFrequency',
    JSON.stringify(before.appliesTo) !== JSON.stringify(updated.appliesTo) && 'appliesTo',
  ].filter((x): x is string => Boolean(x));
  if (changed.length)
    await recordPolicyEvent(tx, clock, tenantId, {
      actor,
      activity: 'Update agreement',
      operationType: 'Update',
      policy: updated,
      details: { properties: changed.join(',') },
    });
  return updated;
}

/** addVersion, audited as "Publish agreement version". */
export async function publishAgreementVersion(
  tx: Tx,
  clock: Clock,
  tenantId: string,
  id: string,
  files: AgreementFileInput[],
  actor: Actor,
): Promise<Agreement> {
  const updated = await addVersion(tx, clock, tenantId, id, files);
  await recordPolicyEvent(tx, clock, tenantId, {
    actor,
    activity: 'Publish agreement version',
    operationType: 'Update',
    policy: updated,
    details: { version: String(updated.version), languages: languagesOf(files) },
  });
  return updated;
}

/** deleteAgreement, audited as "Delete agreement". */
export async function removeAgreement(
  tx: Tx,
  clock: Clock,
  tenantId: string,
  id: string,
  actor: Actor,
): Promise<Agreement> {
  const agreement = await deleteAgreement(tx, tenantId, id);
  await recordPolicyEvent(tx, clock, tenantId, {
    actor,
    activity: 'Delete agreement',
    operationType: 'Delete',
    policy: agreement,
  });
  return agreement;
}
