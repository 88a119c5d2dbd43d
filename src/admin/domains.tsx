// The admin center's domains page: the tenant's domains, adding one, the TXT record that proves it, Verify,
// Unverify and Remove. Changes go through the same domain functions as /v1.0/domains, which record the audit events.
import { Hono, type Context } from 'hono';

import {
  addDomain,
  dnsTxtLookup,
  getDomain,
  removeDomain,
  TXT_TTL,
  unverifyDomain,
  verificationText,
  verifyDomain,
} from '../directory/domains.ts';
import { isDomainName, listDomains, type TenantDomain } from '../directory/tenants.ts';
import { PorticoError, ServiceUnavailable } from '../errors.ts';
import { t, type Lang, type Messages } from '../i18n/index.ts';
import { Csrf } from '../pages/csrf.tsx';
import { Alert, Submit } from '../pages/fields.tsx';
import { Properties, Table } from '../pages/table.tsx';
import type { Services } from '../services.ts';
import { actorOf, shellOf, type AdminEnv, type AdminGuard, type Signed } from './guard.tsx';
import { PageLayout, type Shell } from './pages.tsx';
import { can } from './roles.ts';

type Page = Shell;
const DONE = {
  added: 'admin.domains.added',
  verified: 'admin.domains.verifiedDone',
  unverified: 'admin.domains.unverifiedDone',
} as const;
type Done = keyof typeof DONE;
const ERRORS: Record<string, keyof Messages> = {
  invalid: 'admin.domains.err.invalid',
  reserved: 'admin.domains.err.reserved',
  tooMany: 'admin.domains.err.tooMany',
  exists: 'admin.domains.err.exists',
  missing: 'admin.domains.err.missing',
  mismatch: 'admin.domains.err.mismatch',
  taken: 'admin.domains.err.taken',
  inUse: 'admin.domains.err.inUse',
  initial: 'admin.domains.initialNote',
};

const status = (lang: Lang, d: TenantDomain) =>
  t(lang, d.isInitial ? 'admin.domains.initial' : d.isVerified ? 'admin.domains.verified' : 'admin.domains.unverified');

function DomainsPage({
  p,
  domains,
  canEdit,
  name = '',
  error,
  removed,
}: {
  p: Page;
  domains: TenantDomain[];
  canEdit: boolean;
  name?: string;
  error?: string;
  removed?: string;
}) {
  const base = `/admin/${p.tenant.id}/domains`;
  return (
    <PageLayout page={p} section="domains" title={t(p.lang, 'admin.domains')}>
      {removed && <p role="status">{t(p.lang, 'admin.domains.removed', { name: removed })}</p>}
      <p>{t(p.lang, 'admin.domains.intro', { initial: p.tenant.initialDomain })}</p>
      {/* a tenant always has its initial domain */}
      <Table
        rows={domains}
        columns={[
          { label: t(p.lang, 'admin.domains.col.name'), cell: (d) => <a href={`${base}/${d.name}`}>{d.name}</a> },
          { label: t(p.lang, 'admin.domains.col.status'), cell: (d) => status(p.lang, d) },
        ]}
      />
      {canEdit ? (
        <form method="post" action={base}>
          <h2>{t(p.lang, 'admin.domains.add')}</h2>
          <Csrf value={p.csrf} />
          <label for="name">{t(p.lang, 'admin.domains.name')}</label>
          <p id="name-hint" class="muted">
            {t(p.lang, 'admin.domains.nameHint')}
          </p>
          <input
            id="name"
            name="name"
            type="text"
            required
            value={name}
            spellcheck={false}
            aria-invalid={error ? 'true' : undefined}
            aria-describedby={error ? 'name-hint name-error' : 'name-hint'}
          />
          <Alert id="name-error" text={error} />
          <Submit label={t(p.lang, 'admin.domains.addSubmit')} />
        </form>
      ) : (
        <p class="muted">{t(p.lang, 'admin.domains.readOnly')}</p>
      )}
    </PageLayout>
  );
}

