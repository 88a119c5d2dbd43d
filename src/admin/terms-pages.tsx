// The admin center's terms-of-use pages: the list, the new-terms form, an agreement's page (settings, a new
// version, every version's files, the acceptance report) and the delete confirmation. Uploaded text is never put
// into a page: files are only linked, and served as what they are (terms.tsx).
import {
  TERMS_AUDIENCES,
  UPLOAD_SLOTS,
  type Agreement,
  type AgreementAcceptance,
  type AgreementFileInfo,
  type TermsAudience,
} from '../consent/terms.ts';
import type { Tenant } from '../directory/tenants.ts';
import { t, type Lang } from '../i18n/index.ts';
import { Csrf } from '../pages/csrf.tsx';
import { Choice, Submit } from '../pages/fields.tsx';
import { Properties, Table } from '../pages/table.tsx';
import { List } from './list.tsx';
import { AdminLayout, PageLayout, type Shell } from './pages.tsx';

/** The languages the forms offer; an agreement's own (say `de` from the API) are offered on its page too. */
export const TERMS_LANGUAGES = [
  'en-US',
  'en-GB',
  'de-DE',
  'de-AT',
  'de-CH',
  'fr-FR',
  'fr-CA',
  'es-ES',
  'it-IT',
  'nl-NL',
  'pt-BR',
  'pt-PT',
  'pl-PL',
  'sv-SE',
  'da-DK',
  'nb-NO',
  'fi-FI',
  'cs-CZ',
  'tr-TR',
  'ja-JP',
  'ko-KR',
  'zh-CN',
  'zh-TW',
] as const;

export interface SettingsForm {
  displayName: string;
  mustView: boolean;
  reacceptDays: string;
  /** who must accept (ux-lists): all guests, all users or the groups ticked, administrators only when ticked */
  audience: TermsAudience;
  groupIds: string[];
  includeAdmins: boolean;
  /** the tenant's groups to choose from (shown, not posted) */
  choices: { id: string; displayName: string }[];
}
/** The language chosen in each upload slot (files cannot be given back to a browser). */
export type UploadForm = string[];
/** Messages by field id (displayName, reacceptDays, file0, language0, ...; `form` for the whole form). */
export type Errors = Partial<Record<string, string>>;
export type FileRow = Omit<AgreementFileInfo, 'size'>;
export interface AgreementRow {
  agreement: Agreement;
  languages: string[];
  accepted: number;
}

/** Who must accept, in words: the audience, the groups' names, and whether administrators must too. */
const audienceOf = (lang: Lang, a: Agreement, choices: SettingsForm['choices']) => {
  const to = a.appliesTo;
  const names = to.groupIds.map((id) => choices.find((g) => g.id === id)?.displayName ?? id);
  const who =
    to.users === 'groups'
      ? t(lang, 'admin.terms.audience.groupsNamed', { groups: names.join(', ') })
      : t(lang, `admin.terms.audience.${to.users}`);
  return to.includeAdministrators ? `${who} · ${t(lang, 'admin.terms.audience.withAdmins')}` : who;
};

const time = (iso: string | null) => iso && <time datetime={iso}>{iso.slice(0, 16).replace('T', ' ')}</time>;
const describedBy = (errors: Errors, id: string) => ({
  'aria-invalid': errors[id] ? 'true' : undefined,
  'aria-describedby': errors[id] ? `${id}-error` : undefined,
});
const FieldError = ({ errors, id }: { errors: Errors; id: string }) =>
  errors[id] ? (
    <p id={`${id}-error`} class="error" role="alert">
      {errors[id]}
    </p>
  ) : null;
const FormError = ({ errors }: { errors: Errors }) =>
  errors.form ? (
    <p class="error" role="alert">
      {errors.form}
    </p>
  ) : null;
const languageName = (lang: Lang, tag: string) =>
  `${new Intl.DisplayNames([lang], { type: 'language' }).of(tag) ?? tag} (${tag})`;
const every = (lang: Lang, a: Agreement) =>
  a.reacceptDays === null
    ? t(lang, 'admin.terms.once')
    : t(lang, 'admin.terms.everyDays', { days: String(a.reacceptDays) });
const yesNo = (lang: Lang, v: boolean) => t(lang, v ? 'admin.terms.yes' : 'admin.terms.no');
const fileUrl = (tenant: Tenant, f: FileRow, download: boolean) =>
  `/admin/${tenant.id}/terms/${f.agreementId}/files/${f.version}/${encodeURIComponent(f.language)}${download ? '?download=1' : ''}`;

