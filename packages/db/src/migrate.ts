import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export type SqlConnection = {
  query<T = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<T[]>;
  exec(text: string): Promise<void>;
};
export type SqlRunner = { withConnection<T>(fn: (c: SqlConnection) => Promise<T>): Promise<T> };

export const migrationsDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'migrations');

export type Migration = { version: string; sql: string; checksum: string };

export function loadMigrations(dir = migrationsDir): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((file) => {
      const text = readFileSync(join(dir, file), 'utf8');
      return {
        version: file.replace(/\.sql$/, ''),
        sql: text,
        checksum: createHash('sha256').update(text).digest('hex'),
      };
    });
}

/** Arbitrary constant: every instance takes the same advisory lock so only one migrates at a time. */
const MIGRATION_LOCK_KEY = 7_342_001;

/**
 * Applies pending migrations in order, each in its own transaction. Safe when several server
 * instances start together (advisory lock). A changed, already-applied file is a hard error:
 * migrations are append-only.
 */
export async function runMigrations(runner: SqlRunner, migrations = loadMigrations()): Promise<string[]> {
  return runner.withConnection(async (c) => {
    await c.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version text PRIMARY KEY, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    await c.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      const applied = new Map(
        (
          await c.query<{ version: string; checksum: string }>(
            'SELECT version, checksum FROM schema_migrations',
          )
        ).map((r) => [r.version, r.checksum]),
      );
      const ran: string[] = [];
      for (const m of migrations) {
        const previous = applied.get(m.version);
        if (previous !== undefined) {
          if (previous !== m.checksum) {
            throw new Error(
              `migration ${m.version} was changed after it was applied; add a new migration instead`,
            );
          }
          continue;
        }
        await c.exec('BEGIN');
        try {
          await c.exec(m.sql);
          await c.query('INSERT INTO schema_migrations (version, checksum) VALUES ($1, $2)', [
            m.version,
            m.checksum,
          ]);
          await c.exec('COMMIT');
        } catch (error) {
          await c.exec('ROLLBACK');
          throw new Error(
            `migration ${m.version} failed: ${error instanceof Error ? error.message : String(error)}`,
          );
        }
        ran.push(m.version);
      }
      return ran;
    } finally {
      await c.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  });
}
