// The admin center's identity provider forms: add, edit and remove SAML / WS-Fed, Google and OpenID Connect
// providers. A form becomes the API's body (federation/inputs.ts checks it) and is saved by the same domain
// functions as the API and `portico idp`; a refusal is shown at its field, with nothing stored.
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { ZodError } from 'zod';

import { isUuid } from '../directory/tenants.ts';
import { InvalidRequest, PorticoError } from '../errors.ts';
import {
  certificatesIn,
  oidcBody,
  oidcInput,
  samlBody,
  samlInput,
  samlKind,
  socialBody,
  socialInput,
} from '../federation/inputs.ts';
import { certificateToPem } from '../federation/metadata.ts';
import { oidcCallbackUrl } from '../federation/oidc.ts';
import {
  createProvider,
  deleteProvider,
  getProvider,
  updateProvider,
  type IdentityProvider,
  type ProviderInput,
  type ProviderKind,
} from '../federation/providers.ts';
import { spUrls } from '../federation/saml.ts';
import { UPLOAD_LIMITS } from '../http/body-limits.ts';
import { pickLang, t, type Lang, type Messages } from '../i18n/index.ts';
import { errorPage, errorResponse } from '../pages/layout.tsx';
import type { Services } from '../services.ts';
import { actorOf, shellOf, type AdminEnv, type AdminGuard, type Signed } from './guard.tsx';
import {
  ProviderPage,
  RemoveProviderPage,
  type ErrorAt,
  type Errors,
  type FormKind,
  type ProviderForm,
  type Registration,
} from './provider-pages.tsx';

type Body = Record<string, string | File>;

const EMPTY: ProviderForm = {
  displayName: '',
  protocol: 'saml',
  domains: '',
  source: 'metadata',
  metadataXml: '',
  metadataUrl: '',
  issuerUri: '',
  passiveSignInUri: '',
  signingCertificate: '',
  issuer: '',
  clientId: '',
  mfaTrusted: false,
};

const formKindOf = (p: IdentityProvider): FormKind => (p.kind === 'wsfed' ? 'saml' : p.kind);

/** A stored provider as its form shows it (never its secret). */
const formOf = (p: IdentityProvider): ProviderForm => ({
  ...EMPTY,
  displayName: p.displayName,
  protocol: p.kind === 'wsfed' ? 'wsfed' : 'saml',
  domains: p.domains.join('\n'),
  source: 'manual',
  issuerUri: p.issuerUri ?? '',
  passiveSignInUri: p.passiveSignInUri ?? '',
  signingCertificate: (p.signingCertificates ?? []).map(certificateToPem).join(''),
  issuer: p.issuerUri ?? '',
  clientId: p.clientId ?? '',
  mfaTrusted: p.isMfaTrusted === true,
});

function readForm(body: Body): ProviderForm {
  const text = (name: keyof ProviderForm) => (typeof body[name] === 'string' ? body[name].trim() : '');
  return {
    displayName: text('displayName'),
    protocol: text('protocol') === 'wsfed' ? 'wsfed' : 'saml',
    domains: text('domains'),
    source: text('source') === 'manual' ? 'manual' : 'metadata',
    metadataXml: text('metadataXml'),
    metadataUrl: text('metadataUrl'),
    issuerUri: text('issuerUri'),
    passiveSignInUri: text('passiveSignInUri'),
    signingCertificate: text('signingCertificate'),
    issuer: text('issuer'),
    clientId: text('clientId'),
    mfaTrusted: body.mfaTrusted !== undefined,
  };
}

const lines = (value: string) => value.split(/[\s,;]+/).filter(Boolean);

// The bodies' fields where a form shows their refusal, with what it says.
const BODY_FIELDS: Record<string, [ErrorAt, keyof Messages]> = {
  displayName: ['displayName', 'admin.idp.invalid.name'],
  issuerUri: ['issuerUri', 'admin.idp.invalid.issuer'],
  passiveSignInUri: ['passiveSignInUri', 'admin.idp.invalid.url'],
  metadataExchangeUri: ['metadata', 'admin.idp.invalid.url'],
  metadataXml: ['metadata', 'admin.idp.invalid.metadata'],
  signingCertificates: ['signingCertificate', 'admin.idp.invalid.certificate'],
  domains: ['domains', 'admin.idp.invalid.domains'],
  issuer: ['issuer', 'admin.idp.invalid.issuer'],
  clientId: ['clientId', 'admin.idp.invalid.clientId'],
  clientSecret: ['clientSecret', 'admin.idp.invalid.clientSecret'],
};

function bodyErrors(lang: Lang, error: ZodError): Errors {
  const errors: Errors = {};
  for (const issue of error.issues) {
    const [at, message] = BODY_FIELDS[String(issue.path[0])] ?? ['form', 'admin.idp.invalid.name'];
    errors[at] ??= t(lang, message);
  }
  return errors;
}

