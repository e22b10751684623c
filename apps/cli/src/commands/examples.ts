import type { Command } from 'commander';

/**
 * One worked example (or more) per command, shown at the end of its `--help` and listed in
 * docs/cli.md. Files named here are under `examples/` in the repository; `cli-examples.test.ts`
 * runs every example marked `runs` from the repository root (with a fresh `--data-dir`) and fails
 * when a command has no example, so the help, the docs and the sample files cannot drift apart.
 */
export type CliExample = {
  /** The command line as a user types it (from the repository root). */
  line: string;
  /** What it shows, one short phrase. */
  what: string;
  /** False for commands that keep running (a server, a drill) or need a running server. */
  runs: boolean;
};

export const CLI_EXAMPLES: Record<string, CliExample[]> = {
  start: [
    { line: 'peakdesk start --demo', what: 'the demo merchant, its logins printed at start', runs: false },
    {
      line: 'peakdesk start --port 8080 --host 127.0.0.1',
      what: 'an empty install; open the printed setup link',
      runs: false,
    },
  ],
  'admin create': [
    {
      line: 'peakdesk admin create --email owner@example.com --org "小熊旗舰店" --password "change-me-123"',
      what: 'first run: the organisation and its first admin',
      runs: true,
    },
  ],
  'org create': [
    {
      line: 'peakdesk org create --name "海风家居" --admin-email ops@haifeng.example --admin-password "change-me-456"',
      what: 'an agency hosting a second, isolated merchant',
      runs: true,
    },
  ],
  'kb import': [
    {
      line: 'peakdesk kb import examples/faq.csv',
      what: 'FAQ entries for the bot (all or nothing)',
      runs: true,
    },
  ],
  'bot ask': [
    {
      line: 'peakdesk bot ask "双11保价吗"',
      what: "one buyer question: the bot's answer, score, hand-off",
      runs: true,
    },
    {
      line: 'peakdesk bot ask --file examples/bot-queries.txt --json',
      what: 'one JSON line per question',
      runs: true,
    },
  ],
  forecast: [
    {
      line: 'peakdesk forecast --history examples/volume-history.csv --interval 30m --horizon 7d',
      what: 'half-hourly forecast for the next week (method picked by backtest)',
      runs: true,
    },
  ],
  staffing: [
    {
      line: 'peakdesk staffing --model erlang-c --volume 180 --interval 30m --aht 240 --target-seconds 30 --service-level 0.8 --concurrency 3',
      what: 'agents for one interval',
      runs: true,
    },
    {
      line: 'peakdesk staffing --model erlang-a --file examples/staffing-volumes.csv --target-seconds 30 --patience 120 --concurrency 3 --shrinkage 0.2',
      what: 'one result per interval of a file',
      runs: true,
    },
  ],
  schedule: [
    {
      line: 'peakdesk schedule --requirements examples/requirements.csv --shifts examples/shifts.json',
      what: 'the cheapest shifts covering the 11.11 requirement curve',
      runs: true,
    },
  ],
  simulate: [
    {
      line: 'peakdesk simulate --profile double11 --speed 600 --report drill.html',
      what: 'a local 00:00–00:30 promotion drill with an HTML report',
      runs: false,
    },
    {
      line: 'peakdesk simulate --url http://127.0.0.1:3000 --login admin@example.com:PASSWORD --intervals examples/simulate-intervals.csv',
      what: 'a drill against a running PeakDesk, from an arrival curve',
      runs: false,
    },
  ],
};

/** `kb import` for the `import` command under `kb`. */
export const commandPath = (c: Command): string => {
  const names: string[] = [];
  for (let at: Command | null = c; at?.parent; at = at.parent) names.unshift(at.name());
  return names.join(' ');
};

/** Every command that runs something (leaves of the tree). */
export const leafCommands = (program: Command): Command[] =>
  program.commands.flatMap((c) => (c.commands.length > 0 ? leafCommands(c) : [c]));

/** Appends each command's examples to its `--help`. */
export function addExamplesToHelp(program: Command): void {
  for (const command of leafCommands(program)) {
    const examples = CLI_EXAMPLES[commandPath(command)];
    if (!examples) continue;
    const width = Math.max(...examples.map((e) => e.line.length));
    const lines = examples.map((e) =>
      width <= 90 ? `  ${e.line.padEnd(width)}   # ${e.what}` : `  # ${e.what}\n  ${e.line}`,
    );
    command.addHelpText(
      'after',
      `\nExample${examples.length > 1 ? 's' : ''} (from the repository root; files in examples/, formats in docs/cli.md):\n${lines.join('\n')}\n`,
    );
  }
}
