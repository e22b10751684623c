import { Command, CommanderError } from 'commander';
import { CliError } from './cli-error.ts';
import { registerCommands } from './commands/index.ts';

export function buildProgram(): Command {
  const program = new Command('peakdesk')
    .description('PeakDesk — customer service for e-commerce promotion peaks')
    // No commander default: it would override PEAKDESK_DATA_DIR (flag > environment > ./data).
    .option(
      '--data-dir <dir>',
      'embedded database folder, ignored when DATABASE_URL is set (default: $PEAKDESK_DATA_DIR or ./data)',
    )
    .option('--json', 'machine-readable output')
    .exitOverride()
    .showHelpAfterError();
  registerCommands(program);
  return program;
}

export async function runCli(argv: string[]): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      // help and version are "errors" to commander; they exit 0.
      process.exit(error.exitCode);
    }
    if (error instanceof CliError) {
      process.stderr.write(`peakdesk: ${error.message}\n`);
      process.exit(error.exitCode);
    }
    process.stderr.write(`peakdesk: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}
