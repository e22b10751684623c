import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { type DatabaseHandle, openDatabase } from './client.ts';

/**
 * A fresh, migrated database for one test file: in-memory PGlite by default, or — when
 * DATABASE_URL is set — a new PostgreSQL database created for the file and dropped afterwards.
 */
export async function createTestDatabase(): Promise<DatabaseHandle & { url: string | undefined }> {
  const baseUrl = process.env.DATABASE_URL;
  if (!baseUrl) return { ...(await openDatabase({})), url: undefined };
  const name = `peakdesk_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = withDatabase(baseUrl, name);
  const handle = await openDatabase({ url, poolSize: 5 });
  return {
    ...handle,
    url,
    async close() {
      await handle.close();
      const c = new pg.Client({ connectionString: baseUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
