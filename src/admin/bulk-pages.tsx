// The bulk invitation pages: the upload form with the columns explained and the recent jobs, and a job's progress
// view, which reloads itself (a meta refresh, no script) until the job is finished, then lists the failed rows.
import { t, type Lang, type Messages } from '../i18n/index.ts';
import { BULK_MAX_BYTES, BULK_MAX_ROWS, type BulkJob } from '../invitations/bulk-jobs.ts';
import { rowError, type BulkRow } from '../invitations/bulk.ts';
import { Csrf } from '../pages/csrf.tsx';
import { Alert, Submit } from '../pages/fields.tsx';
import { Table } from '../pages/table.tsx';
import { AdminLayout, PageLayout, type Shell } from './pages.tsx';

const time = (iso: string) => <time datetime={iso}>{iso.slice(0, 16).replace('T', ' ')}</time>;
const byName = (job: BulkJob) =>
  job.createdBy.kind === 'user' ? job.createdBy.userPrincipalName : job.createdBy.displayName;
const statusLabel = (lang: Lang, job: BulkJob) => t(lang, `admin.bulk.status.${job.status}`);
export const finished = (job: BulkJob) => job.status === 'completed' || job.status === 'failed';

const COLUMNS: [heading: string, required: boolean, meaning: keyof Messages][] = [
  ['Email address to invite [inviteeEmail] Required', true, 'admin.bulk.column.email'],
  ['Redirection url [inviteRedirectURL]', false, 'admin.bulk.column.redirect'],
  ['Send invitation message (true or false) [sendEmail]', false, 'admin.bulk.column.send'],
  ['Customized invitation message [customizedMessageBody]', false, 'admin.bulk.column.message'],
];

export function BulkPage({
  lang,
  tenant,
  user,
  csrf,
  jobs,
  error,
}: Shell & {
  jobs: BulkJob[];
  error?: string;
}) {
  const base = `/admin/${tenant.id}/users/bulk`;
  return (
    <PageLayout page={{ lang, tenant, user, csrf }} section="users" title={t(lang, 'admin.bulkInvite')}>
      <p>{t(lang, 'admin.bulk.intro')}</p>
      <h2>{t(lang, 'admin.bulk.columns')}</h2>
      <Table
        rows={COLUMNS}
        columns={[
          { label: t(lang, 'admin.bulk.col.heading'), cell: ([heading]) => <code>{heading}</code> },
          {
            label: t(lang, 'admin.bulk.col.required'),
            cell: ([, required]) => t(lang, required ? 'admin.bulk.yes' : 'admin.bulk.no'),
          },
          { label: t(lang, 'admin.bulk.col.meaning'), cell: ([, , meaning]) => t(lang, meaning) },
        ]}
      />
      <p class="muted">{t(lang, 'admin.bulk.headingsNote')}</p>
      <p>
        <a href={`${base}/template.csv`} download>
          {t(lang, 'admin.bulk.template')}
        </a>
      </p>
      <form method="post" action={base} enctype="multipart/form-data">
        <Csrf value={csrf} />
        <label for="file">{t(lang, 'admin.bulk.file')}</label>
        <input
          id="file"
          name="file"
          type="file"
          accept=".csv,text/csv"
          required
          aria-invalid={error ? 'true' : undefined}
          aria-describedby={error ? 'file-error file-hint' : 'file-hint'}
        />
        <p id="file-hint" class="muted">
          {t(lang, 'admin.bulk.limits', { rows: String(BULK_MAX_ROWS), size: String(BULK_MAX_BYTES / 1024 / 1024) })}
        </p>
        <Alert id="file-error" text={error} />
        <Submit label={t(lang, 'admin.bulk.submit')} />
      </form>
      <h2>{t(lang, 'admin.bulk.jobs')}</h2>
      <Table
        rows={jobs}
        empty={t(lang, 'admin.bulk.noJobs')}
        columns={[
          { label: t(lang, 'admin.bulk.col.file'), cell: (job) => <a href={`${base}/${job.id}`}>{job.fileName}</a> },
          { label: t(lang, 'admin.bulk.col.by'), cell: byName },
          { label: t(lang, 'admin.bulk.col.created'), cell: (job) => time(job.createdDateTime) },
          { label: t(lang, 'admin.bulk.col.status'), cell: (job) => statusLabel(lang, job) },
          { label: t(lang, 'admin.bulk.col.rows'), cell: (job) => job.total },
          { label: t(lang, 'admin.bulk.col.processed'), cell: (job) => job.processed },
          { label: t(lang, 'admin.bulk.col.succeeded'), cell: (job) => job.succeeded },
          { label: t(lang, 'admin.bulk.col.failed'), cell: (job) => job.failed },
        ]}
      />
    </PageLayout>
  );
}

export function JobPage({
  job,
  failures,
  ...shell
}: Shell & {
  job: BulkJob;
  failures: BulkRow[];
}) {
  const { lang, tenant } = shell;
  const base = `/admin/${tenant.id}/users/bulk`;
  const done = finished(job);
  const counts = {
    processed: String(job.processed),
    total: String(job.total),
    succeeded: String(job.succeeded),
    failed: String(job.failed),
  };
  return (
    <AdminLayout
      {...shell}
      section="users"
      title={t(lang, 'admin.bulk.job', { file: job.fileName })}
      refresh={done ? undefined : 2}
    >
      <p>
        {t(lang, 'admin.bulk.uploadedBy', {
          name: byName(job),
          time: job.createdDateTime.slice(0, 16).replace('T', ' '),
          status: statusLabel(lang, job),
        })}
      </p>
      <p>
        <label for="bulk-progress">{t(lang, 'admin.bulk.progressLabel')}</label>{' '}
        <progress id="bulk-progress" value={job.processed} max={job.total} />
      </p>
      <p role="status">{t(lang, 'admin.bulk.progress', counts)}</p>
      {!done && <p class="muted">{t(lang, 'admin.bulk.refreshNote')}</p>}
      {job.status === 'completed' && <p>{t(lang, 'admin.bulk.summary', counts)}</p>}
      {job.status === 'failed' && (
        <p class="error" role="alert">
          {t(lang, 'admin.bulk.jobFailed', { error: job.error ?? '' })}
        </p>
      )}
      {done && (
        <>
          <h2>{t(lang, 'admin.bulk.failures')}</h2>
          <Table
            rows={failures}
            empty={t(lang, 'admin.bulk.noFailures')}
            columns={[
              { label: t(lang, 'admin.bulk.col.line'), cell: (r) => r.line },
              { label: t(lang, 'admin.bulk.col.email'), cell: (r) => r.email },
              { label: t(lang, 'admin.bulk.col.reason'), cell: (r) => rowError(r, lang) },
            ]}
          />
          {job.failed > failures.length && (
            <p>{t(lang, 'admin.bulk.moreFailures', { count: String(job.failed - failures.length) })}</p>
          )}
          <p>
            <a href={`${base}/${job.id}/result.csv`} download>
              {t(lang, 'admin.bulk.download')}
            </a>
          </p>
        </>
      )}
      <p>
        <a href={base}>{t(lang, 'admin.bulk.back')}</a>
      </p>
    </AdminLayout>
  );
}