/** Where a domain function's refusal goes: the field its `details.field` (a ProviderInput key) is shown in. */
function refusalAt(kind: FormKind, form: ProviderForm, field: unknown): ErrorAt {
  const imported = kind === 'saml' && form.source === 'metadata';
  switch (field) {
    case 'domains':
      return kind === 'google' ? 'form' : 'domains';
    case 'issuerUri':
    case 'discoveryUrl':
      return kind === 'oidc' ? 'issuer' : imported ? 'metadata' : 'issuerUri';
    case 'passiveSignInUri':
      return imported ? 'metadata' : 'passiveSignInUri';
    case 'signingCertificates':
      return imported ? 'metadata' : 'signingCertificate';
    case 'clientId':
    case 'clientSecret':
    case 'displayName':
      return field;
    default:
      return 'form';
  }
}

type Ready = { input: ProviderInput; kind: ProviderKind };
type Input = Ready | { errors: Errors };

/** A SAML / WS-Fed form as the API's samlOrWsFed body: the metadata given one way, or the values typed. */
async function samlFormInput(
  lang: Lang,
  form: ProviderForm,
  file: string | undefined,
  creating: boolean,
): Promise<Input> {
  const raw: Record<string, unknown> = {
    displayName: form.displayName || undefined,
    domains: lines(form.domains).map((name) => ({ name })),
    ...(creating && { preferredAuthenticationProtocol: form.protocol === 'wsfed' ? 'wsFed' : 'saml' }),
  };
  if (form.source === 'metadata') {
    const given = [form.metadataXml, file, form.metadataUrl].filter((v) => v);
    if (given.length !== 1)
      return { errors: { metadata: t(lang, given.length ? 'admin.idp.metadataOne' : 'admin.idp.metadataMissing') } };
    if (form.metadataUrl) raw.metadataExchangeUri = form.metadataUrl;
    else raw.metadataXml = form.metadataXml || file;
  } else {
    Object.assign(raw, {
      issuerUri: form.issuerUri,
      passiveSignInUri: form.passiveSignInUri,
      signingCertificates: form.signingCertificate ? certificatesIn(form.signingCertificate) : [],
    });
  }
  const body = samlBody.safeParse(raw);
  if (!body.success) return { errors: bodyErrors(lang, body.error) };
  try {
    return { input: await samlInput(body.data), kind: samlKind(body.data.preferredAuthenticationProtocol) };
  } catch (error) {
    if (error instanceof InvalidRequest) return { errors: { metadata: error.text(lang) } };
    throw error;
  }
}

async function inputOf(lang: Lang, kind: FormKind, form: ProviderForm, body: Body, creating: boolean): Promise<Input> {
  const read = await formInput(lang, kind, form, body, creating);
  // mfa-policy: the "trusted for MFA" box (SAML/WS-Fed and OpenID Connect providers).
  if ('input' in read && kind !== 'google') read.input.isMfaTrusted = form.mfaTrusted;
  return read;
}

async function formInput(
  lang: Lang,
  kind: FormKind,
  form: ProviderForm,
  body: Body,
  creating: boolean,
): Promise<Input> {
  if (kind === 'saml') {
    const upload =
      body.metadataFile instanceof File && body.metadataFile.size > 0
        ? (await body.metadataFile.text()).trim()
        : undefined;
    return samlFormInput(lang, form, upload, creating);
  }
  // An empty secret keeps the stored one.
  const clientSecret =
    typeof body.clientSecret === 'string' && body.clientSecret !== '' ? body.clientSecret : undefined;
  const common = { displayName: form.displayName || undefined, clientId: form.clientId, clientSecret };
  const parsed =
    kind === 'google'
      ? socialBody.safeParse(common)
      : oidcBody.safeParse({ ...common, issuer: form.issuer, domains: lines(form.domains) });
  if (!parsed.success) return { errors: bodyErrors(lang, parsed.error) };
  return { input: kind === 'google' ? socialInput(parsed.data) : oidcInput(parsed.data), kind };
}

function registration(baseUrl: string, tenantId: string, kind: FormKind): Registration {
  if (kind !== 'saml') return [{ label: 'admin.idp.redirectUri', value: oidcCallbackUrl(baseUrl, tenantId) }];
  const urls = spUrls(baseUrl, tenantId);
  return [
    { label: 'admin.idp.sp.entityId', value: urls.entityId },
    { label: 'admin.idp.sp.acs', value: urls.acs },
    { label: 'admin.idp.sp.wsfed', value: urls.wsfedReply },
    { label: 'admin.idp.sp.metadata', value: urls.metadata },
  ];
}

