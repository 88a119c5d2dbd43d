import { readFileSync } from 'node:fs';
import { Command } from 'commander';

import { InvalidRequest, ResourceNotFound } from '../errors.ts';
import { certificatesIn } from '../federation/inputs.ts';
import { fetchIdpMetadata, parseIdpMetadata } from '../federation/metadata.ts';
import {
  createProvider,
  deleteProvider,
  getProvider,
  listProviders,
  type IdentityProvider,
  type ProviderInput,
  type ProviderKind,
} from '../federation/providers.ts';
import {
  action,
  CLI_ACTOR as actor,
  collect,
  output,
  outputList,
  tenantAction,
  tenantOptions,
  withTenant,
} from './context.ts';

const KIND_NAMES: Record<ProviderKind, string> = {
  saml: 'SAML',
  wsfed: 'WS-Federation',
  oidc: 'OpenID Connect',
  google: 'Google',
};
// Why a variable's name and not the secret: arguments are visible to every local user (ps, /proc) and end up in
// shell history.
const SECRET_ENV_HELP =
  'the name of the environment variable holding the client secret (never the secret itself: command-line arguments are visible to other local users in ps and stay in shell history)';

function readText(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    throw new InvalidRequest('cli.unreadableFile', { what, path });
  }
}

function secretFrom(variable: string): string {
  const value = process.env[variable];
  if (!value) throw new InvalidRequest('cli.secretVariable', { variable });
  return value;
}

// No secret here: IdentityProvider only says whether one is stored.
const summary = ({ tenantId: _t, ...p }: IdentityProvider) => p;

async function add(opts: { tenant: string; json?: boolean }, kind: ProviderKind, input: ProviderInput): Promise<void> {
  await withTenant(opts.tenant, async (services, tenant) => {
    const created = await services.store.transaction((tx) =>
      createProvider(tx, services.clock, tenant.id, kind, input, actor),
    );
    output(
      opts,
      { tenantId: tenant.id, ...summary(created) },
      `Added ${KIND_NAMES[kind]} identity provider "${created.displayName}" (${created.id}) to ${tenant.displayName}, for ${created.domains.join(', ')}.`,
    );
  });
}

type SamlOpts = {
  tenant: string;
  name?: string;
  metadataFile?: string;
  metadataUrl?: string;
  issuer?: string;
  signInUrl?: string;
  certificateFile?: string;
  domain: string[];
  wsfed?: boolean;
  json?: boolean;
};

/** Imported metadata (a file or a URL) overlaid with the values given explicitly, as the API does. */
async function samlInput(opts: SamlOpts): Promise<ProviderInput> {
  const explicit = opts.issuer !== undefined && opts.signInUrl !== undefined && opts.certificateFile !== undefined;
  if (opts.metadataFile !== undefined && opts.metadataUrl !== undefined)
    throw new InvalidRequest('cli.metadataFileOrUrl');
  if (opts.metadataFile === undefined && opts.metadataUrl === undefined && !explicit) {
    throw new InvalidRequest('cli.providerSource');
  }
  const imported =
    opts.metadataFile !== undefined
      ? parseIdpMetadata(readText(opts.metadataFile, 'metadata file'))
      : opts.metadataUrl !== undefined
        ? { ...(await fetchIdpMetadata(opts.metadataUrl)), metadataExchangeUri: opts.metadataUrl }
        : {};
  return {
    ...imported,
    displayName: opts.name,
    domains: opts.domain,
    ...(opts.issuer !== undefined && { issuerUri: opts.issuer }),
    ...(opts.signInUrl !== undefined && { passiveSignInUri: opts.signInUrl }),
    ...(opts.certificateFile !== undefined && {
      signingCertificates: certificatesIn(readText(opts.certificateFile, 'certificate file')),
    }),
  };
}

