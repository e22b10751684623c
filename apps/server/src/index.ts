export { type Config, ConfigError, parseConfig } from './config.ts';
export { type RunningServer, startServer } from './main.ts';
export { hashPassword } from './modules/accounts/secrets.ts';
export { openStandalone, type Standalone } from './standalone.ts';
