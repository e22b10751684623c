export * from './client.ts';
export { loadMigrations, runMigrations } from './migrate.ts';
export * as schema from './schema/index.ts';
