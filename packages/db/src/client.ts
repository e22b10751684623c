import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { type SQL, sql } from 'drizzle-orm';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import pg from 'pg';
import { runMigrations, type SqlRunner } from './migrate.ts';
import * as schema from './schema/index.ts';

export type Schema = typeof schema;
/** One type for both drivers: repositories never know whether PGlite or PostgreSQL is underneath. */
export type Database = PgDatabase<PgQueryResultHKT, Schema>;
export type DatabaseKind = 'pglite' | 'postgres';

export type DatabaseHandle = {
  db: Database;
  kind: DatabaseKind;
  /** Runs raw SQL on a single connection (used by migrations and tests). */
  runner: SqlRunner;
  close(): Promise<void>;
};

export type OpenDatabaseOptions = {
  /** postgres://… — when set, PostgreSQL is used and dataDir is ignored. */
  url?: string | undefined;
  /** PGlite data folder; omitted means an in-memory database (tests). */
  dataDir?: string | undefined;
  poolSize?: number;
  migrate?: boolean;
};

export async function openDatabase(options: OpenDatabaseOptions): Promise<DatabaseHandle> {
  const handle = options.url
    ? openPostgres(options.url, options.poolSize ?? 10)
    : await openPglite(options.dataDir);
  if (options.migrate !== false) await runMigrations(handle.runner);
  return handle;
}

function openPostgres(url: string, poolSize: number): DatabaseHandle {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  // An idle client error (e.g. the server restarted) must not crash the process; the pool reconnects.
  pool.on('error', () => {});
  const db = drizzlePg(pool, { schema }) as unknown as Database;
  const runner: SqlRunner = {
    async withConnection(fn) {
      const client = await pool.connect();
      try {
        return await fn({
          query: async (text, params) => (await client.query(text, params as unknown[])).rows,
          exec: async (text) => {
            await client.query(text);
          },
        });
      } finally {
        client.release();
      }
    },
  };
  return { db, kind: 'postgres', runner, close: () => pool.end() };
}

async function openPglite(dataDir: string | undefined): Promise<DatabaseHandle> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const client = dataDir ? new PGlite(dataDir) : new PGlite();
  await client.waitReady;
  const db = drizzlePglite(client, { schema }) as unknown as Database;
  const runner: SqlRunner = {
    withConnection: (fn) =>
      fn({
        query: async (text, params) => (await client.query(text, params as unknown[])).rows as never,
        exec: async (text) => {
          await client.exec(text);
        },
      }),
  };
  return { db, kind: 'pglite', runner, close: () => client.close() };
}

/** Rows of a raw SQL query, whichever driver runs it. */
export async function queryRows<T>(db: Database, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}

export { sql };
