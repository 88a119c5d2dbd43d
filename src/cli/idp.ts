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
import type { Services } from '../services.ts';
import { action, printJson, tenantOf, withServices } from './context.ts';

const actor = { kind: 'system' as const, displayName: 'Portico CLI' };
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

const collect = (value: string, previous: string[] = []) => [...previous, value];

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

async function add(
  services: Services,
  tenantRef: string,
  kind: ProviderKind,
  input: ProviderInput,
  json?: boolean,
): Promise<void> {
  const tenant = await tenantOf(services, tenantRef);
  const created = await services.store.transaction((tx) =>
    createProvider(tx, services.clock, tenant.id, kind, input, actor),
  );
  if (json) return printJson({ tenantId: tenant.id, ...summary(created) });
  console.log(
    `Added ${KIND_NAMES[kind]} identity provider "${created.displayName}" (${created.id}) to ${tenant.displayName}, for ${created.domains.join(', ')}.`,
  );
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

  idp
    .command('list')
    .description("list a tenant's identity providers and the domains each signs in")
    .requiredOption('--tenant <id-or-domain>', 'the tenant')
    .option('--json', 'print JSON for scripts')
    .action(
      action(async (opts: { tenant: string; json?: boolean }) => {
        await withServices(async (services) => {
          const tenant = await tenantOf(services, opts.tenant);
          const providers = await listProviders(services.store.db, tenant.id);
          if (opts.json) return printJson(providers.map(summary));
          if (providers.length === 0)
            return console.log(
              `${tenant.displayName} has no identity providers. Add one with: portico idp add-saml | add-google | add-oidc --tenant ${opts.tenant} ...`,
            );
          for (const p of providers) console.log(`${p.id}  ${p.kind}  ${p.displayName}  (${p.domains.join(', ')})`);
        });
      }),
    );

  idp
    .command('add-saml')
    .description('add a SAML 2.0 (or, with --wsfed, WS-Federation) identity provider for one or more email domains')
    .requiredOption('--tenant <id-or-domain>', 'the tenant')
    .option('--name <name>', 'the display name')
    .option('--metadata-file <path>', "the identity provider's SAML metadata document")
    .option('--metadata-url <url>', 'where the identity provider publishes its metadata (https)')
    .option('--issuer <uri>', "the identity provider's entity id (overrides the metadata's)")
    .option('--sign-in-url <url>', "its sign-in endpoint, https (overrides the metadata's)")
    .option('--certificate-file <pem>', "its signing certificate(s), PEM (overrides the metadata's)")
    .requiredOption('--domain <domain>', 'an email domain it signs in (repeat for more)', collect)
    .option('--wsfed', 'WS-Federation instead of SAML 2.0')
    .option('--json', 'print JSON for scripts')
    .action(
      action(async (opts: SamlOpts) => {
        const input = await samlInput(opts);
        await withServices((services) => add(services, opts.tenant, opts.wsfed ? 'wsfed' : 'saml', input, opts.json));
      }),
    );

  idp
    .command('add-google')
    .description('let guests with gmail.com and googlemail.com addresses sign in with Google')
    .requiredOption('--tenant <id-or-domain>', 'the tenant')
    .requiredOption('--client-id <id>', "the Google OAuth client's id")
    .requiredOption('--client-secret-env <VAR>', SECRET_ENV_HELP)
    .option('--name <name>', 'the display name', 'Google')
    .option('--json', 'print JSON for scripts')
    .action(
      action(
        async (opts: { tenant: string; clientId: string; clientSecretEnv: string; name: string; json?: boolean }) => {
          const clientSecret = secretFrom(opts.clientSecretEnv);
          await withServices((services) =>
            add(
              services,
              opts.tenant,
              'google',
              { displayName: opts.name, clientId: opts.clientId, clientSecret },
              opts.json,
            ),
          );
        },
      ),
    );

  idp
    .command('add-oidc')
    .description('add an OpenID Connect identity provider for one or more email domains')
    .requiredOption('--tenant <id-or-domain>', 'the tenant')
    .requiredOption('--name <name>', 'the display name')
    .requiredOption('--issuer <url>', "the provider's issuer (https)")
    .option('--discovery-url <url>', 'its discovery document (default: <issuer>/.well-known/openid-configuration)')
    .requiredOption('--client-id <id>', "Portico's client id at the provider")
    .requiredOption('--client-secret-env <VAR>', SECRET_ENV_HELP)
    .requiredOption('--domain <domain>', 'an email domain it signs in (repeat for more)', collect)
    .option('--scope <scopes>', "the scopes asked for (must include 'openid')", 'openid email profile')
    .option('--json', 'print JSON for scripts')
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
          await withServices((services) => add(services, opts.tenant, 'oidc', input, opts.json));
        },
      ),
    );

  idp
    .command('remove')
    .description('remove an identity provider: its domains fall back to the other ways of signing in')
    .requiredOption('--tenant <id-or-domain>', 'the tenant')
    .argument('<id>', 'the identity provider id (from `portico idp list`)')
    .option('--json', 'print JSON for scripts')
    .action(
      action(async (id: string, opts: { tenant: string; json?: boolean }) => {
        await withServices(async (services) => {
          const tenant = await tenantOf(services, opts.tenant);
          const removed = await services.store.transaction(async (tx) => {
            const provider = await getProvider(tx, tenant.id, id);
            if (!provider) throw new ResourceNotFound('cli.providerNotFound', { displayName: tenant.displayName, id });
            await deleteProvider(tx, services.clock, tenant.id, id, actor);
            return provider;
          });
          if (opts.json) return printJson({ tenantId: tenant.id, removed: summary(removed) });
          console.log(
            `Removed ${KIND_NAMES[removed.kind]} identity provider "${removed.displayName}" (${removed.id}) from ${tenant.displayName}.`,
          );
        });
      }),
    );

  return idp;
}
