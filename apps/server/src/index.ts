export { type Config, ConfigError, parseConfig } from './config.ts';
export { type RunningServer, startServer } from './main.ts';
export { openStandalone, type Standalone } from './standalone.ts';
