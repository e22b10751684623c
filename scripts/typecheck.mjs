// Type-checks every workspace with its own tsconfig (server code has Node types, web code has DOM types).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const projects = [
  'packages/contracts',
  'packages/db',
  'packages/workforce',
  'packages/text',
  'packages/tabular',
  'packages/chat-client',
  'packages/simulator',
  'apps/server',
  'apps/cli',
  'apps/widget',
  'apps/web',
  'bench',
  'e2e',
];
let failed = 0;
for (const p of projects) {
  if (!existsSync(`${p}/tsconfig.json`)) continue;
  try {
    execFileSync('npx', ['tsc', '--noEmit', '-p', p], { stdio: 'inherit' });
    console.log(`typecheck ok: ${p}`);
  } catch {
    failed++;
    console.error(`typecheck FAILED: ${p}`);
  }
}
process.exit(failed ? 1 : 0);
