// A tenant's upstream identity providers in Graph's shapes: SAML / WS-Federation domains as
// samlOrWsFedExternalDomainFederation under /directory/federationConfigurations, Google and OpenID Connect under
// /identity/identityProviders. The rules live in src/federation/providers.ts; here: parsing, metadata import, shapes.
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';

import { READ_IDPS, WRITE_IDPS } from '../apps/permissions.ts';
import type { ChangeAs } from '../directory/audit.ts';
import { InvalidRequest, ObjectConflict, ResourceNotFound, UnsupportedQuery } from '../errors.ts';
import {
  domainName,
  externalDomain,
  MAX_METADATA_BYTES,
  oidcBody,
  oidcInput,
  samlBody,
  samlInput,
  samlKind,
  socialBody,
  socialInput,
} from '../federation/inputs.ts';
import {
  createProvider,
  deleteProvider,
  getProvider,
  listProviders,
  updateProvider,
  type IdentityProvider,
  type ProviderInput,
  type ProviderKind,
} from '../federation/providers.ts';
import type { Services } from '../services.ts';
import type { Db, Tx } from '../store/index.ts';
import { normalize } from '../store/json.ts';
import { requirePermission, type ApiEnv } from './auth.ts';
import { changeById } from './change.ts';
import { castSegment, collection, pageInMemory, readJson, readListQuery } from './odata.ts';

const FEDERATION = '/directory/federationConfigurations';
const SAML_SET = `${FEDERATION}/${castSegment('samlOrWsFedExternalDomainFederation')}`;
const IDPS = '/identity/identityProviders';
const SAML_TYPE = '#microsoft.graph.samlOrWsFedExternalDomainFederation';
const SOCIAL_TYPE = '#microsoft.graph.socialIdentityProvider';
const OIDC_TYPE = '#microsoft.graph.openIdConnectIdentityProvider';
const SAML_KINDS: ProviderKind[] = ['saml', 'wsfed'];
const IDP_KINDS: ProviderKind[] = ['google', 'oidc'];
const MAX_BODY = MAX_METADATA_BYTES;

const SAML_PROPERTIES = [
  'id',
  'displayName',
  'issuerUri',
  'metadataExchangeUri',
  'passiveSignInUri',
  'preferredAuthenticationProtocol',
  'signingCertificate',
  'signingCertificates',
  'domains',
  'isMfaTrusted',
];
const IDP_PROPERTIES = [
  'id',
  'displayName',
  'identityProviderType',
  'clientId',
  'clientSecret',
  'issuer',
  'metadataUrl',
  'scope',
  'responseType',
  'domains',
  'isMfaTrusted',
];

const annotated = z.looseObject({ '@odata.type': z.string().max(200).optional() });

const samlResource = (p: IdentityProvider) => ({
  '@odata.type': SAML_TYPE,
  id: p.id,
  displayName: p.displayName,
  issuerUri: p.issuerUri ?? null,
  metadataExchangeUri: p.metadataExchangeUri ?? null,
  passiveSignInUri: p.passiveSignInUri ?? null,
  preferredAuthenticationProtocol: p.kind === 'wsfed' ? 'wsFed' : 'saml',
  signingCertificate: p.signingCertificates?.[0] ?? null,
  signingCertificates: p.signingCertificates ?? [],
  domains: p.domains.map((d) => ({ id: d, name: d })),
  // Portico (issue #20): trusted for MFA (conditional-access/inbound-trust.ts)
  isMfaTrusted: p.isMfaTrusted === true,
});

// Graph never returns a client secret, only this mask.
const MASKED = '******';

const idpResource = (p: IdentityProvider) =>
  p.kind === 'google'
    ? {
        '@odata.type': SOCIAL_TYPE,
        id: p.id,
        displayName: p.displayName,
        identityProviderType: 'Google',
        clientId: p.clientId ?? null,
        clientSecret: MASKED,
      }
    : {
        '@odata.type': OIDC_TYPE,
        id: p.id,
        displayName: p.displayName,
        clientId: p.clientId ?? null,
        clientSecret: MASKED,
        issuer: p.issuerUri ?? null,
        metadataUrl: p.discoveryUrl ?? null,
        scope: p.scope ?? null,
        responseType: 'code',
        domains: p.domains,
        // Portico (issue #20): trusted for MFA (conditional-access/inbound-trust.ts)
        isMfaTrusted: p.isMfaTrusted === true,
      };

