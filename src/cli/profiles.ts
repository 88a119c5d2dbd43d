// The CLI's profiles: `$XDG_CONFIG_HOME/portico/profiles.json` (default ~/.config), a 0600 file in a 0700 folder.
// A remote profile (`portico login`) names a deployment's URL, a client-credentials app of one tenant and its secret;
// while one is selected every command talks to the Graph-shaped API instead of a store. The reserved name `local`
// is the store beside this process (the default when no profile is selected). Each profile keeps a default tenant,
// so `--tenant` is optional (`portico config set tenant ...`).
//
// The secret is kept in the file, not only the name of the variable it was read from: a profile must still work in
// the next shell, a cron job or a script that never saw the variable (as `gh` and `az` keep their credentials). The
// file is created 0600 (never widened afterwards) and written whole through a rename, so no reader sees half of it.
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

import { InvalidRequest } from '../errors.ts';

export const LOCAL = 'local';

export interface RemoteProfile {
  url: string;
  clientId: string;
  clientSecret: string;
  /** the tenant the app belongs to: its id, where tokens come from */
  tenantId: string;
  /** what `--tenant` said at the login (an id or a verified domain) */
  tenant: string;
}

export interface ProfileFile {
  /** the profile commands use without `--profile` or PORTICO_PROFILE; absent: local */
  current?: string;
  /** the local mode's settings */
  local: { tenant?: string };
  profiles: Record<string, RemoteProfile>;
}

export type Selected = { name: typeof LOCAL; tenant?: string } | ({ name: string } & RemoteProfile);

/** The folder of the CLI's configuration: $XDG_CONFIG_HOME/portico, else ~/.config/portico. */
export function configDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CONFIG_HOME?.startsWith('/') ? env.XDG_CONFIG_HOME : join(env.HOME ?? homedir(), '.config');
  return join(base, 'portico');
}

export const profilesPath = (env: NodeJS.ProcessEnv = process.env) => join(configDir(env), 'profiles.json');

export function readProfiles(): ProfileFile {
  const path = profilesPath();
  if (!existsSync(path)) return { local: {}, profiles: {} };
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<ProfileFile>;
    return { current: parsed.current, local: parsed.local ?? {}, profiles: parsed.profiles ?? {} };
  } catch {
    throw new InvalidRequest('cli.profilesUnreadable', { path });
  }
}

export function writeProfiles(file: ProfileFile): void {
  const dir = configDir();
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  const path = profilesPath();
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  renameSync(temporary, path);
}

/** The profile name `--profile` (remembered by the program's hook), PORTICO_PROFILE or the saved current one names. */
let chosen: string | undefined;
export const chooseProfile = (name: string | undefined) => {
  chosen = name;
};

export function selectedName(file: ProfileFile = readProfiles()): string {
  return chosen ?? (process.env.PORTICO_PROFILE || undefined) ?? file.current ?? LOCAL;
}

/** The profile commands use now; a name that no login saved is refused, never taken for local. */
export function selectedProfile(): Selected {
  const file = readProfiles();
  const name = selectedName(file);
  if (name === LOCAL) return { name, tenant: file.local.tenant };
  const profile = file.profiles[name];
  if (!profile) throw new InvalidRequest('cli.noProfile', { name });
  return { name, ...profile };
}

export const isRemote = (p: Selected): p is { name: string } & RemoteProfile => p.name !== LOCAL;

/** The tenant a command works on: its `--tenant`, else the profile's default, else a refusal saying how to set one. */
export function tenantRef(given: string | undefined, profile: Selected = selectedProfile()): string {
  const ref = given ?? profile.tenant;
  if (!ref) throw new InvalidRequest('cli.noTenant');
  return ref;
}
