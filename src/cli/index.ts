// `portico`: the command line. Thin: parse, call the domain, print.
import { Command } from 'commander';

import { VERSION } from '../version.ts';
import { appCommand } from './apps.ts';
import { backupCommand } from './backup.ts';
import { action, running } from './context.ts';
import { crossTenantCommand } from './cross-tenant.ts';
import { deletedCommand } from './deleted.ts';
import { domainCommand } from './domain.ts';
import { exportCommand } from './export.ts';
import { idpCommand } from './idp.ts';
import { initCommand } from './init.ts';
import { inviteCommand } from './invite.ts';
import { keysCommand } from './keys.ts';
import { loginCommands } from './login.ts';
import { policyCommand } from './policy.ts';
import { chooseProfile } from './profiles.ts';
import { adminCommand, roleCommand } from './role.ts';
import { servicePrincipalCommand } from './service-principals.ts';
import { tenantCommand } from './tenant.ts';
import { termsCommand } from './terms.ts';
import { userCommand } from './user.ts';

const program = new Command('portico')
  .description(
    'Portico: a self-hostable directory for B2B guest collaboration.\nSettings come from PORTICO_* environment variables (see the README).',
  )
  .version(VERSION)
  .showHelpAfterError()
  .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : 1))
  .option('--profile <name>', 'the profile to use (`portico login`; `local` for the store here); or PORTICO_PROFILE')
  .hook('preAction', (_program, command) => {
    // Refusals name the command; the profile chosen on the command line wins over PORTICO_PROFILE and the saved one.
    const names: string[] = [];
    for (let c: Command | null = command; c; c = c.parent) names.unshift(c.name());
    running.command = names.join(' ');
    chooseProfile((command.optsWithGlobals() as { profile?: string }).profile);
  });

program
  .command('serve')
  .description('run the server (what `npm start` runs)')
  .action(action(async () => (await import('../main.ts')).serveFromEnv()));
program.addCommand(tenantCommand());
program.addCommand(inviteCommand());
program.addCommand(termsCommand());
program.addCommand(appCommand());
program.addCommand(idpCommand());
program.addCommand(crossTenantCommand());
program.addCommand(domainCommand());
program.addCommand(servicePrincipalCommand());
program.addCommand(deletedCommand());
program.addCommand(roleCommand());
program.addCommand(adminCommand());
program.addCommand(userCommand());
program.addCommand(policyCommand());
program.addCommand(backupCommand());
program.addCommand(initCommand());
program.addCommand(keysCommand());
program.addCommand(exportCommand());
for (const command of loginCommands()) program.addCommand(command);

await program.parseAsync(process.argv);
