// The admin center's terms of use at /admin/<tenant id>/terms (Entra's Conditional Access > Terms of use): the
// agreements, new ones from uploaded files, settings, new versions, each version's files and the acceptance
// report with its CSV. Changes go through the same audited domain functions as the API and the CLI.
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';

import { contentDisposition } from '../consent/terms-page.tsx';
import {
  acceptedCounts,
  DEFAULT_TARGET,
  fileFor,
  getAgreement,
  listAcceptances,
  listAgreements,
  listAllFiles,
  publishAgreementVersion,
  removeAgreement,
  saveAgreementSettings,
  saveNewAgreement,
  UPLOAD_SLOTS,
  type Agreement,
} from '../consent/terms.ts';
import { listGroups } from '../directory/groups.ts';
import { PorticoError } from '../errors.ts';
import { UPLOAD_LIMITS } from '../http/body-limits.ts';
import { pickLang, t, type Lang } from '../i18n/index.ts';
import { csvCell } from '../invitations/bulk.ts';
import { errorPage } from '../pages/layout.tsx';
import type { Services } from '../services.ts';
import type { Db } from '../store/index.ts';
import { actorOf, shellOf, type AdminEnv, type AdminGuard, type Signed } from './guard.tsx';
import { can } from './roles.ts';
import { MAX_MB, parseAfter, readSettings, readUpload } from './terms-form.ts';
import {
  AgreementPage,
  DeleteTermsPage,
  NewTermsPage,
  TERMS_LANGUAGES,
  TermsListPage,
  type AgreementPageProps,
  type Errors,
  type Notice,
  type SettingsForm,
  type UploadForm,
} from './terms-pages.tsx';

const PAGE_SIZE = 50;
const NOTICES: readonly Notice[] = ['created', 'saved', 'published'];

const settingsOf = (a: Agreement, choices: SettingsForm['choices']): SettingsForm => ({
  displayName: a.displayName,
  mustView: a.isViewingBeforeAcceptanceRequired,
  reacceptDays: a.reacceptDays === null ? '' : String(a.reacceptDays),
  audience: a.appliesTo.users,
  groupIds: a.appliesTo.groupIds,
  includeAdmins: a.appliesTo.includeAdministrators,
  choices,
});

/** The groups the terms form offers to choose from: the first 200 (a longer form would not be usable anyway). */
const groupChoices = async (db: Db, tenantId: string) =>
  (await listGroups(db, tenantId, { top: 200 })).items.map((g) => ({ id: g.id, displayName: g.displayName }));