function DomainPage({
  p,
  domain,
  text,
  link,
  canEdit,
  done,
  error,
}: {
  p: Page;
  domain: TenantDomain;
  text: string;
  link: string;
  canEdit: boolean;
  done?: Done;
  error?: string;
}) {
  const base = `/admin/${p.tenant.id}/domains`;
  const { name } = domain;
  const action = (path: string, label: keyof Messages, cls?: string) => (
    <form method="post" action={`${base}/${name}/${path}`}>
      <Csrf value={p.csrf} />
      <Submit label={t(p.lang, label)} class={cls} />
    </form>
  );
  return (
    <PageLayout page={p} section="domains" title={name}>
      {done && <p role="status">{t(p.lang, DONE[done], { name })}</p>}
      <Alert text={error} />
      <p>
        <a href={base}>{t(p.lang, 'admin.domains.back')}</a>
      </p>
      <p>
        {t(p.lang, 'admin.domains.col.status')}: <strong>{status(p.lang, domain)}</strong>
      </p>
      {domain.isInitial ? (
        <p>{t(p.lang, 'admin.domains.initialNote')}</p>
      ) : domain.isVerified ? (
        <>
          <p>{t(p.lang, 'admin.domains.verifiedNote', { name, link, tenant: p.tenant.displayName })}</p>
          {canEdit && (
            <>
              <p class="muted">{t(p.lang, 'admin.domains.unverifyNote', { tenant: p.tenant.displayName })}</p>
              {action('unverify', 'admin.domains.unverify', 'secondary')}
            </>
          )}
        </>
      ) : (
        <>
          <p>{t(p.lang, 'admin.domains.publish', { name })}</p>
          <Properties
            rows={[
              [t(p.lang, 'admin.domains.rec.type'), 'TXT'],
              [t(p.lang, 'admin.domains.rec.host'), t(p.lang, 'admin.domains.rec.hostHint', { name })],
              [t(p.lang, 'admin.domains.rec.value'), <code id="txt-value">{text}</code>],
              [t(p.lang, 'admin.domains.rec.ttl'), TXT_TTL],
            ]}
          />
          {canEdit && action('verify', 'admin.domains.verify')}
        </>
      )}
      {canEdit && !domain.isInitial && (
        <form method="get" action={`${base}/${name}/remove`}>
          <Submit label={t(p.lang, 'admin.domains.remove')} class="secondary danger" />
        </form>
      )}
    </PageLayout>
  );
}

function RemovePage({ p, domain }: { p: Page; domain: TenantDomain }) {
  const at = `/admin/${p.tenant.id}/domains/${domain.name}`;
  return (
    <PageLayout page={p} section="domains" title={t(p.lang, 'admin.domains.removeTitle', { name: domain.name })}>
      <p>{t(p.lang, 'admin.domains.removeConfirm', { name: domain.name, tenant: p.tenant.displayName })}</p>
      <form method="post" action={`${at}/remove`}>
        <Csrf value={p.csrf} />
        <Submit
          label={t(p.lang, 'admin.domains.removeSubmit')}
          back={{ href: at, label: t(p.lang, 'admin.domains.cancel') }}
          class="danger"
        />
      </form>
    </PageLayout>
  );
}