export function providersRoutes(services: Services, guard: AdminGuard) {
  const { store, clock, config } = services;
  const app = new Hono<AdminEnv>();
  const base = (s: Signed) => `/admin/${s.tenant.id}/identities`;

  // Metadata files are a few kilobytes; the limit leaves room for one of 1 MiB pasted and uploaded at once.
  app.use(
    '/admin/:tenant/identities/*',
    bodyLimit({
      maxSize: UPLOAD_LIMITS.idpMetadata,
      onError: (c) => {
        const lang = pickLang(c.req.header('accept-language'));
        return errorResponse(c, lang, undefined, t(lang, 'admin.idp.tooLarge'), 413);
      },
    }),
  );

  const page = (
    c: Context<AdminEnv>,
    s: Signed,
    kind: FormKind,
    form: ProviderForm,
    errors: Errors,
    provider?: IdentityProvider,
    notice?: string,
  ) =>
    c.html(
      <ProviderPage
        {...shellOf(s)}
        kind={kind}
        provider={provider}
        form={form}
        errors={errors}
        notice={notice}
        registration={registration(config.baseUrl, s.tenant.id, kind)}
      />,
      Object.keys(errors).length ? 400 : 200,
    );

  const notFound = (c: Context<AdminEnv>, s: Signed) =>
    errorPage(c, s, t(s.lang, 'admin.identities'), t(s.lang, 'admin.idp.notFound'), 404);

  /** The path's provider, if it is one of the tenant's. */
  const providerOf = (c: Context<AdminEnv>, s: Signed) => {
    const id = c.req.param('id') ?? '';
    return isUuid(id) ? getProvider(store.db, s.tenant.id, id) : Promise.resolve(undefined);
  };

  /** Saves a form through `save`; a refusal is shown at its field, and the transaction stored nothing. */
  async function saved(
    c: Context<AdminEnv>,
    s: Signed & { form: Body },
    kind: FormKind,
    provider: IdentityProvider | undefined,
    save: (ready: Ready) => Promise<string>,
  ) {
    const form = readForm(s.form);
    const result = await inputOf(s.lang, kind, form, s.form, !provider);
    if ('errors' in result) return page(c, s, kind, form, result.errors, provider);
    try {
      return c.redirect(await save(result), 303);
    } catch (error) {
      if (!(error instanceof PorticoError) || error.status !== 400) throw error;
      return page(c, s, kind, form, { [refusalAt(kind, form, error.details?.field)]: error.text(s.lang) }, provider);
    }
  }

  app.get('/admin/:tenant/identities/new/:kind{saml|google|oidc}', guard.signedIn('identityProviders'), async (c) => {
    const s = c.var.signed;
    const kind = c.req.param('kind') as FormKind;
    return page(c, s, kind, { ...EMPTY, displayName: kind === 'google' ? 'Google' : '' }, {});
  });

  app.post('/admin/:tenant/identities/new/:kind{saml|google|oidc}', guard.posted('identityProviders'), async (c) => {
    const s = c.var.posted;
    return saved(c, s, c.req.param('kind') as FormKind, undefined, async ({ input, kind }) => {
      const created = await store.transaction((tx) => createProvider(tx, clock, s.tenant.id, kind, input, actorOf(s)));
      return `${base(s)}/providers/${created.id}?added=1`;
    });
  });

  app.get('/admin/:tenant/identities/providers/:id', guard.signedIn('view'), async (c) => {
    const s = c.var.signed;
    const provider = await providerOf(c, s);
    if (!provider) return notFound(c, s);
    const notice =
      c.req.query('added') === '1'
        ? t(s.lang, 'admin.idp.added')
        : c.req.query('saved') === '1'
          ? t(s.lang, 'admin.idp.saved')
          : undefined;
    return page(c, s, formKindOf(provider), formOf(provider), {}, provider, notice);
  });

  app.post('/admin/:tenant/identities/providers/:id', guard.posted('identityProviders'), async (c) => {
    const s = c.var.posted;
    const provider = await providerOf(c, s);
    if (!provider) return notFound(c, s);
    return saved(c, s, formKindOf(provider), provider, async ({ input }) => {
      await store.transaction((tx) => updateProvider(tx, clock, s.tenant.id, provider.id, input, actorOf(s)));
      return `${base(s)}/providers/${provider.id}?saved=1`;
    });
  });

  app.get('/admin/:tenant/identities/providers/:id/remove', guard.signedIn('identityProviders'), async (c) => {
    const s = c.var.signed;
    const provider = await providerOf(c, s);
    if (!provider) return notFound(c, s);
    return c.html(<RemoveProviderPage {...shellOf(s)} provider={provider} />);
  });

  app.post('/admin/:tenant/identities/providers/:id/remove', guard.posted('identityProviders'), async (c) => {
    const s = c.var.posted;
    const provider = await providerOf(c, s);
    if (!provider) return notFound(c, s);
    await store.transaction((tx) => deleteProvider(tx, clock, s.tenant.id, provider.id, actorOf(s)));
    return c.redirect(`${base(s)}?removed=1`, 303);
  });

  return app;
}
