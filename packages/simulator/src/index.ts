export * from './arrival-profile.ts';
export * from './expected-service-level.ts';
export * from './metrics.ts';
export * from './question-bank.ts';
export * from './report-html.ts';
export * from './rng.ts';
export * from './run-simulation.ts';