export function domainsRoutes(services: Services, guard: AdminGuard) {
  const { store, clock, config } = services;
  const app = new Hono<AdminEnv>();
  const lookup = dnsTxtLookup(config.dnsServers);
  const pageOf: (s: Signed) => Page = shellOf;
  const canEdit = (s: Signed) => can(s.admin.user.roles, 'settings');
  const base = (s: Signed) => `/admin/${s.tenant.id}/domains`;

  /** What the page says about a refusal: the reason's own message where the domain gave one. */
  const messageOf = (s: Signed, error: PorticoError, name: string) => {
    const key = ERRORS[String(error.details?.reason)];
    if (key) return t(s.lang, key, { name, suffix: config.domainSuffix });
    return error instanceof ServiceUnavailable ? t(s.lang, 'admin.domains.err.dns', { name }) : error.text(s.lang);
  };

  async function listPage(
    c: Context<AdminEnv>,
    s: Signed,
    shown: { name?: string; error?: string } = {},
    code: 200 | 400 = 200,
  ) {
    const removed = c.req.query('removed');
    return c.html(
      <DomainsPage
        p={pageOf(s)}
        domains={await listDomains(store.db, s.tenant.id)}
        canEdit={canEdit(s)}
        name={shown.name}
        error={shown.error}
        removed={code === 200 && removed && isDomainName(removed) ? removed : undefined}
      />,
      code,
    );
  }

  async function domainPage(
    c: Context<AdminEnv>,
    s: Signed,
    domain: TenantDomain,
    error?: string,
    code: 200 | 400 | 503 = 200,
  ) {
    const done = code === 200 ? (Object.keys(DONE) as Done[]).find((k) => k === c.req.query('done')) : undefined;
    return c.html(
      <DomainPage
        p={pageOf(s)}
        domain={domain}
        text={await verificationText(store.db, s.tenant.id, domain.name)}
        link={`${config.baseUrl}/myapps/${domain.name}`}
        canEdit={canEdit(s)}
        done={done}
        error={error}
      />,
      code,
    );
  }

  app.get('/admin/:tenant/domains', guard.signedIn('view'), async (c) => {
    const s = c.var.signed;
    return listPage(c, s);
  });

  app.post('/admin/:tenant/domains', guard.posted('settings'), async (c) => {
    const s = c.var.posted;
    const name = typeof s.form.name === 'string' ? s.form.name.trim().slice(0, 300) : '';
    try {
      const added = await store.transaction((tx) =>
        addDomain(tx, clock, s.tenant.id, name, config.domainSuffix, actorOf(s)),
      );
      return c.redirect(`${base(s)}/${added.name}?done=added`, 303);
    } catch (error) {
      if (!(error instanceof PorticoError)) throw error;
      return listPage(c, s, { name, error: messageOf(s, error, name.toLowerCase()) }, 400);
    }
  });

  app.get('/admin/:tenant/domains/:name', guard.signedIn('view'), async (c) => {
    const s = c.var.signed;
    const domain = await getDomain(store.db, s.tenant.id, c.req.param('name'));
    return domain ? domainPage(c, s, domain) : c.notFound();
  });

  app.get('/admin/:tenant/domains/:name/remove', guard.signedIn('settings'), async (c) => {
    const s = c.var.signed;
    const domain = await getDomain(store.db, s.tenant.id, c.req.param('name'));
    return domain && !domain.isInitial ? c.html(<RemovePage p={pageOf(s)} domain={domain} />) : c.notFound();
  });

  /** A POST on one domain: runs `change`, then back to its page (or the list), or its page with the refusal. */
  const change = (path: string, run: (s: Signed, name: string) => Promise<string>) =>
    app.post(`/admin/:tenant/domains/:name/${path}`, guard.posted('settings'), async (c) => {
      const s = c.var.posted;
      const domain = await getDomain(store.db, s.tenant.id, c.req.param('name'));
      if (!domain) return c.notFound();
      try {
        return c.redirect(await run(s, domain.name), 303);
      } catch (error) {
        if (!(error instanceof PorticoError)) throw error;
        const current = (await getDomain(store.db, s.tenant.id, domain.name)) ?? domain;
        return domainPage(
          c,
          s,
          current,
          messageOf(s, error, domain.name),
          error instanceof ServiceUnavailable ? 503 : 400,
        );
      }
    });

  change('verify', async (s, name) => {
    await verifyDomain(store, clock, s.tenant.id, name, lookup, actorOf(s));
    return `${base(s)}/${name}?done=verified`;
  });
  change('unverify', async (s, name) => {
    await store.transaction((tx) => unverifyDomain(tx, clock, s.tenant.id, name, actorOf(s)));
    return `${base(s)}/${name}?done=unverified`;
  });
  change('remove', async (s, name) => {
    await store.transaction((tx) => removeDomain(tx, clock, s.tenant.id, name, actorOf(s)));
    return `${base(s)}?removed=${name}`;
  });

  return app;
}
