import { createTestDatabase } from '@peakdesk/db/testing';
import { parseConfig, type RunningServer, startServer } from '@peakdesk/server';
import pino from 'pino';

async function startOnFreshDatabase(demo: boolean): Promise<RunningServer> {
  const database = await createTestDatabase();
  const config = parseConfig(
    { PEAKDESK_RATE_LIMIT_PER_MINUTE: '100000' },
    { port: 0, host: '127.0.0.1', databaseUrl: database.url },
  );
  return startServer(config, { demo, database, logger: pino({ level: 'silent' }) });
}

/** The real server with the demo merchant, on a fresh database, on a random port. */
export const startDemoServer = () => startOnFreshDatabase(true);

/** The real server on an empty database, as `peakdesk start` without `--demo` finds it the first time. */
export const startEmptyServer = () => startOnFreshDatabase(false);