/** The kind an identityProviders body's @odata.type names (with or without Graph's leading '#'). */
function idpKindOf(type: string | undefined): 'google' | 'oidc' | undefined {
  const t = type && `#${type.replace(/^#/, '')}`;
  if (t === SOCIAL_TYPE) return 'google';
  if (t === OIDC_TYPE) return 'oidc';
  if (t !== undefined)
    throw new InvalidRequest('federation.odataTypeUnsupported', {
      type: type!.slice(0, 100),
      socialType: SOCIAL_TYPE,
      oidcType: OIDC_TYPE,
    });
  return undefined;
}

/** The provider input of an identityProviders body of `kind`, refusing what that kind does not have. */
async function idpInput(c: Context<ApiEnv>, kind: 'google' | 'oidc'): Promise<ProviderInput> {
  return kind === 'google' ? socialInput(await readJson(c, socialBody)) : oidcInput(await readJson(c, oidcBody));
}

/** Paging over a tenant's few providers, all read at once: $top, $skiptoken, $count and $select; no $filter. */
function pageOf<T extends { id: string }>(c: Context, rows: T[], selectable: string[]) {
  const q = readListQuery(c, selectable);
  if (q.filter) throw new UnsupportedQuery('query.providersFilter');
  return { page: pageInMemory(rows, q), select: q.select };
}

/** Deletes a provider of these kinds (a SAML one by the SAML address, others by identityProviders). */
const deleteOf =
  (kinds: ProviderKind[]): ChangeAs<void> =>
  async (tx, clock, tenantId, id, actor) => {
    const provider = await requireProvider(tx, tenantId, id, kinds);
    await deleteProvider(tx, clock, tenantId, provider.id, actor);
  };

async function requireProvider(
  db: Db | Tx,
  tenantId: string,
  id: string,
  kinds: ProviderKind[],
): Promise<IdentityProvider> {
  const provider = await getProvider(db, tenantId, id);
  if (!provider || !kinds.includes(provider.kind)) throw new ResourceNotFound('resource.notFound', { id });
  return provider;
}

