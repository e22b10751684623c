import { readFileSync } from 'node:fs';

/**
 * Prints the functions with the most self time in a V8 .cpuprofile (from `node --cpu-prof`), and
 * the same grouped by package, so a benchmark run points at its bottleneck.
 * Usage: tsx bench/lib/cpu-profile-summary.ts FILE.cpuprofile [TOP]
 */
type Node = {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
};
type Profile = { nodes: Node[]; samples: number[]; timeDeltas: number[] };

const [file, topArg] = process.argv.slice(2);
if (!file) throw new Error('usage: cpu-profile-summary.ts FILE.cpuprofile [TOP]');
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const selfUs = new Map<number, number>();
for (const [i, id] of profile.samples.entries())
  selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
const total = [...selfUs.values()].reduce((a, b) => a + b, 0);
const fn = new Map<string, number>();
const pkg = new Map<string, number>();
for (const [id, us] of selfUs) {
  const n = byId.get(id);
  if (!n) continue;
  const url = n.callFrame.url.replace(/^file:\/\//, '');
  const key = `${n.callFrame.functionName || '(anonymous)'} ${url.split('/').slice(-2).join('/')}:${n.callFrame.lineNumber + 1}`;
  fn.set(key, (fn.get(key) ?? 0) + us);
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  const group = m
    ? m[1]!
    : url.startsWith('wasm://')
      ? 'wasm (PGlite postgres)'
      : url.includes('/apps/') || url.includes('/packages/')
        ? 'peakdesk'
        : url
          ? 'node internals'
          : n.callFrame.functionName;
  pkg.set(group, (pkg.get(group) ?? 0) + us);
}
const top = Number(topArg ?? 25);
const show = (title: string, m: Map<string, number>) => {
  process.stdout.write(`\n${title}\n`);
  for (const [k, us] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top))
    process.stdout.write(`${((us / total) * 100).toFixed(1).padStart(5)}%  ${k}\n`);
};
show(`self time by package (total ${(total / 1e6).toFixed(1)} s)`, pkg);
show('self time by function', fn);
