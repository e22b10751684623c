export * from './accounts.ts';
export * from './chat.ts';
export * from './common.ts';
export * from './drills.ts';
export * from './knowledge.ts';
export * from './quick-replies.ts';
export * from './routing.ts';
export * from './workforce.ts';
