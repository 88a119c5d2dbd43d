// The admin center's terms of use on both stores: terms created from an uploaded file are what a redeeming guest
// reads and accepts; the acceptance report and its CSV list the guest; a new version from the page asks again at
// the next sign-in; settings take effect; deleting asks nothing more. Files are served as what they are, never as a
// page; bad uploads are refused at the field; a wrong CSRF value and a Guest Inviter change nothing.
import assert from 'node:assert/strict';
import { afterEach, before, it } from 'node:test';

import { GUEST_INVITER } from '../../src/admin/roles.ts';
import {
  createAgreement,
  deleteAgreement,
  getAgreement,
  listAgreements,
  listAllFiles,
  MAX_TERMS_FILE_BYTES,
  recordAcceptance,
} from '../../src/consent/terms.ts';
import { listAudit } from '../../src/directory/audit.ts';
import { grantRoles, openAdmin } from '../helpers/admin.ts';
import { seedMembers, tenantWithApi, type TenantApi } from '../helpers/api.ts';
import { relyingParty } from '../helpers/federation.ts';
import { mailedCode, openLink, submit, type Redeemer } from '../helpers/redeem.ts';
import { type TestServer } from '../helpers/server.ts';
import { CookieJar, follow, formAction, post, postForm, request } from '../helpers/signin.ts';
import { suite } from '../helpers/suite.ts';

const PASSWORD = 'correct-horse-battery';
const unescape = (html: string) =>
  html
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');
const csrfOf = (page: string) => /name="csrf" value="([^"]+)"/.exec(page)![1]!;
type Upload = { name: string; content: string | Buffer };

