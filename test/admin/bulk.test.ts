// Bulk invitation in the admin center over HTTP on both stores: an uploaded CSV becomes a job the runner invites in
// the background through invite() (users, audit events and emails as for one invitation), the progress page and the
// result CSV; refused uploads create nothing; roles, CSRF and tenants are kept apart; an interrupted job resumes
// where it stopped without inviting a row twice.
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { parse } from 'csv-parse/sync';

import { HELPDESK_ADMINISTRATOR } from '../../src/admin/roles.ts';
import { listAudit } from '../../src/directory/audit.ts';
import { createBulkRunner } from '../../src/invitations/bulk-jobs.ts';
import { parseBulkCsv } from '../../src/invitations/bulk.ts';
import { grantRoles, openAdmin, type Login } from '../helpers/admin.ts';
import { tenantWithApi, type TenantApi } from '../helpers/api.ts';
import { CookieJar, post, request } from '../helpers/signin.ts';
import { suite } from '../helpers/suite.ts';

const PASSWORD = 'correct-horse-battery';
const HEADINGS =
  'Email address to invite [inviteeEmail] Required,Redirection url [inviteRedirectURL] Required,Send invitation message (true or false) [sendEmail],Customized invitation message [customizedMessageBody]';

const csrfOf = (html: string) => /name="csrf" value="([^"]+)"/.exec(html)![1]!;
const text = (html: string) =>
  html
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');

