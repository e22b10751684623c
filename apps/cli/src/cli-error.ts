/** An error the CLI prints as one line (naming file, line and field where it can) before exiting non-zero. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
    this.name = 'CliError';
  }
}