suite('admin center terms of use', { runWorker: false }, ({ s }) => {
  let t: TenantApi;
  let termsUrl: string;
  // Signed in before any terms exist: with terms, every sign-in (the admin center's too) asks for them first.
  const admin = new CookieJar();
  const inviter = new CookieJar();
  let csrf: string;
  let inviterCsrf: string;
  let db: TestServer['portico']['services']['store']['db'];
  before(async () => {
    db = s.portico.services.store.db;
    t = await tenantWithApi(s, 'Contoso', { domain: 'contoso.example', adminEmail: 'admin@contoso.example' });
    termsUrl = `${s.baseUrl}/admin/${t.tenantId}/terms`;
    const ivy = (
      await t.api('POST', '/v1.0/users', {
        accountEnabled: true,
        displayName: 'ivy',
        mailNickname: 'ivy',
        userPrincipalName: 'ivy@contoso.example',
        passwordProfile: { password: PASSWORD },
      })
    ).body;
    await grantRoles(t, ivy.id, [GUEST_INVITER]);
    csrf = csrfOf(
      (await openAdmin(s, admin, termsUrl, { email: 'admin@contoso.example', password: t.adminPassword })).page,
    );
    inviterCsrf = csrfOf(
      (await openAdmin(s, inviter, termsUrl, { email: 'ivy@contoso.example', password: PASSWORD })).page,
    );
  });
  afterEach(async () => {
    const { store } = s.portico.services;
    for (const a of await listAgreements(store.db, t.tenantId))
      await store.transaction((tx) => deleteAgreement(tx, t.tenantId, a.id));
  });

  const open = (url: string, jar = admin) => openAdmin(s, jar, url);
  const agreements = () => listAgreements(db, t.tenantId);
  const activities = async () =>
    (await listAudit(db, t.tenantId, { top: 100 })).map(
      (e) => `${e.activityDisplayName} by ${e.initiatedBy.kind === 'user' ? e.initiatedBy.userPrincipalName : '?'}`,
    );
  /** Posts a multipart form as the browser does, files with their names. */
  function upload(url: string, fields: Record<string, string>, files: Record<string, Upload> = {}, jar = admin) {
    const body = new FormData();
    for (const [k, v] of Object.entries(fields)) body.append(k, v);
    for (const [k, f] of Object.entries(files))
      body.append(k, new Blob([typeof f.content === 'string' ? f.content : new Uint8Array(f.content)]), f.name);
    return post(jar, url, { body });
  }
  const create = (fields: Record<string, string>, files: Record<string, Upload>, jar = admin, token = csrf) =>
    upload(
      `${termsUrl}/new`,
      {
        csrf: token,
        displayName: 'Contoso guest terms',
        reacceptDays: '',
        language0: 'en-US',
        language1: '',
        language2: '',
        ...fields,
      },
      files,
      jar,
    );
  const createdId = (res: Response) => {
    assert.equal(res.status, 303);
    const m = new RegExp(`^/admin/${t.tenantId}/terms/([0-9a-f-]{36})\\?done=created$`).exec(
      res.headers.get('location') ?? '',
    );
    assert.ok(m, res.headers.get('location') ?? 'no location');
    return m[1]!;
  };
  /** A guest invited by API, redeeming by passcode up to the page after consent. */
  async function redeemToTerms(email: string): Promise<Redeemer & { location?: string; userId: string }> {
    const inv = (
      await t.api('POST', '/v1.0/invitations', {
        invitedUserEmailAddress: email,
        inviteRedirectUrl: 'https://x.example/',
      })
    ).body;
    const code = await submit(s, await openLink(s, inv.inviteRedeemUrl), '/redeem/start');
    const consent = await submit(s, code, '/redeem/passcode', { code: await mailedCode(s, email) });
    return { ...(await submit(s, consent, '/redeem/consent', { decision: 'accept' })), userId: inv.invitedUser.id };
  }
  const fieldError = (html: string, id: string, message: string) =>
    unescape(html).includes(`id="${id}-error" class="error" role="alert">${message}`) &&
    new RegExp(`id="${id}"[^>]*aria-invalid="true"`).test(html);

  it('creates terms from an uploaded file; a redeeming guest accepts them; the report, the CSV, a new version and delete all follow', async () => {
    const empty = await open(termsUrl);
    assert.match(empty.page, /There are no terms of use yet/);
    assert.match(empty.page, /aria-current="page"[^>]*>Terms of use/);
    const form = await open(`${termsUrl}/new`);
    assert.equal(form.status, 200);
    assert.match(form.page, /enctype="multipart\/form-data"/);
    for (const id of ['displayName', 'mustView', 'reacceptDays', 'file0', 'language0', 'file1', 'language1'])
      assert.match(form.page, new RegExp(`<label for="${id}"`), `${id} is labelled`);
    assert.match(form.page, /<input id="file0" name="file0" type="file"/);
    assert.match(form.page, /<option value="de-DE">German \(Germany\) \(de-DE\)<\/option>/);

    const id = createdId(
      await create(
        { language1: 'de-DE' },
        {
          file0: { name: 'terms.txt', content: 'Be nice to each other.\n\nNo <b>bold</b> moves.' },
          file1: { name: 'bedingungen.md', content: '# Seien Sie nett\n\n<script>alert(1)</script>' },
        },
      ),
    );
    const stored = (await getAgreement(db, t.tenantId, id))!;
    assert.deepEqual(
      [stored.displayName, stored.version, stored.isViewingBeforeAcceptanceRequired, stored.reacceptDays],
      ['Contoso guest terms', 1, false, null],
    );
    assert.deepEqual(
      (await listAllFiles(db, t.tenantId, id)).map((f) => [
        f.version,
        f.language,
        f.fileName,
        f.contentType,
        f.isDefault,
      ]),
      [
        [1, 'en-US', 'terms.txt', 'text/plain', true],
        [1, 'de-DE', 'bedingungen.md', 'text/markdown', false],
      ],
    );
    assert.ok((await activities()).includes('Create agreement by admin@contoso.example'));

    const page = await open(`${termsUrl}/${id}?done=created`);
    assert.match(page.page, /role="status" class="identity">The terms of use were created/);
    assert.match(page.page, /A new version makes every user accept the terms again/);
    assert.match(page.page, /<th scope="row">Languages<\/th><td>en-US, de-DE<\/td>/);
    assert.doesNotMatch(page.page, /Be nice to each other|<script>alert/, 'uploaded text is never put into the page');

    // Each file as what it is: plain text and Markdown never as HTML, inline to view or as an attachment.
    const txt = await request(admin, `${termsUrl}/${id}/files/1/en-US`);
    assert.equal(txt.status, 200);
    assert.equal(txt.headers.get('content-type'), 'text/plain; charset=utf-8');
    assert.equal(txt.headers.get('x-content-type-options'), 'nosniff');
    assert.match(txt.headers.get('content-disposition')!, /^inline; filename="terms\.txt"/);
    assert.equal(await txt.text(), 'Be nice to each other.\n\nNo <b>bold</b> moves.');
    const md = await request(admin, `${termsUrl}/${id}/files/1/de-DE?download=1`);
    assert.equal(md.headers.get('content-type'), 'text/markdown; charset=utf-8');
    assert.match(md.headers.get('content-disposition')!, /^attachment; filename="bedingungen\.md"/);
    assert.equal(md.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(
      (await request(admin, `${termsUrl}/${id}/files/1/fr-FR`)).status,
      404,
      'no fallback to another language',
    );
    assert.equal((await request(admin, `${termsUrl}/${id}/files/2/en-US`)).status, 404);

    // A guest redeeming by passcode reads those terms (escaped) and accepts.
    const guest = await redeemToTerms('gus@partner.example');
    assert.match(guest.page, /Contoso guest terms/);
    assert.match(guest.page, /Be nice to each other\./);
    assert.match(guest.page, /No &lt;b&gt;bold&lt;\/b&gt; moves\./);
    const accepted = await submit(s, guest, '/redeem/terms', { decision: 'accept' });
    assert.equal(accepted.location, `${s.baseUrl}/myapps?tenantid=${t.tenantId}`);

    const guestUpn = (await t.api('GET', `/v1.0/users/${guest.userId}`)).body.userPrincipalName as string;
    const report = await open(`${termsUrl}/${id}`);
    assert.match(
      unescape(report.page),
      new RegExp(`<tr><td>gus</td><td>${guestUpn.replace(/[#.]/g, '\\$&')}</td><td>1</td><td>Accepted</td><td><time`),
    );
    assert.match(
      (await open(termsUrl)).page,
      /Contoso guest terms<\/a><\/td><td>1<\/td><td>en-US, de-DE<\/td><td>No<\/td><td>Once per version<\/td><td>1<\/td>/,
    );
    const csv = await request(admin, `${termsUrl}/${id}/acceptances.csv`);
    assert.equal(csv.headers.get('content-type'), 'text/csv; charset=utf-8');
    assert.match(csv.headers.get('content-disposition')!, /^attachment; filename="acceptances-/);
    const lines = (await csv.text()).trim().split('\n');
    assert.equal(
      lines[0],
      'userDisplayName,userPrincipalName,userEmail,userId,version,state,recordedDateTime,expirationDateTime',
    );
    assert.equal(lines.length, 2);
    assert.match(
      lines[1]!,
      new RegExp(
        `^"gus","${guestUpn.replace(/[#.]/g, '\\$&')}","gus@partner\\.example","${guest.userId}","1","accepted","\\d{4}-`,
      ),
    );

    // Version 2 from the page: the guest's next sign-in to an app (their Portico session, no password) asks again.
    const rp = await relyingParty(s, t.tenantId);
    const signIn = async () => follow(guest.jar, (await rp.authorize()).url, s.baseUrl);
    const published = await upload(
      `${termsUrl}/${id}/versions`,
      { csrf, language0: 'en-US', language1: '', language2: '' },
      { file0: { name: 'terms-v2.txt', content: 'Version two: be even nicer.' } },
    );
    assert.equal(published.status, 303);
    assert.equal(published.headers.get('location'), `/admin/${t.tenantId}/terms/${id}?done=published`);
    assert.equal((await getAgreement(db, t.tenantId, id))!.version, 2);
    assert.ok((await activities()).includes('Publish agreement version by admin@contoso.example'));
    assert.match((await open(`${termsUrl}/${id}?done=published`)).page, /Version 2 was published/);
    const asked = await signIn();
    const termsPage = await asked.res!.text();
    assert.match(termsPage, /Version two: be even nicer\./);
    const answered = await postForm(guest.jar, new URL(formAction(termsPage, '/terms'), s.baseUrl).toString(), {
      csrf: csrfOf(termsPage),
      decision: 'accept',
    });
    assert.ok(
      (
        await follow(guest.jar, new URL(answered.headers.get('location')!, s.baseUrl).toString(), s.baseUrl)
      ).url.startsWith('http://127.0.0.1:1/callback?code='),
    );
    assert.match((await open(`${termsUrl}/${id}`)).page, /<td>2<\/td><td>Accepted<\/td>/);

    // Delete: a confirmation page whose form works without JavaScript; then nobody is asked.
    const confirm = await open(`${termsUrl}/${id}/delete`);
    assert.match(unescape(confirm.page), /Deleting "Contoso guest terms" removes every version/);
    assert.match(confirm.page, new RegExp(`<form method="post" action="/admin/${t.tenantId}/terms/${id}/delete">`));
    const deleted = await postForm(admin, `${termsUrl}/${id}/delete`, { csrf });
    assert.equal(deleted.status, 303);
    assert.equal(await getAgreement(db, t.tenantId, id), undefined);
    assert.ok((await activities()).includes('Delete agreement by admin@contoso.example'));
    assert.match(
      (await open(new URL(deleted.headers.get('location')!, s.baseUrl).toString())).page,
      /role="status">The terms of use were deleted/,
    );
    const next = await redeemToTerms('nina@partner.example');
    assert.equal(
      next.location,
      `${s.baseUrl}/myapps?tenantid=${t.tenantId}`,
      'consent completes the redemption: no terms asked',
    );
  });

  it('saves settings without a new version, and the flow follows them', async () => {
    const id = createdId(await create({}, { file0: { name: 'terms.txt', content: 'Read me.' } }));
    const page = await open(`${termsUrl}/${id}`);
    assert.match(page.page, /id="displayName"[^>]*value="Contoso guest terms"/);
    assert.match(page.page, /<input id="mustView" name="mustView" type="checkbox" value="1"\/>/);
    const saved = await postForm(admin, `${termsUrl}/${id}`, {
      csrf,
      displayName: 'Guest rules',
      mustView: '1',
      reacceptDays: '30',
    });
    assert.equal(saved.status, 303);
    const stored = (await getAgreement(db, t.tenantId, id))!;
    assert.deepEqual(
      [stored.displayName, stored.isViewingBeforeAcceptanceRequired, stored.reacceptDays, stored.version],
      ['Guest rules', true, 30, 1],
    );
    const event = (await listAudit(db, t.tenantId, { top: 20 })).find(
      (e) => e.activityDisplayName === 'Update agreement',
    );
    assert.deepEqual(event?.additionalDetails, [
      { key: 'properties', value: 'displayName,isViewingBeforeAcceptanceRequired,userReacceptRequiredFrequency' },
    ]);
    const shown = await open(new URL(saved.headers.get('location')!, s.baseUrl).toString());
    assert.match(shown.page, /The settings were saved/);
    assert.match(shown.page, /<input id="mustView" name="mustView" type="checkbox" value="1" checked/);
    assert.match(shown.page, /id="reacceptDays"[^>]*value="30"/);
    assert.match(shown.page, /<td>Every 30 days<\/td>/);

    // The guest now must tick "I have read" and sees the new name; the acceptance counts for 30 days.
    const guest = await redeemToTerms('vic@partner.example');
    assert.match(guest.page, /Guest rules/);
    assert.match(guest.page, /name="viewed"/);
    assert.equal((await submit(s, guest, '/redeem/terms', { decision: 'accept' })).status, 400);
    assert.ok((await submit(s, guest, '/redeem/terms', { decision: 'accept', viewed: '1' })).location);
    const report = await open(`${termsUrl}/${id}`);
    const [recorded, expires] = [...report.page.matchAll(/<time datetime="([^"]+)"/g)]
      .slice(-2)
      .map((m) => Date.parse(m[1]!));
    assert.equal(expires! - recorded!, 30 * 86_400_000);

    // Emptying the period asks once per version again.
    assert.equal(
      (await postForm(admin, `${termsUrl}/${id}`, { csrf, displayName: 'Guest rules', reacceptDays: '' })).status,
      303,
    );
    assert.deepEqual(
      [
        (await getAgreement(db, t.tenantId, id))!.reacceptDays,
        (await getAgreement(db, t.tenantId, id))!.isViewingBeforeAcceptanceRequired,
      ],
      [null, false],
    );
  });

  it('refuses bad uploads and settings with a 400 at the field, storing nothing', async () => {
    const txt = { name: 'terms.txt', content: 'Fine.' };
    const cases: [string, Record<string, string>, Record<string, Upload>, string, string][] = [
      ['no file', {}, {}, 'file0', 'Choose the terms file in the default language.'],
      [
        'an empty file input',
        {},
        { file0: { name: '', content: '' } },
        'file0',
        'Choose the terms file in the default language.',
      ],
      [
        'a wrong type',
        {},
        { file0: { name: 'terms.html', content: '<h1>Hi</h1>' } },
        'file0',
        'Upload a PDF (.pdf), plain text (.txt) or Markdown (.md) file.',
      ],
      [
        'a fake PDF',
        {},
        { file0: { name: 'terms.pdf', content: 'not a pdf' } },
        'file0',
        "'terms.pdf' is not a PDF file (it does not start with %PDF-).",
      ],
      [
        'a file too large',
        {},
        { file0: { name: 'big.txt', content: Buffer.alloc(MAX_TERMS_FILE_BYTES + 1, 'a') } },
        'file0',
        'This file is larger than 5 MB.',
      ],
      ['an unknown language', { language0: 'xx-YY' }, { file0: txt }, 'language0', 'Choose a language from the list.'],
      [
        'a second file without a language',
        {},
        { file0: txt, file1: txt },
        'language1',
        'Choose the language of this file.',
      ],
      [
        'one language twice',
        { language1: 'en-US' },
        { file0: txt, file1: txt },
        'language1',
        'Another file has this language already; give one file per language.',
      ],
      [
        're-accept days not a number',
        { reacceptDays: 'soon' },
        { file0: txt },
        'reacceptDays',
        'Enter a whole number of days from 1 to 3650, or leave the field empty.',
      ],
      [
        're-accept days zero',
        { reacceptDays: '0' },
        { file0: txt },
        'reacceptDays',
        'Enter a whole number of days from 1 to 3650, or leave the field empty.',
      ],
      [
        're-accept days too many',
        { reacceptDays: '3651' },
        { file0: txt },
        'reacceptDays',
        'Enter a whole number of days from 1 to 3650, or leave the field empty.',
      ],
      ['no name', { displayName: ' ' }, { file0: txt }, 'displayName', 'Enter a name of 1 to 256 characters.'],
    ];
    const before = (await activities()).length;
    for (const [what, fields, files, field, message] of cases) {
      const res = await create({ reacceptDays: '7', ...fields }, files);
      assert.equal(res.status, 400, what);
      const html = await res.text();
      assert.ok(
        fieldError(html, field, message),
        `${what}: ${message} at ${field}\n${unescape(html)
          .match(/role="alert">[^<]*/g)
          ?.join('\n')}`,
      );
      if (field !== 'reacceptDays')
        assert.match(html, /id="reacceptDays"[^>]*value="7"/, `${what}: the form keeps what was typed`);
    }
    // A body beyond every slot's largest file is refused before it is read.
    const huge = await create({}, { file0: { name: 'huge.txt', content: Buffer.alloc(17 * 1024 * 1024, 'a') } });
    assert.equal(huge.status, 413);
    assert.match(await huge.text(), /The upload is larger than 15 MB in all/);
    assert.deepEqual(await agreements(), []);
    assert.equal((await activities()).length, before, 'no audit event');

    // On an agreement: a bad version or bad settings change nothing either.
    const id = createdId(await create({}, { file0: txt }));
    const was = await getAgreement(db, t.tenantId, id);
    const version = await upload(
      `${termsUrl}/${id}/versions`,
      { csrf, language0: 'en-US' },
      { file0: { name: 'v2.exe', content: 'MZ' } },
    );
    assert.equal(version.status, 400);
    assert.ok(
      fieldError(await version.text(), 'file0', 'Upload a PDF (.pdf), plain text (.txt) or Markdown (.md) file.'),
    );
    const settings = await postForm(admin, `${termsUrl}/${id}`, { csrf, displayName: 'Renamed', reacceptDays: '-1' });
    assert.equal(settings.status, 400);
    const html = await settings.text();
    assert.ok(
      fieldError(html, 'reacceptDays', 'Enter a whole number of days from 1 to 3650, or leave the field empty.'),
    );
    assert.match(html, /id="displayName"[^>]*value="Renamed"/);
    assert.deepEqual(await getAgreement(db, t.tenantId, id), was);
    assert.equal((await listAllFiles(db, t.tenantId, id)).length, 1);
  });

  it('shows what an uploaded file is called escaped, and serves an HTML-looking file as text', async () => {
    const id = createdId(
      await create(
        {},
        { file0: { name: '"><img src=x onerror=alert(1)>.txt', content: '<html><script>alert(1)</script></html>' } },
      ),
    );
    const page = await open(`${termsUrl}/${id}`);
    assert.doesNotMatch(page.page, /<img src=x/);
    assert.match(page.page, /&quot;&gt;&lt;img src=x onerror=alert\(1\)&gt;\.txt/);
    const file = await request(admin, `${termsUrl}/${id}/files/1/en-US`);
    assert.equal(file.headers.get('content-type'), 'text/plain; charset=utf-8');
    assert.equal(file.headers.get('x-content-type-options'), 'nosniff');
    assert.match(
      file.headers.get('content-disposition')!,
      /^inline; filename="_><img src=x onerror=alert\(1\)>\.txt"; filename\*=UTF-8''%22%3E%3Cimg/,
    );
  });

  it('pages the acceptance report, and its CSV neutralises formulas', async () => {
    const { store, clock } = s.portico.services;
    const id = (
      await store.transaction((tx) =>
        createAgreement(tx, clock, t.tenantId, {
          displayName: 'Paged',
          isViewingBeforeAcceptanceRequired: false,
          files: [
            {
              fileName: 'p.txt',
              language: 'en-US',
              isDefault: true,
              contentType: 'text/plain',
              data: Buffer.from('P').toString('base64'),
            },
          ],
        }),
      )
    ).id;
    const people = await seedMembers(
      s,
      t.tenantId,
      Array.from({ length: 51 }, (_, i) => ({
        displayName: i === 0 ? '=HYPERLINK("https://evil.example")' : `Reader ${i}`,
        userPrincipalName: `reader${i}@contoso.example`,
      })),
    );
    await store.transaction(async (tx) => {
      for (const p of people) await recordAcceptance(tx, clock, t.tenantId, p.id, id, 1, 'accepted');
    });
    const rows = (html: string) => (html.match(/<td>Accepted<\/td>/g) ?? []).length;
    const first = await open(`${termsUrl}/${id}`);
    assert.equal(rows(first.page), 50);
    const next = /href="([^"]+\?after=[^"]+)"/.exec(first.page)?.[1]?.replace(/&amp;/g, '&');
    assert.ok(next, 'a next-page link');
    const second = await open(`${s.baseUrl}${next}`);
    assert.equal(rows(second.page), 1);
    assert.doesNotMatch(second.page, /\?after=/);
    const csv = await (await request(admin, `${termsUrl}/${id}/acceptances.csv`)).text();
    assert.equal(csv.trim().split('\n').length, 52);
    assert.match(csv, /^"'=HYPERLINK\(""https:\/\/evil\.example""\)","reader0@contoso\.example"/m);
  });

  it('refuses a wrong CSRF value', async () => {
    const id = createdId(await create({}, { file0: { name: 'terms.txt', content: 'Fine.' } }));
    const was = await getAgreement(db, t.tenantId, id);
    assert.equal(
      (await create({ csrf: 'forged', displayName: 'Forged' }, { file0: { name: 'terms.txt', content: 'Fine.' } }))
        .status,
      403,
    );
    assert.equal((await postForm(admin, `${termsUrl}/${id}`, { csrf: 'forged', displayName: 'Forged' })).status, 403);
    assert.equal(
      (
        await upload(
          `${termsUrl}/${id}/versions`,
          { csrf: 'forged', language0: 'en-US' },
          { file0: { name: 'v2.txt', content: 'Forged' } },
        )
      ).status,
      403,
    );
    assert.equal((await postForm(admin, `${termsUrl}/${id}/delete`, { csrf: 'forged' })).status, 403);
    assert.deepEqual(await agreements(), [was]);
    const german = await request(admin, `${termsUrl}/${id}`, { headers: { 'accept-language': 'de-DE' } });
    assert.match(await german.text(), /Mit einer neuen Version müssen alle Benutzer/);
  });

  it('lets a Guest Inviter read terms and reports but change nothing (403)', async () => {
    const id = createdId(await create({}, { file0: { name: 'terms.txt', content: 'Fine.' } }));
    const was = await getAgreement(db, t.tenantId, id);
    const list = await open(termsUrl, inviter);
    assert.equal(list.status, 200);
    assert.match(list.page, /Contoso guest terms/);
    assert.doesNotMatch(list.page, /terms\/new/);
    const page = await open(`${termsUrl}/${id}`, inviter);
    assert.equal(page.status, 200);
    assert.doesNotMatch(page.page, /action="[^"]*\/versions"|name="displayName"|\/delete"/);
    assert.equal((await request(inviter, `${termsUrl}/${id}/files/1/en-US`)).status, 200);
    assert.equal((await request(inviter, `${termsUrl}/${id}/acceptances.csv`)).status, 200);
    assert.equal((await open(`${termsUrl}/new`, inviter)).status, 403);
    assert.equal((await open(`${termsUrl}/${id}/delete`, inviter)).status, 403);
    const refused = await create({}, { file0: { name: 'terms.txt', content: 'Mine.' } }, inviter, inviterCsrf);
    assert.equal(refused.status, 403);
    assert.match(unescape(await refused.text()), /Your role doesn't allow this/);
    assert.equal(
      (await postForm(inviter, `${termsUrl}/${id}`, { csrf: inviterCsrf, displayName: 'Mine' })).status,
      403,
    );
    assert.equal(
      (
        await upload(
          `${termsUrl}/${id}/versions`,
          { csrf: inviterCsrf, language0: 'en-US' },
          { file0: { name: 'v2.txt', content: 'Mine' } },
          inviter,
        )
      ).status,
      403,
    );
    assert.equal((await postForm(inviter, `${termsUrl}/${id}/delete`, { csrf: inviterCsrf })).status, 403);
    assert.deepEqual(await agreements(), [was]);
    assert.equal((await listAllFiles(db, t.tenantId, id)).length, 1);
  });
});