export function idpCommand(): Command {
  const idp = new Command('idp').description(
    "manage a tenant's upstream identity providers (SAML / WS-Federation, Google, OpenID Connect)",
  );

  tenantOptions(
    idp.command('list').description("list a tenant's identity providers and the domains each signs in"),
  ).action(
    tenantAction(async (services, tenant, opts: { tenant: string; json?: boolean }) => {
      const providers = await listProviders(services.store.db, tenant.id);
      outputList(
        opts,
        providers.map(summary),
        providers,
        (p) => `${p.id}  ${p.kind}  ${p.displayName}  (${p.domains.join(', ')})`,
        `${tenant.displayName} has no identity providers. Add one with: portico idp add-saml | add-google | add-oidc --tenant ${opts.tenant} ...`,
      );
    }),
  );

  tenantOptions(
    idp
      .command('add-saml')
      .description('add a SAML 2.0 (or, with --wsfed, WS-Federation) identity provider for one or more email domains'),
  )
    .option('--name <name>', 'the display name')
    .option('--metadata-file <path>', "the identity provider's SAML metadata document")
    .option('--metadata-url <url>', 'where the identity provider publishes its metadata (https)')
    .option('--issuer <uri>', "the identity provider's entity id (overrides the metadata's)")
    .option('--sign-in-url <url>', "its sign-in endpoint, https (overrides the metadata's)")
    .option('--certificate-file <pem>', "its signing certificate(s), PEM (overrides the metadata's)")
    .requiredOption('--domain <domain>', 'an email domain it signs in (repeat for more)', collect)
    .option('--wsfed', 'WS-Federation instead of SAML 2.0')
    .action(
      action(async (opts: SamlOpts) => {
        const input = await samlInput(opts);
        await add(opts, opts.wsfed ? 'wsfed' : 'saml', input);
      }),
    );

  tenantOptions(
    idp.command('add-google').description('let guests with gmail.com and googlemail.com addresses sign in with Google'),
  )
    .requiredOption('--client-id <id>', "the Google OAuth client's id")
    .requiredOption('--client-secret-env <VAR>', SECRET_ENV_HELP)
    .option('--name <name>', 'the display name', 'Google')
    .action(
      action(
        async (opts: { tenant: string; clientId: string; clientSecretEnv: string; name: string; json?: boolean }) => {
          const clientSecret = secretFrom(opts.clientSecretEnv);
          await add(opts, 'google', { displayName: opts.name, clientId: opts.clientId, clientSecret });
        },
      ),
    );

  tenantOptions(
    idp.command('add-oidc').description('add an OpenID Connect identity provider for one or more email domains'),
  )
    .requiredOption('--name <name>', 'the display name')
    .requiredOption('--issuer <url>', "the provider's issuer (https)")
    .option('--discovery-url <url>', 'its discovery document (default: <issuer>/.well-known/openid-configuration)')
    .requiredOption('--client-id <id>', "Portico's client id at the provider")
    .requiredOption('--client-secret-env <VAR>', SECRET_ENV_HELP)
    .requiredOption('--domain <domain>', 'an email domain it signs in (repeat for more)', collect)
    .option('--scope <scopes>', "the scopes asked for (must include 'openid')", 'openid email profile')
    .action(
      action(
        async (opts: {
          tenant: string;
          name: string;
          issuer: string;
          discoveryUrl?: string;
          clientId: string;
          clientSecretEnv: string;
          domain: string[];
          scope: string;
          json?: boolean;
        }) => {
          const clientSecret = secretFrom(opts.clientSecretEnv);
          const input = {
            displayName: opts.name,
            issuerUri: opts.issuer,
            discoveryUrl: opts.discoveryUrl,
            clientId: opts.clientId,
            clientSecret,
            domains: opts.domain,
            scope: opts.scope,
          };
          await add(opts, 'oidc', input);
        },
      ),
    );

  tenantOptions(
    idp
      .command('remove')
      .description('remove an identity provider: its domains fall back to the other ways of signing in')
      .argument('<id>', 'the identity provider id (from `portico idp list`)'),
  ).action(
    tenantAction(async (services, tenant, opts: { tenant: string; json?: boolean }, [id]: [string]) => {
      const removed = await services.store.transaction(async (tx) => {
        const provider = await getProvider(tx, tenant.id, id);
        if (!provider) throw new ResourceNotFound('cli.providerNotFound', { displayName: tenant.displayName, id });
        await deleteProvider(tx, services.clock, tenant.id, id, actor);
        return provider;
      });
      output(
        opts,
        { tenantId: tenant.id, removed: summary(removed) },
        `Removed ${KIND_NAMES[removed.kind]} identity provider "${removed.displayName}" (${removed.id}) from ${tenant.displayName}.`,
      );
    }),
  );

  return idp;
}
