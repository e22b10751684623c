// The one test command (`npm test`): lint, typecheck, build the UI, unit + integration tests on a
// real database (PGlite, or PostgreSQL/Redis when DATABASE_URL/REDIS_URL are set), browser tests.
import { spawnSync } from 'node:child_process';

const steps = [
  ['lint', 'npx', ['biome', 'check', '.']],
  ['typecheck', 'node', ['scripts/typecheck.mjs']],
  // Dead files, unused exports and dependencies, imports a workspace does not declare (knip.jsonc).
  ['dead code', 'npx', ['knip', '--no-progress']],
  ['chromium', 'bash', ['scripts/ensure-chromium.sh']],
  ['build', 'npm', ['run', 'build']],
  [
    'unit + integration',
    'npx',
    ['vitest', 'run', '--reporter=default', '--reporter=json', '--outputFile.json=.test-results/unit.json'],
  ],
  [
    'browser',
    'npx',
    [
      'vitest',
      'run',
      '--config',
      'e2e/vitest.config.ts',
      '--reporter=default',
      '--reporter=json',
      '--outputFile.json=.test-results/e2e.json',
    ],
  ],
];

const mode = process.env.DATABASE_URL
  ? `PostgreSQL${process.env.REDIS_URL ? ' + Redis' : ''}`
  : 'embedded PGlite';
console.log(`peakdesk tests — database: ${mode}`);
let passed = 0;
let failed = 0;
let broken = '';
for (const [name, cmd, args] of steps) {
  console.log(`\n=== ${name} ===`);
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status !== 0) {
    broken ||= name;
    // Without a browser or a build the later steps cannot run; lint and type errors still let tests run.
    if (['chromium', 'build'].includes(name)) break;
  }
}
const { existsSync, readFileSync } = await import('node:fs');
for (const f of ['.test-results/unit.json', '.test-results/e2e.json']) {
  if (!existsSync(f)) continue;
  const j = JSON.parse(readFileSync(f, 'utf8'));
  passed += j.numPassedTests ?? 0;
  failed += j.numFailedTests ?? 0;
}
console.log(`\n${passed} passed, ${failed} failed`);
if (broken) console.error(`failed step: ${broken}`);
process.exit(broken || failed ? 1 : 0);
