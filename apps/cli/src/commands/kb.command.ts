import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { CliError } from '../cli-error.ts';
import { openCliStandalone, rethrowDomainError } from './standalone-context.ts';

export function registerKbCommand(program: Command): void {
  const kb = program.command('kb').description('knowledge base: FAQ entries for the bot and agents');
  kb.command('import')
    .description(
      'import FAQ entries (columns id,category,question,answer,similar_questions; similar separated by |)',
    )
    .argument('<file>', 'a .csv or .xlsx file')
    .option('--store <id>', 'only this store answers with these entries (default: every store)')
    .action(async (file: string, _opts, command: Command) => {
      const o = command.optsWithGlobals<{ store?: string; dataDir?: string; json?: boolean }>();
      const format = /\.xlsx$/i.test(file) ? 'xlsx' : /\.csv$/i.test(file) ? 'csv' : null;
      if (!format) throw new CliError(`${file}: unsupported file type (use .csv or .xlsx)`);
      let data: Buffer;
      try {
        data = readFileSync(file);
      } catch (e) {
        throw new CliError(`${file}: cannot read the file (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
      }
      const standalone = await openCliStandalone(o.dataDir);
      try {
        const tenant = await standalone.resolveTenant(o.store);
        if (!tenant) throw new CliError(`--store: no store with id "${o.store}"`);
        const result = await standalone.knowledge
          .importFile({ orgId: tenant.orgId, storeIds: 'all' }, data, {
            format,
            source: file,
            storeId: tenant.storeId,
          })
          .catch(rethrowDomainError);
        if (o.json)
          process.stdout.write(
            `${JSON.stringify({ file, ...result, orgId: tenant.orgId, storeId: tenant.storeId })}\n`,
          );
        else
          process.stdout.write(
            `imported ${result.total} FAQ entries from ${basename(file)} (${result.created} new, ${result.updated} updated)\n`,
          );
      } finally {
        await standalone.close();
      }
    });
}
