import { z } from 'zod';

/** The one place that reads process.env; everything else receives a parsed Config. */
const ZEnv = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
    .optional(),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must start with redis:// or rediss://')
    .optional(),
  PEAKDESK_DATA_DIR: z.string().default('./data'),
  PEAKDESK_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  PEAKDESK_PUBLIC_URL: z.url().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  PEAKDESK_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(1200),
  PEAKDESK_SOCKET_MSGS_PER_SECOND: z.coerce.number().min(1).default(20),
  PEAKDESK_DB_POOL: z.coerce.number().int().min(1).max(200).default(20),
  PEAKDESK_INSTANCE_ID: z.string().optional(),
  PEAKDESK_TIMER_POLL_MS: z.coerce.number().int().min(10).max(60_000).default(1000),
  PEAKDESK_AGENT_GRACE_SECONDS: z.coerce.number().min(0.1).max(3600).default(60),
  PEAKDESK_ABANDON_GRACE_SECONDS: z.coerce.number().min(0.1).max(3600).default(120),
  PEAKDESK_WALL_INTERVAL_MS: z.coerce.number().int().min(100).max(60_000).default(2000),
});

export type Config = {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  redisUrl: string | undefined;
  dataDir: string;
  /** Server-wide secret for visitor tokens; when unset one is generated and kept in the database. */
  secret: string | undefined;
  publicUrl: string | undefined;
  logLevel: z.infer<typeof ZEnv>['LOG_LEVEL'];
  rateLimitPerMinute: number;
  socketMessagesPerSecond: number;
  dbPoolSize: number;
  instanceId: string;
  /** Durable timers (no-reply, max wait, abandonment) are polled this often. */
  timerPollMs: number;
  agentGraceSeconds: number;
  abandonGraceSeconds: number;
  wallIntervalMs: number;
};

export class ConfigError extends Error {}

export function parseConfig(
  env: Record<string, string | undefined>,
  /** Values given on the command line; an undefined one leaves the environment's (flag > env > default). */
  overrides: { [K in keyof Config]?: Config[K] | undefined } = {},
): Config {
  const parsed = ZEnv.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`invalid environment variable ${String(issue?.path[0])}: ${issue?.message}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    dataDir: e.PEAKDESK_DATA_DIR,
    secret: e.PEAKDESK_SECRET,
    publicUrl: e.PEAKDESK_PUBLIC_URL,
    logLevel: e.LOG_LEVEL,
    rateLimitPerMinute: e.PEAKDESK_RATE_LIMIT_PER_MINUTE,
    socketMessagesPerSecond: e.PEAKDESK_SOCKET_MSGS_PER_SECOND,
    dbPoolSize: e.PEAKDESK_DB_POOL,
    instanceId: e.PEAKDESK_INSTANCE_ID ?? `pd-${process.pid}`,
    timerPollMs: e.PEAKDESK_TIMER_POLL_MS,
    agentGraceSeconds: e.PEAKDESK_AGENT_GRACE_SECONDS,
    abandonGraceSeconds: e.PEAKDESK_ABANDON_GRACE_SECONDS,
    wallIntervalMs: e.PEAKDESK_WALL_INTERVAL_MS,
    ...Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined)),
  };
}