suite(
  'admin center: bulk invite',
  { runWorker: false, tenant: { name: 'Contoso', domain: 'contoso.example', adminEmail: 'admin@contoso.example' } },
  ({ s, t }) => {
    let other: TenantApi;
    let base: string;
    const asAdmin: Login = {
      email: 'admin@contoso.example',
      get password() {
        return t.adminPassword;
      },
    };

    before(async () => {
      other = await tenantWithApi(s, 'Fabrikam', { domain: 'fabrikam.example', adminEmail: 'admin@fabrikam.example' });
      base = `${s.baseUrl}/admin/${t.tenantId}/users/bulk`;
      const hal = (
        await t.api('POST', '/v1.0/users', {
          accountEnabled: true,
          displayName: 'Hal',
          mailNickname: 'hal',
          userPrincipalName: 'hal@contoso.example',
          passwordProfile: { password: PASSWORD },
        })
      ).body;
      await grantRoles(t, hal.id, [HELPDESK_ADMINISTRATOR]);
    });

    const db = () => s.portico.services.store.db;
    const jobCount = async () =>
      (await db().selectFrom('bulk_jobs').select('id').where('tenant_id', '=', t.tenantId).execute()).length;
    const rowCount = async () =>
      (await db().selectFrom('bulk_job_rows').select('line').where('tenant_id', '=', t.tenantId).execute()).length;
    const upload = (
      jar: CookieJar,
      csrf: string,
      body: BlobPart,
      name = 'guests.csv',
      type = 'text/csv',
      url = base,
    ) => {
      const form = new FormData();
      form.set('csrf', csrf);
      form.set('file', new Blob([body], { type }), name);
      return post(jar, url, { body: form });
    };
    const signedIn = async (login: Login = asAdmin, url = base) => {
      const jar = new CookieJar();
      const page = await openAdmin(s, jar, url, login);
      return { jar, page };
    };

    it('explains the columns, offers the template and a labelled multipart upload form', async () => {
      const { jar, page } = await signedIn();
      assert.equal(page.status, 200);
      assert.match(page.page, /<form method="post" action="[^"]+\/users\/bulk" enctype="multipart\/form-data">/);
      assert.match(page.page, /<label for="file">CSV file<\/label><input id="file" name="file" type="file"/);
      assert.match(page.page, /\[inviteeEmail\]/);
      assert.match(page.page, /There are no bulk invitations yet/);
      const template = await request(jar, `${base}/template.csv`);
      assert.equal(template.status, 200);
      assert.match(template.headers.get('content-disposition')!, /^attachment; filename="BulkInviteTemplate\.csv"/);
      const csv = await template.text();
      assert.match(csv, /^version:v1\.0\r\nEmail address to invite \[inviteeEmail\] Required,/);
      assert.deepEqual(parseBulkCsv(csv), [], 'the examples row is not a row to invite');
    });

    it('invites the rows in the background as the admin, shows progress, the failures and a result CSV', async () => {
      const { jar, page } = await signedIn();
      await s.portico.bulk.stop();
      const csv = [
        'version:v1.0',
        HEADINGS,
        'Example:    name@company.com,Example:    https://myapps.example,true,Hello',
        'ann@partner.example,https://apps.contoso.example/,true,"Welcome, Ann"',
        'not-an-address,,true,',
        'bo@partner.example,,perhaps,',
        'cy@partner.example,,false,',
        '@SUM(A1),,true,',
        'dee@partner.example,,,',
      ].join('\n');
      const posted = await upload(jar, csrfOf(page.page), csv);
      assert.equal(posted.status, 303);
      const jobUrl = new URL(posted.headers.get('location')!, s.baseUrl).toString();
      assert.match(jobUrl, new RegExp(`/admin/${t.tenantId}/users/bulk/[0-9a-f-]{36}$`));

      // Nothing is invited in the request: the job waits for the runner.
      const queued = await request(jar, jobUrl);
      const queuedPage = await queued.text();
      assert.match(queuedPage, /<meta http-equiv="refresh" content="2"\/?>/);
      assert.match(queuedPage, /<progress id="bulk-progress" value="0" max="6">/);
      assert.match(queuedPage, /0 of 6 rows processed, 0 succeeded, 0 failed/);
      assert.match(queuedPage, /Status: Queued/);
      assert.equal(
        (await t.api('GET', `/v1.0/users?$filter=${encodeURIComponent("mail eq 'ann@partner.example'")}`)).body.value
          .length,
        0,
      );

      s.portico.bulk.start();
      await s.portico.bulk.idle();
      const donePage = text(await (await request(jar, jobUrl)).text());
      assert.doesNotMatch(donePage, /http-equiv="refresh"/);
      assert.match(donePage, /<progress id="bulk-progress" value="6" max="6">/);
      assert.match(donePage, /6 of 6 rows processed, 3 succeeded, 3 failed/);
      assert.match(donePage, /Status: Completed/);
      assert.match(
        donePage,
        /<tr><td>5<\/td><td>not-an-address<\/td><td>'not-an-address' is not a valid email address/,
      );
      assert.match(
        donePage,
        /<tr><td>6<\/td><td>bo@partner\.example<\/td><td>"perhaps" is not true or false in the send column<\/td>/,
      );
      assert.match(donePage, /<tr><td>8<\/td><td>@SUM\(A1\)<\/td>/);
      assert.match(donePage, /href="[^"]+\/result\.csv"/);

      const result = await request(jar, `${jobUrl}/result.csv`);
      assert.equal(result.status, 200);
      assert.match(result.headers.get('content-type')!, /^text\/csv/);
      assert.match(
        result.headers.get('content-disposition')!,
        /^attachment; filename="bulk-invite-\d{4}-\d{2}-\d{2}-results\.csv"/,
      );
      const body = await result.text();
      assert.doesNotMatch(body, /ticket|redeem/i, 'no redeem URLs in the download');
      const rows = parse(body, { columns: true }) as Record<string, string>[];
      assert.deepEqual(Object.keys(rows[0]!), ['line', 'email', 'outcome', 'userId', 'error']);
      assert.deepEqual(
        rows.map((r) => [r.line, r.email, r.outcome]),
        [
          ['4', 'ann@partner.example', 'created'],
          ['5', 'not-an-address', 'failed'],
          ['6', 'bo@partner.example', 'failed'],
          ['7', 'cy@partner.example', 'created'],
          ['8', "'@SUM(A1)", 'failed'],
          ['9', 'dee@partner.example', 'created'],
        ],
      );
      assert.match(rows[2]!.error!, /"perhaps" is not true or false/);

      // The same invitations as one by one: guests pending, the admin as actor in the audit log, email by the outbox.
      const ann = (await t.api('GET', `/v1.0/users/${rows[0]!.userId}`)).body;
      assert.equal(ann.externalUserState, 'PendingAcceptance');
      assert.equal(ann.mail, 'ann@partner.example');
      const audit = await listAudit(db(), t.tenantId, { top: 50, activity: 'Invite external user' });
      const invited = audit.filter(
        (e) => e.initiatedBy.kind === 'user' && e.initiatedBy.userPrincipalName === 'admin@contoso.example',
      );
      assert.deepEqual(
        invited.map((e) => e.targetResources[0]!.id).sort(),
        [rows[0]!.userId, rows[3]!.userId, rows[5]!.userId].sort(),
      );
      assert.equal((await listAudit(db(), t.tenantId, { top: 5, activity: 'Bulk invite users - finished' })).length, 1);
      await s.portico.worker.runOnce();
      const mailed = s.smtp.messages().flatMap((m) => m.to);
      assert.ok(mailed.includes('ann@partner.example') && mailed.includes('dee@partner.example'));
      assert.ok(!mailed.includes('cy@partner.example'), 'send false: no email');
      assert.match(s.smtp.messages().find((m) => m.to.includes('ann@partner.example'))!.text, /Welcome, Ann/);

      const list = text(await (await request(jar, base)).text());
      assert.match(
        list,
        /<td><a href="[^"]+">guests\.csv<\/a><\/td><td>admin@contoso\.example<\/td><td><time[^>]*>[^<]+<\/time><\/td><td>Completed<\/td><td>6<\/td><td>6<\/td><td>3<\/td><td>3<\/td>/,
      );
    });

    it('refuses an empty, oversized, non-CSV or email-less upload with 400 at the field, creating nothing', async () => {
      const { jar, page } = await signedIn();
      const csrf = csrfOf(page.page);
      const [jobs, rows] = [await jobCount(), await rowCount()];
      const cases: [string, BlobPart, string, string, number][] = [
        ['no file', '', 'guests.csv', 'text/csv', 400],
        ['no rows', 'email\n', 'guests.csv', 'text/csv', 400],
        ['no email column', 'name,url\nx,https://a.example/\n', 'guests.csv', 'text/csv', 400],
        [
          'not a CSV',
          'email\nzed@partner.example\n',
          'guests.xlsx',
          'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
          400,
        ],
        [
          'not text',
          new Uint8Array([0x65, 0x6d, 0x61, 0x69, 0x6c, 0x0a, 0xff, 0xfe, 0x00]),
          'guests.csv',
          'text/csv',
          400,
        ],
        ['over 5 MiB', `email\n${'x'.repeat(5 * 1024 * 1024)}\n`, 'guests.csv', 'text/csv', 400],
        ['far over 5 MiB', 'x'.repeat(7 * 1024 * 1024), 'guests.csv', 'text/csv', 413],
        ['over 50,000 rows', `email\n${'zed@partner.example\n'.repeat(50_001)}`, 'guests.csv', 'text/csv', 400],
      ];
      const reasons: Record<string, RegExp> = {
        'no file': /Choose a CSV file to upload/,
        'no rows': /no rows to invite/,
        'no email column': /no email column/,
        'not a CSV': /must be a CSV file/,
        'not text': /Line 2 is not valid UTF-8 text/,
        'over 5 MiB': /larger than 5 MiB/,
        'far over 5 MiB': /larger than 5 MiB/,
        'over 50,000 rows': /50001 rows; at most 50000/,
      };
      for (const [label, body, name, type, status] of cases) {
        const res = await upload(jar, csrf, body, name, type);
        assert.equal(res.status, status, label);
        const html = text(await res.text());
        assert.match(
          html,
          /<input id="file" name="file" type="file"[^>]*aria-invalid="true" aria-describedby="file-error file-hint"/,
          label,
        );
        assert.match(
          html,
          new RegExp(`<p id="file-error" class="error" role="alert">[^<]*${reasons[label]!.source}`),
          label,
        );
      }
      assert.equal(await jobCount(), jobs);
      assert.equal(await rowCount(), rows);
    });

    it('refuses a wrong CSRF value, and a helpdesk administrator (no invite right), creating nothing', async () => {
      const { jar } = await signedIn();
      const jobs = await jobCount();
      assert.equal((await upload(jar, 'forged', 'email\nmallory@partner.example\n')).status, 403);
      const hal = await signedIn(
        { email: 'hal@contoso.example', password: PASSWORD },
        `${s.baseUrl}/admin/${t.tenantId}`,
      );
      assert.equal(hal.page.status, 200, 'a helpdesk administrator may view the admin center');
      assert.equal((await request(hal.jar, base)).status, 403);
      assert.equal((await request(hal.jar, `${base}/template.csv`)).status, 403);
      assert.equal((await upload(hal.jar, csrfOf(hal.page.page), 'email\nmallory@partner.example\n')).status, 403);
      const job = (
        await db().selectFrom('bulk_jobs').select('id').where('tenant_id', '=', t.tenantId).executeTakeFirstOrThrow()
      ).id;
      assert.equal((await request(hal.jar, `${base}/${job}`)).status, 403);
      assert.equal((await request(hal.jar, `${base}/${job}/result.csv`)).status, 403);
      assert.equal(await jobCount(), jobs);
    });

    it("keeps each tenant's jobs to itself", async () => {
      const job = (
        await db().selectFrom('bulk_jobs').select('id').where('tenant_id', '=', t.tenantId).executeTakeFirstOrThrow()
      ).id;
      const otherBase = `${s.baseUrl}/admin/${other.tenantId}/users/bulk`;
      const { jar, page } = await signedIn(
        { email: 'admin@fabrikam.example', password: other.adminPassword },
        otherBase,
      );
      assert.equal(page.status, 200);
      assert.match(page.page, /There are no bulk invitations yet/);
      assert.equal((await request(jar, `${otherBase}/${job}`)).status, 404);
      assert.equal((await request(jar, `${otherBase}/${job}/result.csv`)).status, 404);
      // Signed in at Fabrikam only: Contoso's pages send the visitor to Contoso's sign-in.
      assert.equal((await request(jar, `${base}/${job}`)).status, 303);
      assert.equal((await request(jar, `${base}/${job}/result.csv`)).status, 303);
    });

    it('resumes a job a node left half done from its first row without a result, inviting no row twice', async () => {
      const { jar, page } = await signedIn();
      await s.portico.bulk.stop();
      const emails = ['res1@partner.example', 'res2@partner.example', 'res3@partner.example', 'res4@partner.example'];
      const posted = await upload(
        jar,
        csrfOf(page.page),
        `email,send\n${emails.map((e) => `${e},true`).join('\n')}\n`,
        'resume.csv',
      );
      const jobId = posted.headers.get('location')!.split('/').pop()!;

      // A node claimed the job and invited rows 2 and 3 (lines 2-3), then died holding its lease. The invitations are
      // real; the job's progress and lease are written directly because a node dying mid-job cannot be caused in this
      // process (the runner has no seam to stop between rows), and the lease's expiry is moved the same way below.
      for (const [i, email] of emails.slice(0, 2).entries()) {
        const r = await t.api('POST', '/v1.0/invitations', {
          invitedUserEmailAddress: email,
          inviteRedirectUrl: 'https://myapps.example/',
          sendInvitationMessage: true,
        });
        await db()
          .updateTable('bulk_job_rows')
          .set({ outcome: 'created', user_id: r.body.invitedUser.id })
          .where('tenant_id', '=', t.tenantId)
          .where('job_id', '=', jobId)
          .where('line', '=', i + 2)
          .execute();
      }
      const lease = (ms: number) => new Date(Date.now() + ms).toISOString();
      await db()
        .updateTable('bulk_jobs')
        .set({
          status: 'running',
          processed: 2,
          succeeded: 2,
          claim: 'a-node-that-died',
          claimed_until: lease(3_600_000),
        })
        .where('tenant_id', '=', t.tenantId)
        .where('id', '=', jobId)
        .execute();

      const next = createBulkRunner(s.portico.services);
      assert.equal(await next.runOnce(), 0, 'a job under another live claim is left alone');
      assert.equal(
        (await db().selectFrom('bulk_jobs').select('processed').where('id', '=', jobId).executeTakeFirstOrThrow())
          .processed,
        2,
      );
      await db()
        .updateTable('bulk_jobs')
        .set({ claimed_until: lease(-1000) })
        .where('tenant_id', '=', t.tenantId)
        .where('id', '=', jobId)
        .execute();
      assert.equal(await next.runOnce(), 1);

      const done = text(await (await request(jar, `${base}/${jobId}`)).text());
      assert.match(done, /4 of 4 rows processed, 4 succeeded, 0 failed/);
      for (const email of emails) {
        const invitations = await db()
          .selectFrom('invitations')
          .select('id')
          .where('tenant_id', '=', t.tenantId)
          .where('invited_email', '=', email)
          .execute();
        assert.equal(invitations.length, 1, `${email} invited once`);
      }
      await s.portico.worker.runOnce();
      for (const email of emails)
        assert.equal(s.smtp.messages().filter((m) => m.to.includes(email)).length, 1, `${email} mailed once`);
      const result = parse(await (await request(jar, `${base}/${jobId}/result.csv`)).text(), {
        columns: true,
      }) as Record<string, string>[];
      assert.deepEqual(
        result.map((r) => [r.line, r.email, r.outcome]),
        emails.map((e, i) => [String(i + 2), e, 'created']),
      );
      s.portico.bulk.start();
    });

    it("lets another node take over a job whose lease ran out; the slow node's writes no longer count", async () => {
      const { jar, page } = await signedIn();
      await s.portico.bulk.stop();
      const emails = Array.from({ length: 40 }, (_, i) => `slow${i}@partner.example`);
      const posted = await upload(jar, csrfOf(page.page), `email\n${emails.join('\n')}\n`, 'takeover.csv');
      const jobId = posted.headers.get('location')!.split('/').pop()!;
      const processed = async () =>
        await db()
          .selectFrom('bulk_jobs')
          .select(['processed', 'succeeded', 'status'])
          .where('tenant_id', '=', t.tenantId)
          .where('id', '=', jobId)
          .executeTakeFirstOrThrow();

      // The slow node's lease has always run out by the time it is written: any other node may claim the job.
      const slow = createBulkRunner(s.portico.services, { leaseMs: -60_000 });
      const slowRun = slow.runOnce();
      while ((await processed()).processed === 0) await new Promise((r) => setTimeout(r, 2));
      const fresh = createBulkRunner(s.portico.services);
      assert.equal(await fresh.runOnce(), 1, 'the other node took the job over');
      assert.equal(await slowRun, 1);

      assert.deepEqual(await processed(), { processed: 40, succeeded: 40, status: 'completed' });
      const invited = await db()
        .selectFrom('invitations')
        .select('invited_email')
        .where('tenant_id', '=', t.tenantId)
        .where('invited_email', 'like', 'slow%')
        .execute();
      assert.deepEqual(invited.map((r) => r.invited_email).sort(), [...emails].sort(), 'each row invited exactly once');
      const queued = await db().selectFrom('outbox').select('message').where('tenant_id', '=', t.tenantId).execute();
      assert.equal(queued.filter((m) => /"to":\["slow\d+@/.test(m.message)).length, 40, 'one email per row');
      const results = await db()
        .selectFrom('bulk_job_rows')
        .select('outcome')
        .where('tenant_id', '=', t.tenantId)
        .where('job_id', '=', jobId)
        .execute();
      assert.ok(results.every((r) => r.outcome === 'created'));
      s.portico.bulk.start();
    });
  },
);
