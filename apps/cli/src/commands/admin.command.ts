import type { Command } from 'commander';
import { runCreateOrganization } from './organization-create.ts';

export function registerAdminCommand(program: Command): void {
  const admin = program.command('admin').description('administrators of an organisation');
  admin
    .command('create')
    .description(
      'create an admin; creates the organisation (with a default store and group) when none has that name',
    )
    .requiredOption('--email <email>', 'the admin signs in with this address')
    .requiredOption('--org <id|name>', 'organisation id, or name (created when no organisation has it)')
    .option('--name <name>', 'display name (default: the part of the email before @)')
    .option('--password <password>', 'at least 8 characters; prompted for (or read from stdin) when left out')
    .action(async (_opts, command: Command) => {
      const o = command.optsWithGlobals<{
        email: string;
        org: string;
        name?: string;
        password?: string;
        dataDir?: string;
        json?: boolean;
      }>();
      await runCreateOrganization({
        dataDir: o.dataDir,
        json: o.json,
        values: {
          orgName: o.org,
          email: o.email,
          name: o.name,
          password: o.password,
        },
        flags: { orgName: '--org', email: '--email', name: '--name', password: '--password' },
        existing: 'add-admin',
      });
    });
}