export function TermsListPage({
  lang,
  tenant,
  user,
  csrf,
  rows,
  canEdit,
  deleted,
}: Shell & { rows: AgreementRow[]; canEdit: boolean; deleted: boolean }) {
  return (
    <AdminLayout lang={lang} tenant={tenant} user={user} csrf={csrf} section="terms" title={t(lang, 'admin.terms')}>
      {deleted && <p role="status">{t(lang, 'admin.terms.deleted')}</p>}
      {canEdit ? (
        <p>
          <a href={`/admin/${tenant.id}/terms/new`}>{t(lang, 'admin.terms.new')}</a>
        </p>
      ) : (
        <p class="muted">{t(lang, 'admin.terms.readOnly')}</p>
      )}
      <Table
        rows={rows}
        empty={t(lang, 'admin.terms.none')}
        columns={[
          {
            label: t(lang, 'admin.terms.col.name'),
            cell: ({ agreement: a }) => <a href={`/admin/${tenant.id}/terms/${a.id}`}>{a.displayName}</a>,
          },
          { label: t(lang, 'admin.terms.col.version'), cell: ({ agreement: a }) => a.version },
          { label: t(lang, 'admin.terms.col.languages'), cell: ({ languages }) => languages.join(', ') },
          {
            label: t(lang, 'admin.terms.col.mustView'),
            cell: ({ agreement: a }) => yesNo(lang, a.isViewingBeforeAcceptanceRequired),
          },
          { label: t(lang, 'admin.terms.col.reaccept'), cell: ({ agreement: a }) => every(lang, a) },
          { label: t(lang, 'admin.terms.col.accepted'), cell: ({ accepted }) => accepted },
        ]}
      />
    </AdminLayout>
  );
}

function SettingsFields({ lang, form, errors }: { lang: Lang; form: SettingsForm; errors: Errors }) {
  return (
    <>
      <label for="displayName">{t(lang, 'admin.terms.name')}</label>
      <input
        id="displayName"
        name="displayName"
        type="text"
        required
        maxlength={256}
        value={form.displayName}
        {...describedBy(errors, 'displayName')}
      />
      <FieldError errors={errors} id="displayName" />
      <Choice id="mustView" checked={form.mustView}>
        {t(lang, 'admin.terms.mustView')}
      </Choice>
      <label for="reacceptDays">{t(lang, 'admin.terms.reacceptDays')}</label>
      <input
        id="reacceptDays"
        name="reacceptDays"
        type="text"
        inputmode="numeric"
        value={form.reacceptDays}
        {...describedBy(errors, 'reacceptDays')}
      />
      <FieldError errors={errors} id="reacceptDays" />
      <TargetFields lang={lang} form={form} errors={errors} />
    </>
  );
}

/** Who must accept: a choice of audience, the groups (checkboxes, no script needed) and the administrators' box. */
function TargetFields({ lang, form, errors }: { lang: Lang; form: SettingsForm; errors: Errors }) {
  return (
    <fieldset {...describedBy(errors, 'audience')}>
      <legend>{t(lang, 'admin.terms.audience')}</legend>
      {TERMS_AUDIENCES.map((a) => (
        <Choice id={`audience-${a}`} name="audience" type="radio" value={a} checked={form.audience === a}>
          {t(lang, `admin.terms.audience.${a}`)}
        </Choice>
      ))}
      {form.choices.length === 0 ? (
        <p class="muted">{t(lang, 'admin.terms.audience.noGroups')}</p>
      ) : (
        <fieldset>
          <legend>{t(lang, 'admin.terms.audience.groupList')}</legend>
          {form.choices.map((g) => (
            <Choice id={`group-${g.id}`} name={`group-${g.id}`} checked={form.groupIds.includes(g.id)}>
              {g.displayName}
            </Choice>
          ))}
        </fieldset>
      )}
      <FieldError errors={errors} id="audience" />
      <Choice id="includeAdmins" checked={form.includeAdmins}>
        {t(lang, 'admin.terms.audience.admins')}
      </Choice>
    </fieldset>
  );
}

