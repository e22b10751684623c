import type { Command } from 'commander';
import { CliError } from '../cli-error.ts';

export function registerStartCommand(program: Command): void {
  program
    .command('start')
    .description('start the server and web app (PGlite in --data-dir unless DATABASE_URL is set)')
    // No commander defaults here: a default would override PORT/HOST from the environment.
    // Precedence is flag > environment > the config's default (apps/server/src/config.ts).
    .option('--port <port>', 'HTTP port (default: $PORT or 3000)')
    .option('--host <host>', 'address to listen on (default: $HOST or 0.0.0.0)')
    .option('--demo', 'seed a demo merchant and print its logins')
    .action(async (_opts, command: Command) => {
      const o = command.optsWithGlobals<{
        port?: string;
        host?: string;
        demo?: boolean;
        dataDir?: string;
        json?: boolean;
      }>();
      // Loaded on demand: commands that need no server (forecast, staffing…) start fast.
      const { ConfigError, parseConfig, startServer } = await import('@peakdesk/server');
      const port = o.port === undefined ? undefined : Number(o.port);
      if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535))
        throw new CliError(`--port: "${o.port}" is not a port number`);
      let config: import('@peakdesk/server').Config;
      try {
        config = parseConfig(process.env, { port, host: o.host, dataDir: o.dataDir });
      } catch (e) {
        if (e instanceof ConfigError) throw new CliError(e.message);
        throw e;
      }
      const server = await startServer(config, { demo: Boolean(o.demo) });
      const base = `http://localhost:${server.port}`;
      const lines = [
        '',
        `PeakDesk is running (${server.db.kind === 'pglite' ? `embedded PGlite in ${config.dataDir}` : 'PostgreSQL'}${config.redisUrl ? ' + Redis' : ''})`,
        `  workspace      ${base}/`,
        `  demo store     ${base}/demo`,
        `  API docs       ${base}/docs`,
      ];
      if (server.demoLogins.length) {
        lines.push('', `Demo logins (password for all: ${server.demoLogins[0]!.password}):`);
        for (const l of server.demoLogins) lines.push(`  ${l.role.padEnd(11)}${l.email.padEnd(34)}${l.name}`);
      }
      if (server.setupToken) {
        const dataDirFlag =
          server.db.kind === 'pglite' && o.dataDir !== undefined
            ? ` --data-dir ${JSON.stringify(o.dataDir)}`
            : '';
        lines.push(
          '',
          'First run: there is no organisation admin yet. Create the organisation and its first admin',
          'either in the browser (the token in this link works once, so only someone who can read',
          'this console can claim the install):',
          `  ${base}/setup?token=${server.setupToken}`,
          'or on this machine:',
          `  peakdesk admin create --email you@example.com --org "Your shop"${dataDirFlag}`,
          'Agencies hosting several merchants add more later with `peakdesk org create --help`.',
        );
      }
      process.stderr.write(`${lines.join('\n')}\n\n`);
      const stop = async (signal: string) => {
        server.logger.info({ signal }, 'shutting down');
        await server.close();
        process.exit(0);
      };
      process.once('SIGTERM', () => void stop('SIGTERM'));
      process.once('SIGINT', () => void stop('SIGINT'));
    });
}
