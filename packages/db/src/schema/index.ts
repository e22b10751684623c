export * from './foundation.schema.ts';
