export * from './foundation.schema.ts';
export * from './routing.schema.ts';