/** The file inputs with a language each: the first is the default language and required, the others optional. */
function FileSlots({
  lang,
  chosen,
  errors,
  languages,
  maxMb,
}: {
  lang: Lang;
  chosen: UploadForm;
  errors: Errors;
  languages: readonly string[];
  maxMb: number;
}) {
  return (
    <>
      <p class="muted" id="files-note">
        {t(lang, 'admin.terms.filesNote', { mb: String(maxMb) })}
      </p>
      {Array.from({ length: UPLOAD_SLOTS }, (_, i) => {
        const n = String(i + 1);
        return (
          <fieldset>
            <legend>{t(lang, i === 0 ? 'admin.terms.defaultSlot' : 'admin.terms.otherSlot', { n })}</legend>
            <label for={`file${i}`}>
              {t(lang, i === 0 ? 'admin.terms.defaultFile' : 'admin.terms.otherFile', { n })}
            </label>
            <input
              id={`file${i}`}
              name={`file${i}`}
              type="file"
              accept=".pdf,.txt,.md,application/pdf,text/plain,text/markdown"
              required={i === 0}
              aria-invalid={errors[`file${i}`] ? 'true' : undefined}
              aria-describedby={errors[`file${i}`] ? `file${i}-error files-note` : 'files-note'}
            />
            <FieldError errors={errors} id={`file${i}`} />
            <label for={`language${i}`}>
              {t(lang, i === 0 ? 'admin.terms.defaultLanguage' : 'admin.terms.otherLanguage', { n })}
            </label>
            <select id={`language${i}`} name={`language${i}`} {...describedBy(errors, `language${i}`)}>
              {i > 0 && (
                <option value="" selected={!chosen[i]}>
                  {t(lang, 'admin.terms.chooseLanguage')}
                </option>
              )}
              {languages.map((tag) => (
                <option value={tag} selected={chosen[i] === tag}>
                  {languageName(lang, tag)}
                </option>
              ))}
            </select>
            <FieldError errors={errors} id={`language${i}`} />
          </fieldset>
        );
      })}
    </>
  );
}

export function NewTermsPage({
  lang,
  tenant,
  user,
  csrf,
  form,
  upload,
  errors,
  maxMb,
}: Shell & { form: SettingsForm; upload: UploadForm; errors: Errors; maxMb: number }) {
  return (
    <AdminLayout lang={lang} tenant={tenant} user={user} csrf={csrf} section="terms" title={t(lang, 'admin.terms.new')}>
      <FormError errors={errors} />
      <form method="post" action={`/admin/${tenant.id}/terms/new`} enctype="multipart/form-data">
        <Csrf value={csrf} />
        <SettingsFields lang={lang} form={form} errors={errors} />
        <h2>{t(lang, 'admin.terms.files')}</h2>
        <FileSlots lang={lang} chosen={upload} errors={errors} languages={TERMS_LANGUAGES} maxMb={maxMb} />
        <Submit
          label={t(lang, 'admin.terms.create')}
          back={{ href: `/admin/${tenant.id}/terms`, label: t(lang, 'admin.terms.back') }}
        />
      </form>
    </AdminLayout>
  );
}

export type Notice = 'created' | 'saved' | 'published';

export interface AgreementPageProps extends Shell {
  agreement: Agreement;
  files: FileRow[];
  report: AgreementAcceptance[];
  /** the report's next page (its `after` value) */
  next?: string;
  canEdit: boolean;
  notice?: Notice;
  settings: SettingsForm;
  upload: UploadForm;
  /** errors of the settings form or of the version form, whichever was posted */
  errors: Errors;
  posted?: 'settings' | 'version';
  languages: readonly string[];
  maxMb: number;
}

/** A file's View and Download links. */
function FileLinks({ lang, tenant, f }: { lang: Lang; tenant: Tenant; f: FileRow }) {
  const params = { file: f.fileName, version: String(f.version), language: f.language };
  return (
    <>
      <a href={fileUrl(tenant, f, false)} aria-label={t(lang, 'admin.terms.viewOf', params)}>
        {t(lang, 'admin.terms.view')}
      </a>
      {' · '}
      <a href={fileUrl(tenant, f, true)} aria-label={t(lang, 'admin.terms.downloadOf', params)}>
        {t(lang, 'admin.terms.download')}
      </a>
    </>
  );
}

