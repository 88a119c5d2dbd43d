// `portico login <url>`, `portico logout` and `portico config set|get|list`: the CLI's profiles (cli/profiles.ts).
// A login verifies the app by getting a token before it saves anything; a refused one saves nothing.
import { Command } from 'commander';

import { InvalidRequest } from '../errors.ts';
import { action, output, outputList } from './context.ts';
import { LOCAL, profilesPath, readProfiles, selectedName, writeProfiles, type ProfileFile } from './profiles.ts';
import { clientToken } from './remote.ts';

type LoginOpts = { clientId: string; clientSecretEnv: string; tenant: string; profile?: string; json?: boolean };

/** The profile a command names with `--profile`, or the program's `--profile`, or `default`. */
const profileName = (command: Command): string | undefined =>
  (command.optsWithGlobals() as { profile?: string }).profile;

export function loginCommands(): Command[] {
  const login = new Command('login')
    .description(
      "log in to a Portico deployment with an app's client credentials and save a profile: every command then works through its API",
    )
    .argument('<url>', "the deployment's public URL, e.g. https://portico.example")
    .requiredOption(
      '--client-id <id>',
      "the app's client id (the tenant's management API client, or an app with Graph application permissions)",
    )
    .requiredOption(
      '--client-secret-env <variable>',
      'the environment variable that holds the client secret (never a command-line argument)',
    )
    .requiredOption('--tenant <id-or-domain>', 'the tenant the app belongs to')
    .option('--json', 'print JSON for scripts')
    .action(
      action(async (url: string, opts: LoginOpts, command: Command) => {
        const name = profileName(command) ?? 'default';
        if (name === LOCAL) throw new InvalidRequest('cli.localProfileName');
        const secret = process.env[opts.clientSecretEnv];
        if (!secret) throw new InvalidRequest('cli.secretVariable', { variable: opts.clientSecretEnv });
        if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol))
          throw new InvalidRequest('cli.loginUrl', { url });
        const base = url.replace(/\/+$/, '');
        const { tenantId } = await clientToken(base, opts.tenant.trim(), opts.clientId, secret);
        const file = readProfiles();
        file.profiles[name] = {
          url: base,
          clientId: opts.clientId,
          clientSecret: secret,
          tenantId,
          tenant: opts.tenant.trim(),
        };
        file.current = name;
        writeProfiles(file);
        output(
          opts,
          { profile: name, url: base, tenantId, clientId: opts.clientId, file: profilesPath() },
          `Logged in to ${base} (tenant ${tenantId}) as profile ${name}; commands now work through its API (--profile local for the store here).`,
        );
      }),
    );

  const logout = new Command('logout')
    .description('forget a profile (the selected one by default); commands then work on the store here again')
    .option('--json', 'print JSON for scripts')
    .action(
      action(async (opts: { json?: boolean }, command: Command) => {
        const file = readProfiles();
        const name = profileName(command) ?? selectedName(file);
        const known = name !== LOCAL && name in file.profiles;
        if (known) {
          delete file.profiles[name];
          if (file.current === name) delete file.current;
          writeProfiles(file);
        }
        output(
          opts,
          { profile: name, removed: known },
          known ? `Logged out of profile ${name}.` : `No profile ${name} to log out of.`,
        );
      }),
    );

  const config = new Command('config').description(
    "the CLI's settings of the selected profile (--profile, PORTICO_PROFILE)",
  );
  config
    .command('set')
    .description('set a setting: tenant (the default --tenant of the local mode)')
    .argument('<key>', 'tenant')
    .argument('<value>', 'the value')
    .option('--json', 'print JSON for scripts')
    .action(
      action(async (key: string, value: string, opts: { json?: boolean }, command: Command) => {
        if (key !== 'tenant') throw new InvalidRequest('cli.unknownConfigKey', { key });
        const file = readProfiles();
        const name = profileName(command) ?? selectedName(file);
        if (name === LOCAL) file.local.tenant = value.trim();
        else {
          const profile = file.profiles[name];
          if (!profile) throw new InvalidRequest('cli.noProfile', { name });
          // A remote profile's app belongs to one tenant: its tenant may be named otherwise (a domain), not changed.
          if (![profile.tenantId, profile.tenant.toLowerCase()].includes(value.trim().toLowerCase()))
            throw new InvalidRequest('cli.remoteTenantFixed', { profile: name, tenantId: profile.tenantId });
          profile.tenant = value.trim();
        }
        writeProfiles(file);
        output(opts, { profile: name, tenant: value.trim() }, `Profile ${name}: tenant ${value.trim()}.`);
      }),
    );
  config
    .command('get')
    .description('print a setting of the selected profile')
    .argument('<key>', 'tenant')
    .option('--json', 'print JSON for scripts')
    .action(
      action(async (key: string, opts: { json?: boolean }, command: Command) => {
        if (key !== 'tenant') throw new InvalidRequest('cli.unknownConfigKey', { key });
        const file = readProfiles();
        const name = profileName(command) ?? selectedName(file);
        const tenant = (name === LOCAL ? file.local.tenant : file.profiles[name]?.tenant) ?? null;
        output(opts, { profile: name, tenant }, tenant ?? '');
      }),
    );
  config
    .command('list')
    .description('list the profiles (never their secrets), the selected one marked')
    .option('--json', 'print JSON for scripts')
    .action(
      action(async (opts: { json?: boolean }) => {
        const file: ProfileFile = readProfiles();
        const selected = selectedName(file);
        const rows = [
          { profile: LOCAL, url: null, clientId: null, tenantId: null, tenant: file.local.tenant ?? null },
          ...Object.entries(file.profiles).map(([profile, p]) => ({
            profile,
            url: p.url,
            clientId: p.clientId,
            tenantId: p.tenantId,
            tenant: p.tenant,
          })),
        ].map((r) => ({ ...r, selected: r.profile === selected }));
        outputList(
          opts,
          rows,
          rows,
          (r) => `${r.selected ? '*' : ' '} ${r.profile}  ${r.url ?? 'the store here'}  tenant ${r.tenant ?? '-'}`,
        );
      }),
    );
  return [login, logout, config];
}