export function federationRoutes(services: Services) {
  const { store, clock, config } = services;
  const app = new Hono<ApiEnv>();
  const context = (path: string) => `${config.baseUrl}/v1.0/$metadata#${path}`;
  const limit = bodyLimit({
    maxSize: MAX_BODY,
    onError: () => {
      throw new InvalidRequest('body.tooLargeMb', { size: MAX_BODY / 1024 / 1024 });
    },
  });
  const domainsPath = (id: string) =>
    `directory/federationConfigurations('${id}')/microsoft.graph.samlOrWsFedExternalDomainFederation/domains`;

  // Registered before `${FEDERATION}/:id`, which would otherwise take the type cast for an id.
  app.get(SAML_SET, requirePermission(...READ_IDPS), async (c) => {
    const rows = (await listProviders(store.db, c.get('principal').tenantId, SAML_KINDS)).map(samlResource);
    const { page, select } = pageOf(c, rows, SAML_PROPERTIES);
    return c.json(
      collection(
        c,
        config.baseUrl,
        'directory/federationConfigurations/microsoft.graph.samlOrWsFedExternalDomainFederation',
        page,
        select,
      ),
    );
  });

  app.post(SAML_SET, requirePermission(...WRITE_IDPS), limit, async (c) => {
    const { tenantId, actor } = c.get('principal');
    const body = await readJson(c, samlBody);
    const input = await samlInput(body);
    const created = await store.transaction((tx) =>
      createProvider(tx, clock, tenantId, samlKind(body.preferredAuthenticationProtocol), input, actor),
    );
    return c.json(
      { '@odata.context': context('directory/federationConfigurations/$entity'), ...samlResource(created) },
      201,
    );
  });

  app.get(`${FEDERATION}/:id`, requirePermission(...READ_IDPS), async (c) => {
    const provider = await requireProvider(store.db, c.get('principal').tenantId, c.req.param('id'), SAML_KINDS);
    return c.json({
      '@odata.context': context('directory/federationConfigurations/$entity'),
      ...samlResource(provider),
    });
  });

  app.patch(`${FEDERATION}/:id`, requirePermission(...WRITE_IDPS), limit, async (c) => {
    const { tenantId, actor } = c.get('principal');
    const current = await requireProvider(store.db, tenantId, c.req.param('id'), SAML_KINDS);
    const body = await readJson(c, samlBody);
    if (body.preferredAuthenticationProtocol && samlKind(body.preferredAuthenticationProtocol) !== current.kind) {
      throw new InvalidRequest('federation.protocolFixed');
    }
    const input = await samlInput(body);
    await store.transaction((tx) => updateProvider(tx, clock, tenantId, current.id, input, actor));
    return c.body(null, 204);
  });

  app.delete(`${FEDERATION}/:id`, requirePermission(...WRITE_IDPS), changeById(services, deleteOf(SAML_KINDS)));

  app.get(`${SAML_SET}/:id/domains`, requirePermission(...READ_IDPS), async (c) => {
    const provider = await requireProvider(store.db, c.get('principal').tenantId, c.req.param('id'), SAML_KINDS);
    return c.json(collection(c, config.baseUrl, domainsPath(provider.id), { items: samlResource(provider).domains }));
  });

  app.post(`${SAML_SET}/:id/domains`, requirePermission(...WRITE_IDPS), async (c) => {
    const { tenantId, actor } = c.get('principal');
    const domain = domainName(await readJson(c, externalDomain, { keepAnnotations: true }));
    await store.transaction(async (tx) => {
      const current = await requireProvider(tx, tenantId, c.req.param('id'), SAML_KINDS);
      if (current.domains.includes(domain))
        throw new ObjectConflict('federation.domainTaken', { domain, displayName: current.displayName });
      await updateProvider(tx, clock, tenantId, current.id, { domains: [...current.domains, domain] }, actor);
    });
    return c.json(
      { '@odata.context': `${context(domainsPath(c.req.param('id')))}/$entity`, id: domain, name: domain },
      201,
    );
  });

  app.delete(`${SAML_SET}/:id/domains/:domain`, requirePermission(...WRITE_IDPS), async (c) => {
    const { tenantId, actor } = c.get('principal');
    const domain = normalize(c.req.param('domain'));
    await store.transaction(async (tx) => {
      const current = await requireProvider(tx, tenantId, c.req.param('id'), SAML_KINDS);
      if (!current.domains.includes(domain))
        throw new ResourceNotFound('federation.domainNotOfProvider', { domain, displayName: current.displayName });
      await updateProvider(
        tx,
        clock,
        tenantId,
        current.id,
        { domains: current.domains.filter((d) => d !== domain) },
        actor,
      );
    });
    return c.body(null, 204);
  });

  app.get(IDPS, requirePermission(...READ_IDPS), async (c) => {
    const rows = (await listProviders(store.db, c.get('principal').tenantId, IDP_KINDS)).map(idpResource);
    const { page, select } = pageOf(c, rows, IDP_PROPERTIES);
    return c.json(collection(c, config.baseUrl, 'identity/identityProviders', page, select));
  });

  app.post(IDPS, requirePermission(...WRITE_IDPS), limit, async (c) => {
    const { tenantId, actor } = c.get('principal');
    const kind = idpKindOf((await readJson(c, annotated, { keepAnnotations: true }))['@odata.type']);
    if (!kind)
      throw new InvalidRequest('federation.odataTypeRequired', { socialType: SOCIAL_TYPE, oidcType: OIDC_TYPE });
    const input = await idpInput(c, kind);
    const created = await store.transaction((tx) => createProvider(tx, clock, tenantId, kind, input, actor));
    return c.json({ '@odata.context': context('identity/identityProviders/$entity'), ...idpResource(created) }, 201);
  });

  app.get(`${IDPS}/:id`, requirePermission(...READ_IDPS), async (c) => {
    const provider = await requireProvider(store.db, c.get('principal').tenantId, c.req.param('id'), IDP_KINDS);
    return c.json({ '@odata.context': context('identity/identityProviders/$entity'), ...idpResource(provider) });
  });

  app.patch(`${IDPS}/:id`, requirePermission(...WRITE_IDPS), limit, async (c) => {
    const { tenantId, actor } = c.get('principal');
    const current = await requireProvider(store.db, tenantId, c.req.param('id'), IDP_KINDS);
    const kind = current.kind as 'google' | 'oidc';
    const named = idpKindOf((await readJson(c, annotated, { keepAnnotations: true }))['@odata.type']);
    if (named && named !== kind)
      throw new InvalidRequest('federation.odataTypeMismatch', { type: kind === 'google' ? SOCIAL_TYPE : OIDC_TYPE });
    const input = await idpInput(c, kind);
    await store.transaction((tx) => updateProvider(tx, clock, tenantId, current.id, input, actor));
    return c.body(null, 204);
  });

  app.delete(`${IDPS}/:id`, requirePermission(...WRITE_IDPS), changeById(services, deleteOf(IDP_KINDS)));

  return app;
}