export function AgreementPage(p: AgreementPageProps) {
  const { lang, tenant, user, csrf, agreement: a, files, report, next, canEdit, notice } = p;
  const base = `/admin/${tenant.id}/terms/${a.id}`;
  const current = files.filter((f) => f.version === a.version).map((f) => f.language);
  const noticeText = notice && t(lang, `admin.terms.${notice}`, { n: String(a.version) });
  const settingsErrors = p.posted === 'settings' ? p.errors : {};
  const versionErrors = p.posted === 'version' ? p.errors : {};
  return (
    <AdminLayout lang={lang} tenant={tenant} user={user} csrf={csrf} section="terms" title={a.displayName}>
      <p>
        <a href={`/admin/${tenant.id}/terms`}>{t(lang, 'admin.terms.back')}</a>
      </p>
      {noticeText && (
        <p role="status" class="identity">
          {noticeText}
        </p>
      )}
      <Properties
        rows={[
          [t(lang, 'admin.terms.col.version'), a.version],
          [t(lang, 'admin.terms.col.languages'), current.join(', ')],
          [t(lang, 'admin.terms.col.mustView'), yesNo(lang, a.isViewingBeforeAcceptanceRequired)],
          [t(lang, 'admin.terms.col.reaccept'), every(lang, a)],
          [t(lang, 'admin.terms.audience'), audienceOf(lang, a, p.settings.choices)],
          [t(lang, 'admin.terms.col.created'), time(a.createdDateTime)],
          [t(lang, 'admin.terms.col.modified'), time(a.updatedDateTime)],
        ]}
      />

      {canEdit && (
        <section aria-labelledby="settings">
          <h2 id="settings">{t(lang, 'admin.terms.settings')}</h2>
          <FormError errors={settingsErrors} />
          <form method="post" action={base}>
            <Csrf value={csrf} />
            <SettingsFields lang={lang} form={p.settings} errors={settingsErrors} />
            <Submit label={t(lang, 'admin.terms.save')} />
          </form>
        </section>
      )}

      <section aria-labelledby="version">
        <h2 id="version">{t(lang, 'admin.terms.newVersion')}</h2>
        <p>{t(lang, 'admin.terms.versionNote')}</p>
        {canEdit && (
          <>
            <FormError errors={versionErrors} />
            <form method="post" action={`${base}/versions`} enctype="multipart/form-data">
              <Csrf value={csrf} />
              <FileSlots lang={lang} chosen={p.upload} errors={versionErrors} languages={p.languages} maxMb={p.maxMb} />
              <Submit label={t(lang, 'admin.terms.publish', { n: String(a.version + 1) })} />
            </form>
          </>
        )}
      </section>

      <section aria-labelledby="files">
        <h2 id="files">{t(lang, 'admin.terms.allFiles')}</h2>
        {/* every version has a file at least (consent/terms.ts) */}
        <Table
          rows={files}
          columns={[
            { label: t(lang, 'admin.terms.col.versionOf'), cell: (f) => f.version },
            {
              label: t(lang, 'admin.terms.col.language'),
              cell: (f) => (
                <>
                  {f.language}
                  {f.isDefault && ` ${t(lang, 'admin.terms.default')}`}
                </>
              ),
            },
            { label: t(lang, 'admin.terms.col.file'), cell: (f) => f.fileName },
            { label: t(lang, 'admin.terms.col.type'), cell: (f) => f.contentType },
            { label: t(lang, 'admin.terms.col.uploaded'), cell: (f) => time(f.createdDateTime) },
            { label: t(lang, 'admin.terms.col.open'), cell: (f) => <FileLinks lang={lang} tenant={tenant} f={f} /> },
          ]}
        />
      </section>

      <section aria-labelledby="report">
        <h2 id="report">{t(lang, 'admin.terms.report')}</h2>
        <p>
          <a href={`${base}/acceptances.csv`} download>
            {t(lang, 'admin.terms.csv')}
          </a>
        </p>
        <List
          base={base}
          rows={report}
          empty={t(lang, 'admin.terms.reportNone')}
          next={next ? { after: next } : undefined}
          nextLabel={t(lang, 'admin.terms.next')}
          columns={[
            {
              label: t(lang, 'admin.terms.col.user'),
              cell: (x) => x.userDisplayName ?? t(lang, 'admin.terms.deletedUser'),
            },
            { label: t(lang, 'admin.terms.col.upn'), cell: (x) => x.userPrincipalName ?? x.userId },
            { label: t(lang, 'admin.terms.col.versionOf'), cell: (x) => x.version },
            {
              label: t(lang, 'admin.terms.col.state'),
              cell: (x) => t(lang, x.state === 'accepted' ? 'admin.terms.accepted' : 'admin.terms.declined'),
            },
            { label: t(lang, 'admin.terms.col.time'), cell: (x) => time(x.recordedDateTime) },
            { label: t(lang, 'admin.terms.col.expires'), cell: (x) => time(x.expirationDateTime) },
          ]}
        />
      </section>

      {canEdit && (
        <p>
          <a href={`${base}/delete`}>{t(lang, 'admin.terms.delete')}</a>
        </p>
      )}
    </AdminLayout>
  );
}

export function DeleteTermsPage({ lang, tenant, user, csrf, agreement }: Shell & { agreement: Agreement }) {
  const base = `/admin/${tenant.id}/terms/${agreement.id}`;
  return (
    <PageLayout
      page={{ lang, tenant, user, csrf }}
      section="terms"
      title={t(lang, 'admin.terms.deleteTitle', { name: agreement.displayName })}
    >
      <p>{t(lang, 'admin.terms.deleteWarning', { name: agreement.displayName })}</p>
      <form method="post" action={`${base}/delete`}>
        <Csrf value={csrf} />
        <Submit
          label={t(lang, 'admin.terms.deleteConfirm')}
          back={{ href: base, label: t(lang, 'admin.terms.cancel') }}
          class="secondary danger"
        />
      </form>
    </PageLayout>
  );
}
