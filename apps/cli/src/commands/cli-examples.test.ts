import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../main.ts';
import { CLI_EXAMPLES, commandPath, leafCommands } from './examples.ts';

const repoRoot = resolve(import.meta.dirname, '../../../..');
const docs = readFileSync(join(repoRoot, 'docs/cli.md'), 'utf8');

/** Splits a command line the way a POSIX shell would for these examples (quotes, no expansion). */
function argv(line: string): string[] {
  const out: string[] = [];
  for (const m of line.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)) out.push(m[1] ?? m[2] ?? m[3] ?? '');
  return out;
}

describe('CLI examples: --help, docs/cli.md and examples/ agree', () => {
  const program = buildProgram();
  const commands = leafCommands(program).map(commandPath);

  it('every command has an example, and every example names a command', () => {
    expect(commands.filter((c) => !CLI_EXAMPLES[c])).toEqual([]);
    expect(Object.keys(CLI_EXAMPLES).filter((c) => !commands.includes(c))).toEqual([]);
  });

  it.each(commands)('`peakdesk %s --help` ends with its examples, each also in docs/cli.md', (path) => {
    const r = spawnSync('node', ['apps/cli/bin/peakdesk.mjs', ...path.split(' '), '--help'], {
      cwd: repoRoot,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.status).toBe(0);
    for (const e of CLI_EXAMPLES[path] ?? []) {
      expect(r.stdout).toContain(e.line);
      expect(docs, `docs/cli.md lacks: ${e.line}`).toContain(e.line);
    }
  });
});

describe('every runnable example runs as written', { timeout: 300_000 }, () => {
  // A fresh embedded data dir, so `admin create`/`org create` meet an empty install even where
  // DATABASE_URL points at the shared test database (their names must not exist there yet).
  const dataDir = join(mkdtempSync(join(tmpdir(), 'peakdesk-examples-')), 'data');
  const env = { ...process.env };
  delete env.DATABASE_URL;
  delete env.REDIS_URL;
  const runnable = Object.values(CLI_EXAMPLES)
    .flat()
    .filter((e) => e.runs);

  it.each(runnable.map((e) => [e.line, e] as const))('%s', (_line, example) => {
    const [bin, ...args] = argv(example.line);
    expect(bin).toBe('peakdesk');
    const r = spawnSync('node', ['apps/cli/bin/peakdesk.mjs', ...args, '--data-dir', dataDir], {
      cwd: repoRoot,
      encoding: 'utf8',
      env,
      timeout: 120_000,
    });
    expect(r.stderr.trim()).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout.trim().length).toBeGreaterThan(0);
    if (args.includes('--json')) {
      const lines = r.stdout.trim().split('\n');
      for (const l of lines) expect(() => JSON.parse(l)).not.toThrow();
      if (args.includes('--file')) {
        const file = args[args.indexOf('--file') + 1] ?? '';
        const queries = readFileSync(join(repoRoot, file), 'utf8')
          .split('\n')
          .filter((q) => q.trim());
        expect(lines).toHaveLength(queries.length);
      }
    }
  });
});
