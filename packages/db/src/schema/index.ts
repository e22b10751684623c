export * from './drills.schema.ts';
export * from './foundation.schema.ts';
export * from './knowledge.schema.ts';
export * from './outbox.schema.ts';
export * from './routing.schema.ts';
export * from './workforce.schema.ts';
