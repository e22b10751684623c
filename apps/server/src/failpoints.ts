/**
 * Failpoints for crash tests (in the manner of FreeBSD's fail(9) or TiKV's fail-rs): with
 * `PEAKDESK_FAILPOINTS=chat.opened.committed=kill@8`, the process SIGKILLs itself the 8th time it
 * passes `failpoint('chat.opened.committed')`, so a test can stop an instance at an exact point
 * between a commit and what follows it. Unset (always, outside tests) it costs one Map lookup.
 */
type Point = { at: number; passed: number };

function parse(spec: string | undefined): Map<string, Point> {
  const points = new Map<string, Point>();
  for (const part of (spec ?? '').split(',')) {
    const m = /^\s*([a-z0-9_.]+)=kill@(\d+)\s*$/.exec(part);
    if (m) points.set(m[1]!, { at: Number(m[2]), passed: 0 });
    else if (part.trim()) throw new Error(`PEAKDESK_FAILPOINTS: "${part}" is not name=kill@N`);
  }
  return points;
}

const points = parse(process.env.PEAKDESK_FAILPOINTS);

/** Names the failpoints set for this process (the server logs them at start: never in production). */
export const activeFailpoints = (): string[] => [...points.keys()];

export function failpoint(name: string): void {
  const p = points.get(name);
  if (!p) return;
  p.passed += 1;
  if (p.passed === p.at) process.kill(process.pid, 'SIGKILL');
}
