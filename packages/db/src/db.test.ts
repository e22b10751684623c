import { is } from 'drizzle-orm';
import { getTableConfig, PgTable } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows, sql } from './client.ts';
import { runMigrations } from './migrate.ts';
import * as schema from './schema/index.ts';
import { createTestDatabase } from './testing.ts';

let handle: Awaited<ReturnType<typeof createTestDatabase>>;
beforeAll(async () => {
  handle = await createTestDatabase();
});
afterAll(async () => {
  await handle.close();
});

describe('migrations', () => {
  it('are applied once and are idempotent on a second run', async () => {
    const again = await runMigrations(handle.runner);
    expect(again).toEqual([]);
    const rows = await queryRows<{ version: string }>(handle.db, sql`SELECT version FROM schema_migrations`);
    expect(rows.map((r) => r.version)).toContain('0001_foundation');
  });

  it('drizzle schema matches the SQL migrations column for column', async () => {
    const tables: PgTable[] = Object.values(schema as Record<string, unknown>).filter((v): v is PgTable =>
      is(v, PgTable),
    );
    expect(tables.length).toBeGreaterThan(10);
    for (const table of tables) {
      const config = getTableConfig(table);
      const cols = await queryRows<{ column_name: string }>(
        handle.db,
        sql`SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = ${config.name}`,
      );
      const dbCols = cols.map((c) => c.column_name).sort();
      expect(dbCols, `table ${config.name}`).toEqual(config.columns.map((c) => c.name).sort());
    }
  });

  it('uses the database selected by DATABASE_URL', () => {
    expect(handle.kind).toBe(process.env.DATABASE_URL ? 'postgres' : 'pglite');
  });
});
