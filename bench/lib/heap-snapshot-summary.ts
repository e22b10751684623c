import { readFileSync } from 'node:fs';

/**
 * Summarises a V8 .heapsnapshot: self size and count per constructor / closure name / node type,
 * largest first, so "what does one idle socket cost" can be read off as (count ≈ N sockets × k).
 * Usage: tsx bench/lib/heap-snapshot-summary.ts [BEFORE.heapsnapshot] FILE.heapsnapshot [TOP] [PER]
 *   With two snapshots it prints the growth from BEFORE to FILE.
 *   PER: divide counts and sizes by this number (e.g. the socket count) to print per-socket figures.
 */
type Snapshot = {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] }; node_count: number };
  nodes: number[];
  strings: string[];
};

export type HeapGroup = { key: string; count: number; selfSize: number };

export function summariseHeapSnapshot(file: string): { total: number; groups: HeapGroup[] } {
  const snap = JSON.parse(readFileSync(file, 'utf8')) as Snapshot;
  const fields = snap.snapshot.meta.node_fields;
  const types = snap.snapshot.meta.node_types[0];
  const width = fields.length;
  const iType = fields.indexOf('type');
  const iName = fields.indexOf('name');
  const iSize = fields.indexOf('self_size');
  const groups = new Map<string, HeapGroup>();
  let total = 0;
  for (let i = 0; i < snap.nodes.length; i += width) {
    const type = types[snap.nodes[i + iType]!] ?? '?';
    const size = snap.nodes[i + iSize]!;
    total += size;
    const name = snap.strings[snap.nodes[i + iName]!] ?? '';
    const key =
      type === 'object' || type === 'closure' || type === 'native'
        ? `${type} ${name.slice(0, 60)}`
        : type === 'hidden' || type === 'array' || type === 'object shape'
          ? `${type} ${name.slice(0, 40)}`
          : `(${type}s)`;
    const g = groups.get(key) ?? { key, count: 0, selfSize: 0 };
    g.count++;
    g.selfSize += size;
    groups.set(key, g);
  }
  return { total, groups: [...groups.values()].sort((a, b) => b.selfSize - a.selfSize) };
}

/** Groups of `after` minus `before` (what N more sockets added), largest growth first. */
export function diffHeapGroups(before: HeapGroup[], after: HeapGroup[]): HeapGroup[] {
  const base = new Map(before.map((g) => [g.key, g]));
  return after
    .map((g) => ({
      key: g.key,
      count: g.count - (base.get(g.key)?.count ?? 0),
      selfSize: g.selfSize - (base.get(g.key)?.selfSize ?? 0),
    }))
    .sort((a, b) => b.selfSize - a.selfSize);
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop() ?? '\0')) {
  const args = process.argv.slice(2);
  const files = args.filter((a) => a.endsWith('.heapsnapshot'));
  const [topArg, perArg] = args.filter((a) => !a.endsWith('.heapsnapshot'));
  if (files.length < 1 || files.length > 2)
    throw new Error('usage: heap-snapshot-summary.ts [BEFORE.heapsnapshot] FILE.heapsnapshot [TOP] [PER]');
  const per = Number(perArg ?? 1) || 1;
  const after = summariseHeapSnapshot(files.at(-1)!);
  const before = files.length === 2 ? summariseHeapSnapshot(files[0]!) : { total: 0, groups: [] };
  const groups = diffHeapGroups(before.groups, after.groups);
  const total = after.total - before.total;
  process.stdout.write(
    `${files.length === 2 ? 'heap growth' : 'heap'} ${(total / 2 ** 20).toFixed(1)} MiB self size${per > 1 ? `, ${(total / per).toFixed(0)} B per 1/${per}` : ''}\n`,
  );
  process.stdout.write(`${'self MiB'.padStart(9)} ${'count'.padStart(9)} ${'B/per'.padStart(8)}  group\n`);
  for (const g of groups.slice(0, Number(topArg ?? 40)))
    process.stdout.write(
      `${(g.selfSize / 2 ** 20).toFixed(2).padStart(9)} ${String(g.count).padStart(9)} ${(g.selfSize / per).toFixed(0).padStart(8)}  ${g.key}\n`,
    );
}
