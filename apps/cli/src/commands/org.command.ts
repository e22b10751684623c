import type { Command } from 'commander';
import { runCreateOrganization } from './organization-create.ts';

export function registerOrgCommand(program: Command): void {
  const org = program.command('org').description('organisations (one per merchant; each fully isolated)');
  org
    .command('create')
    .description(
      'create an organisation with a default store and group, and its first admin with --admin-email',
    )
    .requiredOption('--name <name>', 'organisation name (must not exist yet)')
    .option(
      '--admin-email <email>',
      'its first admin signs in with this address (or add one later: admin create)',
    )
    .option('--admin-name <name>', 'display name (default: the part of the email before @)')
    .option(
      '--admin-password <password>',
      'at least 8 characters; prompted for (or read from stdin) when left out',
    )
    .action(async (_opts, command: Command) => {
      const o = command.optsWithGlobals<{
        name: string;
        adminEmail?: string;
        adminName?: string;
        adminPassword?: string;
        dataDir?: string;
        json?: boolean;
      }>();
      await runCreateOrganization({
        dataDir: o.dataDir,
        json: o.json,
        values: {
          orgName: o.name,
          email: o.adminEmail,
          name: o.adminName,
          password: o.adminPassword,
        },
        flags: {
          orgName: '--name',
          email: '--admin-email',
          name: '--admin-name',
          password: '--admin-password',
        },
        existing: 'refuse',
      });
    });
}
