// Reading the admin center's terms-of-use forms: the settings fields, the upload slots (a file and a language
// each, checked one by one by the domain so an error lands at its file) and the report's paging position.
import {
  checkAgreementFile,
  contentTypeOf,
  MAX_REACCEPT_DAYS,
  MAX_TERMS_FILE_BYTES,
  TERMS_AUDIENCES,
  UPLOAD_SLOTS,
  type AgreementFileInput,
} from '../consent/terms.ts';
import { isUuid } from '../directory/tenants.ts';
import { PorticoError } from '../errors.ts';
import { t, type Lang } from '../i18n/index.ts';
import { type Errors, type SettingsForm, type UploadForm } from './terms-pages.tsx';

export const MAX_MB = MAX_TERMS_FILE_BYTES / 1024 / 1024;
const text = (form: Record<string, string | File>, name: string) =>
  typeof form[name] === 'string' ? form[name].trim() : '';

/** The settings fields as a patch, or the errors at the fields that don't fit. */
export function readSettings(lang: Lang, body: Record<string, string | File>, choices: SettingsForm['choices']) {
  const audience = TERMS_AUDIENCES.find((a) => a === text(body, 'audience')) ?? 'allGuests';
  const form: SettingsForm = {
    displayName: text(body, 'displayName').slice(0, 300),
    mustView: body.mustView !== undefined,
    reacceptDays: text(body, 'reacceptDays').slice(0, 10),
    audience,
    // Only the groups the form offered (a ticked box is a `group-<id>` field).
    groupIds: choices.filter((g) => body[`group-${g.id}`] !== undefined).map((g) => g.id),
    includeAdmins: body.includeAdmins !== undefined,
    choices,
  };
  const errors: Errors = {};
  if (!form.displayName || form.displayName.length > 256) errors.displayName = t(lang, 'admin.terms.nameInvalid');
  const days =
    form.reacceptDays === '' ? null : /^\d{1,5}$/.test(form.reacceptDays) ? Number(form.reacceptDays) : Number.NaN;
  if (days !== null && !(days >= 1 && days <= MAX_REACCEPT_DAYS))
    errors.reacceptDays = t(lang, 'admin.terms.daysInvalid', { max: String(MAX_REACCEPT_DAYS) });
  if (audience === 'groups' && form.groupIds.length === 0) errors.audience = t(lang, 'admin.terms.audience.pickGroup');
  return {
    form,
    errors,
    patch: {
      displayName: form.displayName,
      isViewingBeforeAcceptanceRequired: form.mustView,
      reacceptDays: days,
      appliesTo: { users: audience, groupIds: form.groupIds, includeAdministrators: form.includeAdmins },
    },
  };
}

/**
 * The upload slots as a version's files (the first is the default language), each checked on its own by the
 * domain so an error lands at its file; empty optional slots are skipped.
 */
export async function readUpload(lang: Lang, body: Record<string, string | File>, languages: readonly string[]) {
  const chosen: UploadForm = [];
  const errors: Errors = {};
  const files: AgreementFileInput[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < UPLOAD_SLOTS; i++) {
    const raw = text(body, `language${i}`);
    const language = languages.find((l) => l.toLowerCase() === raw.toLowerCase());
    chosen.push(language ?? '');
    const file = body[`file${i}`];
    if (!(file instanceof File) || (file.name === '' && file.size === 0)) {
      if (i === 0) errors.file0 = t(lang, 'admin.terms.fileMissing');
      continue;
    }
    if (!language)
      errors[`language${i}`] = t(lang, raw ? 'admin.terms.languageInvalid' : 'admin.terms.languageMissing');
    else if (seen.has(language)) errors[`language${i}`] = t(lang, 'admin.terms.languageTwice');
    if (language) seen.add(language);
    const fileName = file.name.split(/[\\/]/).pop() ?? '';
    const contentType = contentTypeOf(fileName);
    if (!contentType) {
      errors[`file${i}`] = t(lang, 'admin.terms.fileType');
      continue;
    }
    if (file.size > MAX_TERMS_FILE_BYTES) {
      errors[`file${i}`] = t(lang, 'admin.terms.fileTooLarge', { mb: String(MAX_MB) });
      continue;
    }
    const input: AgreementFileInput = {
      fileName,
      language: language ?? 'en-US',
      isDefault: i === 0,
      contentType,
      data: Buffer.from(await file.arrayBuffer()).toString('base64'),
    };
    try {
      checkAgreementFile(input);
    } catch (error) {
      if (!(error instanceof PorticoError)) throw error;
      errors[`file${i}`] = error.text(lang);
      continue;
    }
    files.push(input);
  }
  return { chosen, errors, files };
}

/** A report page's position: the last row's time and id, as the link to the next page carries it. */
export function parseAfter(after: string | undefined): { recordedAt: string; id: string } | undefined {
  const [recordedAt, id] = (after ?? '').split('|');
  return recordedAt && id && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/.test(recordedAt) && isUuid(id)
    ? { recordedAt, id: id.toLowerCase() }
    : undefined;
}
