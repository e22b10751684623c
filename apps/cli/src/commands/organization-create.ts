import { createInterface } from 'node:readline';
import { ZCreateOrganizationRequest } from '@peakdesk/contracts';
import { CliError } from '../cli-error.ts';
import { openCliStandalone } from './standalone-context.ts';

type Flags = Record<'orgName' | 'name' | 'email' | 'password', string>;

/**
 * The password from the flag, else from the terminal (typed twice, not echoed), else the first line of
 * standard input so scripts can pipe it in.
 */
async function readPassword(flag: string): Promise<string> {
  if (!process.stdin.isTTY) {
    const lines = createInterface({ input: process.stdin });
    for await (const line of lines) {
      lines.close();
      return line;
    }
    throw new CliError(`${flag}: not given (pass ${flag}, type it at the prompt, or pipe it on stdin)`);
  }
  const ask = (question: string) =>
    new Promise<string>((resolve) => {
      const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
      const output = rl as unknown as { _writeToOutput: (s: string) => void };
      process.stderr.write(question);
      output._writeToOutput = () => {};
      rl.question('', (answer) => {
        rl.close();
        process.stderr.write('\n');
        resolve(answer);
      });
    });
  const first = await ask('password: ');
  if ((await ask('password again: ')) !== first) throw new CliError(`${flag}: the two entries differ`);
  return first;
}

/** Creates an organisation (or adds an admin to one) and prints what was created; errors name the flag. */
export async function runCreateOrganization(opts: {
  dataDir: string | undefined;
  json?: boolean | undefined;
  /** No email: `org create --name` alone, an organisation whose admin `admin create --org ID` adds. */
  values: {
    orgName: string;
    name?: string | undefined;
    email?: string | undefined;
    password?: string | undefined;
  };
  flags: Flags;
  existing: 'add-admin' | 'refuse';
}): Promise<void> {
  const { email } = opts.values;
  const withAdmin = email !== undefined;
  const values = withAdmin
    ? {
        ...opts.values,
        name: opts.values.name ?? (email.split('@')[0] || email),
        password: opts.values.password ?? (await readPassword(opts.flags.password)),
      }
    : { orgName: opts.values.orgName };
  // Checked before the database opens, so a typo fails at once.
  const schema = withAdmin ? ZCreateOrganizationRequest : ZCreateOrganizationRequest.pick({ orgName: true });
  const parsed = schema.safeParse(values);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new CliError(`${opts.flags[issue.path[0] as keyof Flags]}: ${issue.message}`);
  }
  const standalone = await openCliStandalone(opts.dataDir);
  try {
    const created = await standalone.organizations
      .createOrganization(parsed.data, opts.existing)
      .catch((error: unknown) => {
        // Domain errors start with the request field ("email: already in use"); name the flag instead.
        const field = (error as { field?: keyof Flags }).field;
        if (error instanceof Error && error.name === 'DomainError' && field && field in opts.flags)
          throw new CliError(error.message.replace(new RegExp(`^${field}:`), `${opts.flags[field]}:`));
        throw error;
      });
    if (opts.json) process.stdout.write(`${JSON.stringify(created)}\n`);
    else
      process.stdout.write(
        `${created.isNewOrganization ? 'created organisation' : 'organisation'} "${created.orgName}" (${created.orgId})\n${
          created.email
            ? `admin ${created.email} can now sign in; store ${created.storeId} is ready for the widget\n`
            : `add its admin: peakdesk admin create --org ${created.orgId} --email …\n`
        }`,
      );
  } finally {
    await standalone.close();
  }
}
