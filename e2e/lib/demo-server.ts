import { createTestDatabase } from '@peakdesk/db/testing';
import { parseConfig, type RunningServer, startServer } from '@peakdesk/server';
import pino from 'pino';

/** The real server with the demo merchant, on a fresh database, on a random port. */
export async function startDemoServer(): Promise<RunningServer> {
  const database = await createTestDatabase();
  const config = parseConfig(
    { PEAKDESK_RATE_LIMIT_PER_MINUTE: '100000' },
    { port: 0, host: '127.0.0.1', databaseUrl: database.url },
  );
  return startServer(config, { demo: true, database, logger: pino({ level: 'silent' }) });
}