export function termsRoutes(services: Services, guard: AdminGuard) {
  const { store, clock } = services;
  const app = new Hono<AdminEnv>();
  // Every upload slot's largest file and the form around it; larger bodies are refused before they are read.
  const limit = bodyLimit({
    maxSize: UPLOAD_LIMITS.termsForm,
    onError: (c) => {
      const lang = pickLang(c.req.header('accept-language'));
      const message = t(lang, 'admin.terms.tooLarge', { mb: String(UPLOAD_SLOTS * MAX_MB) });
      return errorPage(c, { lang }, t(lang, 'admin.terms'), message, 413);
    },
  });
  const notFound = (c: Context<AdminEnv>, s: Signed) =>
    errorPage(c, s, t(s.lang, 'admin.terms'), t(s.lang, 'admin.terms.notFound'), 404);
  const blankUpload = (lang: Lang): UploadForm => [lang, ...Array<string>(UPLOAD_SLOTS - 1).fill('')];

  app.get('/admin/:tenant/terms', guard.signedIn('view'), async (c) => {
    const s = c.var.signed;
    const [agreements, counts] = await Promise.all([
      listAgreements(store.db, s.tenant.id),
      acceptedCounts(store.db, s.tenant.id),
    ]);
    const rows = await Promise.all(
      agreements.map(async (agreement) => ({
        agreement,
        accepted: counts.get(agreement.id) ?? 0,
        languages: (await listAllFiles(store.db, s.tenant.id, agreement.id))
          .filter((f) => f.version === agreement.version)
          .map((f) => f.language),
      })),
    );
    rows.sort((a, b) => a.agreement.displayName.localeCompare(b.agreement.displayName));
    return c.html(
      <TermsListPage
        {...shellOf(s)}
        rows={rows}
        canEdit={can(s.admin.user.roles, 'settings')}
        deleted={c.req.query('deleted') === '1'}
      />,
    );
  });

  app.get('/admin/:tenant/terms/new', guard.signedIn('settings'), async (c) => {
    const s = c.var.signed;
    return c.html(
      <NewTermsPage
        {...shellOf(s)}
        form={{
          displayName: '',
          mustView: false,
          reacceptDays: '',
          audience: DEFAULT_TARGET.users,
          groupIds: [],
          includeAdmins: DEFAULT_TARGET.includeAdministrators,
          choices: await groupChoices(store.db, s.tenant.id),
        }}
        upload={blankUpload(s.lang)}
        errors={{}}
        maxMb={MAX_MB}
      />,
    );
  });

  app.post('/admin/:tenant/terms/new', limit, guard.posted('settings'), async (c) => {
    const s = c.var.posted;
    const settings = readSettings(s.lang, s.form, await groupChoices(store.db, s.tenant.id));
    const upload = await readUpload(s.lang, s.form, TERMS_LANGUAGES);
    const errors: Errors = { ...settings.errors, ...upload.errors };
    const page = (status: 400) =>
      c.html(
        <NewTermsPage {...shellOf(s)} form={settings.form} upload={upload.chosen} errors={errors} maxMb={MAX_MB} />,
        status,
      );
    if (Object.keys(errors).length) return page(400);
    try {
      const created = await store.transaction((tx) =>
        saveNewAgreement(tx, clock, s.tenant.id, { ...settings.patch, files: upload.files }, actorOf(s)),
      );
      return c.redirect(`/admin/${s.tenant.id}/terms/${created.id}?done=created`, 303);
    } catch (error) {
      if (!(error instanceof PorticoError)) throw error;
      errors.form = error.text(s.lang);
      return page(400);
    }
  });

  /** The agreement's page: its files, a page of the report, and the forms (as posted, with errors, or as stored). */
  async function agreementPage(
    c: Context<AdminEnv>,
    s: Signed,
    agreement: Agreement,
    extra: Partial<AgreementPageProps> = {},
    status: 200 | 400 = 200,
  ) {
    const after = parseAfter(c.req.query('after'));
    const [files, rows, choices] = await Promise.all([
      listAllFiles(store.db, s.tenant.id, agreement.id),
      listAcceptances(store.db, s.tenant.id, agreement.id, { top: PAGE_SIZE + 1, after }),
      groupChoices(store.db, s.tenant.id),
    ]);
    const report = rows.slice(0, PAGE_SIZE);
    const last = report.at(-1);
    const next = rows.length > PAGE_SIZE && last ? `${last.recordedDateTime}|${last.id}` : undefined;
    const current = files.filter((f) => f.version === agreement.version);
    const languages = [...new Set([...TERMS_LANGUAGES, ...files.map((f) => f.language)])];
    const defaultLanguage = current.find((f) => f.isDefault)?.language ?? s.lang;
    const doneParam = c.req.query('done');
    return c.html(
      <AgreementPage
        {...shellOf(s)}
        agreement={agreement}
        files={files}
        report={report}
        next={next}
        canEdit={can(s.admin.user.roles, 'settings')}
        notice={NOTICES.find((n) => n === doneParam)}
        settings={settingsOf(agreement, choices)}
        upload={[defaultLanguage, ...Array<string>(UPLOAD_SLOTS - 1).fill('')]}
        errors={{}}
        languages={languages}
        maxMb={MAX_MB}
        {...extra}
      />,
      status,
    );
  }

  app.get('/admin/:tenant/terms/:id', guard.signedIn('view'), async (c) => {
    const s = c.var.signed;
    const agreement = await getAgreement(store.db, s.tenant.id, c.req.param('id'));
    return agreement ? agreementPage(c, s, agreement) : notFound(c, s);
  });

  app.post('/admin/:tenant/terms/:id', guard.posted('settings'), async (c) => {
    const s = c.var.posted;
    const agreement = await getAgreement(store.db, s.tenant.id, c.req.param('id'));
    if (!agreement) return notFound(c, s);
    const { form, errors, patch } = readSettings(s.lang, s.form, await groupChoices(store.db, s.tenant.id));
    if (!Object.keys(errors).length) {
      try {
        await store.transaction((tx) => saveAgreementSettings(tx, clock, s.tenant.id, agreement.id, patch, actorOf(s)));
        return c.redirect(`/admin/${s.tenant.id}/terms/${agreement.id}?done=saved`, 303);
      } catch (error) {
        if (!(error instanceof PorticoError)) throw error;
        errors.form = error.text(s.lang);
      }
    }
    return agreementPage(c, s, agreement, { settings: form, errors, posted: 'settings' }, 400);
  });

  app.post('/admin/:tenant/terms/:id/versions', limit, guard.posted('settings'), async (c) => {
    const s = c.var.posted;
    const agreement = await getAgreement(store.db, s.tenant.id, c.req.param('id'));
    if (!agreement) return notFound(c, s);
    const known = (await listAllFiles(store.db, s.tenant.id, agreement.id)).map((f) => f.language);
    const { chosen, errors, files } = await readUpload(s.lang, s.form, [...new Set([...TERMS_LANGUAGES, ...known])]);
    if (!Object.keys(errors).length) {
      try {
        await store.transaction((tx) =>
          publishAgreementVersion(tx, clock, s.tenant.id, agreement.id, files, actorOf(s)),
        );
        return c.redirect(`/admin/${s.tenant.id}/terms/${agreement.id}?done=published`, 303);
      } catch (error) {
        if (!(error instanceof PorticoError)) throw error;
        errors.form = error.text(s.lang);
      }
    }
    return agreementPage(c, s, agreement, { upload: chosen, errors, posted: 'version' }, 400);
  });

  app.get('/admin/:tenant/terms/:id/delete', guard.signedIn('settings'), async (c) => {
    const s = c.var.signed;
    const agreement = await getAgreement(store.db, s.tenant.id, c.req.param('id'));
    if (!agreement) return notFound(c, s);
    return c.html(<DeleteTermsPage {...shellOf(s)} agreement={agreement} />);
  });

  app.post('/admin/:tenant/terms/:id/delete', guard.posted('settings'), async (c) => {
    const s = c.var.posted;
    const agreement = await getAgreement(store.db, s.tenant.id, c.req.param('id'));
    if (!agreement) return notFound(c, s);
    await store.transaction((tx) => removeAgreement(tx, clock, s.tenant.id, agreement.id, actorOf(s)));
    return c.redirect(`/admin/${s.tenant.id}/terms?deleted=1`, 303);
  });

  // A version's file in one language, exactly (no fallback), as what it is: never as a page of the admin center.
  app.get('/admin/:tenant/terms/:id/files/:version/:language', guard.signedIn('view'), async (c) => {
    const s = c.var.signed;
    const version = c.req.param('version');
    const language = c.req.param('language');
    const file = /^\d{1,9}$/.test(version)
      ? await fileFor(store.db, s.tenant.id, c.req.param('id'), Number(version), language)
      : undefined;
    if (!file || file.language.toLowerCase() !== language.toLowerCase()) return notFound(c, s);
    return c.body(new Uint8Array(file.content), 200, {
      'content-type': file.contentType === 'application/pdf' ? file.contentType : `${file.contentType}; charset=utf-8`,
      'content-disposition': contentDisposition(
        file.fileName,
        c.req.query('download') === '1' ? 'attachment' : 'inline',
      ),
      'content-language': file.language,
      'x-content-type-options': 'nosniff',
    });
  });

  app.get('/admin/:tenant/terms/:id/acceptances.csv', guard.signedIn('view'), async (c) => {
    const s = c.var.signed;
    const agreement = await getAgreement(store.db, s.tenant.id, c.req.param('id'));
    if (!agreement) return notFound(c, s);
    const rows = await listAcceptances(store.db, s.tenant.id, agreement.id);
    const head = [
      'userDisplayName',
      'userPrincipalName',
      'userEmail',
      'userId',
      'version',
      'state',
      'recordedDateTime',
      'expirationDateTime',
    ];
    const lines = rows.map((x) =>
      [
        x.userDisplayName ?? '',
        x.userPrincipalName ?? '',
        x.userEmail ?? '',
        x.userId,
        x.version,
        x.state,
        x.recordedDateTime,
        x.expirationDateTime ?? '',
      ]
        .map(csvCell)
        .join(','),
    );
    return c.body([head.join(','), ...lines].join('\n') + '\n', 200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': contentDisposition(`acceptances-${agreement.id}.csv`, 'attachment'),
      'x-content-type-options': 'nosniff',
    });
  });

  return app;
}
