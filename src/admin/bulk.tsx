// The admin center's bulk invitation at /admin/<tenant id>/users/bulk: a CSV upload becomes a job (invitations/
// bulk-jobs.ts) that the runner works through in the background with the admin as the actor of every invitation;
// the job's page shows its progress and, once finished, its failed rows and a result CSV without redeem URLs.
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';

import { isUuid } from '../directory/tenants.ts';
import { UPLOAD_LIMITS } from '../http/body-limits.ts';
import { t, type Lang } from '../i18n/index.ts';
import {
  BULK_MAX_BYTES,
  BULK_MAX_ROWS,
  bulkJobResults,
  BulkUploadRefused,
  createBulkJob,
  getBulkJob,
  listBulkJobs,
  type BulkRefusal,
} from '../invitations/bulk-jobs.ts';
import { resultCsv } from '../invitations/bulk.ts';
import { myAppsUrl } from '../oidc/urls.ts';
import type { Services } from '../services.ts';
import { BulkPage, finished, JobPage } from './bulk-pages.tsx';
import { actorOf, shellOf, type AdminEnv, type AdminGuard, type Signed } from './guard.tsx';

/** Failed rows the job page lists; the result CSV has them all. */
const FAILURES_SHOWN = 100;
const CSV_TYPES = ['text/csv', 'application/csv'];
const MIB = String(BULK_MAX_BYTES / 1024 / 1024);

const csvResponse = (c: Context, body: string, fileName: string) =>
  c.body(body, 200, {
    'content-type': 'text/csv; charset=utf-8',
    'content-disposition': `attachment; filename="${fileName}"`,
  });

/** The upload's refusal in the admin's language. */
function refusalText(lang: Lang, error: BulkUploadRefused): string {
  const reasons: Record<BulkRefusal, () => string> = {
    tooLarge: () => t(lang, 'admin.bulk.error.tooLarge', { size: MIB }),
    nul: () => t(lang, 'admin.bulk.error.nul', { line: String(error.details?.line ?? '') }),
    notUtf8: () => t(lang, 'admin.bulk.error.notUtf8', { line: String(error.details?.line ?? '') }),
    unreadable: () => t(lang, 'admin.bulk.error.unreadable', { detail: error.message }),
    noHeading: () => t(lang, 'admin.bulk.error.noHeading'),
    noEmail: () => t(lang, 'admin.bulk.error.noEmail'),
    noRows: () => t(lang, 'admin.bulk.error.noRows'),
    tooManyRows: () =>
      t(lang, 'admin.bulk.error.tooManyRows', { count: String(error.details?.rows ?? ''), max: String(BULK_MAX_ROWS) }),
  };
  return reasons[error.reason]();
}

export function bulkRoutes(services: Services, guard: AdminGuard) {
  const { store, config } = services;
  const app = new Hono<AdminEnv>();

  const uploadPage = async (c: Context<AdminEnv>, s: Signed, error?: string, status: 200 | 400 | 413 = 200) => {
    const jobs = await listBulkJobs(store.db, s.tenant.id);
    return c.html(<BulkPage {...shellOf(s)} jobs={jobs} error={error} />, status);
  };

  app.get('/admin/:tenant/users/bulk', guard.signedIn('invite'), async (c) => {
    const s = c.var.signed;
    return uploadPage(c, s);
  });

  app.get('/admin/:tenant/users/bulk/template.csv', guard.signedIn('invite'), async (c) => {
    const s = c.var.signed;
    const template =
      [
        'version:v1.0',
        'Email address to invite [inviteeEmail] Required,Redirection url [inviteRedirectURL] Required,Send invitation message (true or false) [sendEmail],Customized invitation message [customizedMessageBody]',
        `Example:    name@company.com,Example:    ${myAppsUrl(config.baseUrl, s.tenant.id)},true,Hello`,
      ].join('\r\n') + '\r\n';
    return csvResponse(c, template, 'BulkInviteTemplate.csv');
  });

  // A body far over the cap is cut off unread (the form's CSRF value with it); one just over it gets the field error.
  const limit = bodyLimit({
    maxSize: UPLOAD_LIMITS.bulkCsv,
    onError: async (c) => {
      const s = await guard.check(c, 'invite');
      if (s instanceof Response) return s;
      return uploadPage(c, s, t(s.lang, 'admin.bulk.error.tooLarge', { size: MIB }), 413);
    },
  });

  app.post('/admin/:tenant/users/bulk', limit, guard.posted('invite'), async (c) => {
    const s = c.var.posted;
    const file = s.form.file;
    if (!(file instanceof File) || file.size === 0) return uploadPage(c, s, t(s.lang, 'admin.bulk.error.missing'), 400);
    if (!/\.csv$/i.test(file.name) && !CSV_TYPES.includes(file.type.split(';')[0]!.trim().toLowerCase()))
      return uploadPage(c, s, t(s.lang, 'admin.bulk.error.notCsv'), 400);
    if (file.size > BULK_MAX_BYTES) return uploadPage(c, s, t(s.lang, 'admin.bulk.error.tooLarge', { size: MIB }), 400);
    const actor = actorOf(s);
    try {
      const id = await createBulkJob(services, s.tenant.id, actor, {
        fileName: file.name,
        csv: Buffer.from(await file.arrayBuffer()),
        defaultRedirect: myAppsUrl(config.baseUrl, s.tenant.id),
      });
      return c.redirect(`/admin/${s.tenant.id}/users/bulk/${id}`, 303);
    } catch (error) {
      if (!(error instanceof BulkUploadRefused)) throw error;
      return uploadPage(c, s, refusalText(s.lang, error), 400);
    }
  });

  /** The path's job of the signed-in admin's tenant; another tenant's job is not found. */
  const jobOf = (c: Context<AdminEnv>, s: Signed) => {
    const id = c.req.param('job') ?? '';
    return isUuid(id) ? getBulkJob(store.db, s.tenant.id, id.toLowerCase()) : Promise.resolve(undefined);
  };

  app.get('/admin/:tenant/users/bulk/:job', guard.signedIn('invite'), async (c) => {
    const s = c.var.signed;
    const job = await jobOf(c, s);
    if (!job) return c.notFound();
    const failures = finished(job)
      ? await bulkJobResults(store.db, s.tenant.id, job.id, { failedOnly: true, top: FAILURES_SHOWN })
      : [];
    return c.html(<JobPage {...shellOf(s)} job={job} failures={failures} />);
  });

  app.get('/admin/:tenant/users/bulk/:job/result.csv', guard.signedIn('invite'), async (c) => {
    const s = c.var.signed;
    const job = await jobOf(c, s);
    if (!job) return c.notFound();
    const rows = await bulkJobResults(store.db, s.tenant.id, job.id);
    return csvResponse(
      c,
      resultCsv(rows, { redeemUrls: false }),
      `bulk-invite-${job.createdDateTime.slice(0, 10)}-results.csv`,
    );
  });

  return app;
}
