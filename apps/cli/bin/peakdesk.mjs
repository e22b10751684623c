#!/usr/bin/env node
// Runs the TypeScript CLI directly through tsx, so `npx peakdesk …` works right after `npm install`.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../src/main.ts');
await runCli(process.argv);
