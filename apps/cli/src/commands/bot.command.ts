import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { CliError } from '../cli-error.ts';
import { openCliStandalone } from './standalone-context.ts';

export function registerBotCommand(program: Command): void {
  const bot = program.command('bot').description('the FAQ bot');
  bot
    .command('ask')
    .description('answer as the bot would: {query, faqId|null, answer|null, score, handoff} per query')
    .argument('[text]', 'one buyer question')
    .option('--file <queries>', 'one question per line; prints JSON lines')
    .option('--store <id>', 'answer as this store (default: entries of every store)')
    .action(async (text: string | undefined, _opts, command: Command) => {
      const o = command.optsWithGlobals<{
        file?: string;
        store?: string;
        dataDir?: string;
        json?: boolean;
      }>();
      if (text === undefined && !o.file) throw new CliError('bot ask: give "TEXT" or --file QUERIES.txt');
      if (text !== undefined && o.file) throw new CliError('bot ask: give either "TEXT" or --file, not both');
      let queries: string[];
      if (o.file) {
        let content: string;
        try {
          content = readFileSync(o.file, 'utf8');
        } catch (e) {
          throw new CliError(
            `${o.file}: cannot read the file (${(e as NodeJS.ErrnoException).code ?? 'error'})`,
          );
        }
        queries = content
          .replace(/^\uFEFF/, '')
          .split(/\r?\n/)
          .map((line) => line.trim())
          .filter((line) => line.length > 0);
      } else {
        const query = (text ?? '').trim();
        if (!query) throw new CliError('bot ask: TEXT is empty');
        queries = [query];
      }
      const standalone = await openCliStandalone(o.dataDir);
      try {
        const tenant = await standalone.resolveTenant(o.store);
        if (!tenant) throw new CliError(`--store: no store with id "${o.store}"`);
        for (const query of queries) {
          const answer = await standalone.ask(tenant.orgId, query, tenant.storeId);
          if (o.json || o.file) process.stdout.write(`${JSON.stringify(answer)}\n`);
          else
            process.stdout.write(
              answer.faqId
                ? `${answer.faqId} (score ${answer.score.toFixed(3)})\n${answer.answer}\n`
                : `no answer (score ${answer.score.toFixed(3)})${answer.handoff ? ' — hand off to a human' : ''}\n`,
            );
        }
      } finally {
        await standalone.close();
      }
    });
}
