import { ConfigError, openStandalone, parseConfig, type Standalone } from '@peakdesk/server';
import { CliError } from '../cli-error.ts';

/** Opens the database of --data-dir (or DATABASE_URL), migrating it first if it is new. */
export async function openCliStandalone(dataDir: string | undefined): Promise<Standalone> {
  let config: ReturnType<typeof parseConfig>;
  try {
    config = parseConfig(process.env, { dataDir });
  } catch (e) {
    if (e instanceof ConfigError) throw new CliError(e.message);
    throw e;
  }
  return openStandalone(config);
}

/** Domain errors already name file, line and field: print them as the one-line reason. */
export function rethrowDomainError(error: unknown): never {
  if (error instanceof Error && error.name === 'DomainError') throw new CliError(error.message);
  throw error;
}
