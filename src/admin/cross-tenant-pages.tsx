// The cross-tenant access section's first page: the default settings in a sentence with the link to their page, the
// organizations with settings of their own (what each says of B2B collaboration inbound and outbound and of MFA from
// there, a link to its settings and a Remove button that asks first), and the form that adds one.
import { t } from '../i18n/index.ts';
import { Csrf } from '../pages/csrf.tsx';
import { Submit } from '../pages/fields.tsx';
import { Table } from '../pages/table.tsx';
import { ConfirmLink } from './confirm.tsx';
import { orgName, type Partner } from './cross-tenant-settings.tsx';
import { TextField } from './form-field.tsx';
import { PageLayout, type Shell } from './pages.tsx';

/** One organization's row: each cell's words (own setting or "inherited: ..."). */
export interface PartnerRow extends Partner {
  inbound: string;
  outbound: string;
  trust: string;
}

export function PartnersPage({
  lang,
  tenant,
  user,
  csrf,
  defaults,
  partners,
  organization,
  error,
  notice,
}: Shell & {
  /** the default settings in words */
  defaults: { inbound: string; outbound: string; trust: string };
  partners: PartnerRow[];
  organization: string;
  error?: string;
  notice?: string;
}) {
  const base = `/admin/${tenant.id}/cross-tenant`;
  return (
    <PageLayout page={{ lang, tenant, user, csrf }} section="crossTenant" title={t(lang, 'admin.crossTenant')}>
      {notice && <p role="status">{notice}</p>}
      <p>{t(lang, 'admin.xtap.intro')}</p>
      <h2>{t(lang, 'admin.xtap.default')}</h2>
      <ul>
        <li>{t(lang, 'admin.xtap.list.inbound', { value: defaults.inbound })}</li>
        <li>{t(lang, 'admin.xtap.list.outbound', { value: defaults.outbound })}</li>
        <li>{t(lang, 'admin.xtap.list.trust', { value: defaults.trust })}</li>
      </ul>
      <p>
        <a href={`${base}/default`}>{t(lang, 'admin.xtap.list.editDefault')}</a>
      </p>
      <h2>{t(lang, 'admin.xtap.partners')}</h2>
      <Table
        rows={partners}
        empty={t(lang, 'admin.xtap.noPartners')}
        columns={[
          {
            label: t(lang, 'admin.xtap.col.org'),
            cell: (p) => <a href={`${base}/partners/${p.tenantId}`}>{p.name ?? t(lang, 'admin.xtap.unknownOrg')}</a>,
          },
          { label: t(lang, 'admin.xtap.col.tenantId'), cell: (p) => p.tenantId },
          { label: t(lang, 'admin.xtap.col.inbound'), cell: (p) => p.inbound },
          { label: t(lang, 'admin.xtap.col.outbound'), cell: (p) => p.outbound },
          { label: t(lang, 'admin.xtap.col.trust'), cell: (p) => p.trust },
          {
            label: t(lang, 'admin.xtap.pick.actions'),
            cell: (p) => (
              <ConfirmLink
                action={`${base}/partners/${p.tenantId}/remove`}
                label={t(lang, 'admin.xtap.pick.remove')}
                ariaLabel={t(lang, 'admin.xtap.pick.removeOne', { name: orgName(p) })}
              />
            ),
          },
        ]}
      />
      <h3>{t(lang, 'admin.xtap.add')}</h3>
      <form method="post" action={`${base}/partners`}>
        <Csrf value={csrf} />
        <TextField
          id="organization"
          label={t(lang, 'admin.xtap.organization')}
          errors={error ? { organization: error } : {}}
          required
          maxlength={300}
          value={organization}
        />
        <Submit label={t(lang, 'admin.xtap.addSubmit')} />
      </form>
    </PageLayout>
  );
}
