// CI-sized promotion drills (issue: simulator): one run on a single instance and one --chaos run
// with two instances on PostgreSQL + Redis. Each must lose and duplicate nothing, have its agents
// resolve chats and drain the queue, reach the service level Erlang C expects of its own staffing
// (minus a band, `expected.floor`) and write a sane report.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dir = mkdtempSync(join(tmpdir(), 'pd-ci-drill-'));
const runs = [
  ['drill', ['--speed', '30', '--from', '00:00', '--to', '00:10', '--daily-volume', '3000', '--agents', '8']],
  [
    'chaos drill',
    [
      '--chaos',
      '--speed',
      '30',
      '--from',
      '00:00',
      '--to',
      '00:10',
      '--daily-volume',
      '3000',
      '--agents',
      '8',
    ],
  ],
];
/**
 * Below this Erlang C floor the service-level check says nothing (a floor of 0 passes any run): the
 * drill's transport delay, scaled by its speed, ate the target. Such a run is repeated once at a
 * third of the speed (the same simulated window), where the delay weighs a third as much.
 */
const MEANINGFUL_FLOOR = 0.3;
let failed = 0;
for (const [name, args] of runs) {
  if (args.includes('--chaos') && !(process.env.DATABASE_URL && process.env.REDIS_URL)) {
    console.log(`${name}: skipped (needs DATABASE_URL and REDIS_URL)`);
    continue;
  }
  let result = drill(name, args);
  if (result === 'vacuous') {
    const i = args.indexOf('--speed');
    const slower = args.map((a, k) => (k === i + 1 ? String(Math.max(1, Math.round(Number(a) / 3))) : a));
    console.log(`${name}: Erlang C floor below ${MEANINGFUL_FLOOR}; once more at --speed ${slower[i + 1]}`);
    result = drill(`${name} (slower)`, slower);
  }
  if (result !== 'ok') {
    failed++;
    if (result === 'vacuous')
      console.error(`${name}: FAILED — the service-level check stayed vacuous (floor < ${MEANINGFUL_FLOOR})`);
  }
}
process.exit(failed ? 1 : 0);

/** One drill: 'ok', 'failed' (problems printed) or 'vacuous' (clean, but the floor checks nothing). */
function drill(name, args) {
  const report = join(dir, `${name.replace(/\W+/g, '-')}.html`);
  console.log(`\n=== ${name}: peakdesk simulate ${args.join(' ')} ===`);
  const r = spawnSync(
    process.execPath,
    [
      'apps/cli/bin/peakdesk.mjs',
      'simulate',
      ...args,
      '--json',
      '--report',
      report,
      '--data-dir',
      join(dir, 'data'),
    ],
    { encoding: 'utf8', timeout: 600_000, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const last = r.stdout?.trim().split('\n').at(-1) ?? '';
  let s;
  try {
    s = JSON.parse(last);
  } catch {
    console.error(`${name}: no JSON summary (exit ${r.status})`);
    return 'failed';
  }
  console.log(JSON.stringify(s));
  const problems = [];
  if (r.status !== 0) problems.push(`exit ${r.status}`);
  if (s.lost !== 0) problems.push(`lost ${s.lost}`);
  if (s.duplicated !== 0) problems.push(`duplicated ${s.duplicated}`);
  if (!(s.conversations > 5)) problems.push(`only ${s.conversations} conversations`);
  if (!(s.messages > s.conversations)) problems.push('fewer messages than conversations');
  if (!(s.serviceLevel >= 0 && s.serviceLevel <= 1)) problems.push(`service level ${s.serviceLevel}`);
  if (!(s.botResolvedShare > 0)) problems.push('the bot resolved nothing');
  if (!(s.resolvedByAgents > 0)) problems.push('the agents resolved nothing');
  if (s.queuedAtEnd !== 0) problems.push(`${s.queuedAtEnd} still queued at the end`);
  if (!s.expected) problems.push('no Erlang C expectation in the summary');
  else if (!(s.serviceLevel >= s.expected.floor))
    problems.push(
      `service level ${s.serviceLevel} below ${s.expected.floor} (Erlang C ${s.expected.serviceLevel} for ${s.expected.servers} slots, ${s.expected.arrivalsPerHour} hand-offs/h)`,
    );
  if (!existsSync(report) || !readFileSync(report, 'utf8').includes(`<b>${s.conversations}</b>`))
    problems.push('report missing or wrong');
  if (problems.length) {
    console.error(`${name}: FAILED — ${problems.join(', ')}`);
    return 'failed';
  }
  if (s.expected.floor < MEANINGFUL_FLOOR) return 'vacuous';
  console.log(
    `${name}: ok (service level ${s.serviceLevel}, Erlang C ${s.expected.serviceLevel}, floor ${s.expected.floor})`,
  );
  return 'ok';
}
