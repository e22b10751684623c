/** Percentile of an unsorted sample (nearest rank); 0 for an empty sample. */
export function percentile(sample: number[], p: number): number {
  if (sample.length === 0) return 0;
  const sorted = Float64Array.from(sample).sort();
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

export const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Minimal `--flag value` / `--switch` parser for benchmark scripts. */
export function parseFlags(argv: string[]): Map<string, string | true> {
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) continue;
    const eq = a.indexOf('=');
    if (eq > 0) flags.set(a.slice(2, eq), a.slice(eq + 1));
    else if (argv[i + 1] !== undefined && !argv[i + 1]!.startsWith('--')) flags.set(a.slice(2), argv[++i]!);
    else flags.set(a.slice(2), true);
  }
  return flags;
}

/** A positive number flag (`--name 5`), or the default when absent; anything else is a clear error. */
export function positiveFlag(flags: Map<string, string | true>, name: string, dflt: number): number {
  const v = flags.get(name);
  if (v === undefined || v === true) return dflt;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name}: "${v}" is not a positive number`);
  return n;
}

/** Median (mean of the two middle values for an even count); NaN for an empty sample. */
export function median(sample: number[]): number {
  if (sample.length === 0) return Number.NaN;
  const s = Float64Array.from(sample).sort();
  const h = s.length >> 1;
  return s.length % 2 ? s[h]! : (s[h - 1]! + s[h]!) / 2;
}
