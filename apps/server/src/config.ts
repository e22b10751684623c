import { isIP } from 'node:net';
import { z } from 'zod';

const list = (v: string | undefined) =>
  (v ?? '')
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
// proxy-addr's names for address ranges, accepted next to addresses and CIDRs.
const PROXY_KEYWORDS = new Set(['loopback', 'linklocal', 'uniquelocal']);
const isProxyEntry = (x: string) => {
  if (PROXY_KEYWORDS.has(x)) return true;
  const [addr, bits, ...rest] = x.split('/');
  if (rest.length > 0 || !addr || isIP(addr) === 0) return false;
  return bits === undefined || /^\d{1,3}$/.test(bits);
};
const isOrigin = (x: string) => {
  try {
    const u = new URL(x);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.origin === x;
  } catch {
    return false;
  }
};

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
  /** How long a claimed job / event delivery stays another instance's before it is taken again. */
  PEAKDESK_WORK_LEASE_MS: z.coerce.number().int().min(1000).max(3_600_000).optional(),
  PEAKDESK_AGENT_GRACE_SECONDS: z.coerce.number().min(0.1).max(3600).default(60),
  PEAKDESK_ABANDON_GRACE_SECONDS: z.coerce.number().min(0.1).max(3600).default(120),
  PEAKDESK_WALL_INTERVAL_MS: z.coerce.number().int().min(100).max(60_000).default(2000),
  PEAKDESK_TRUST_PROXY: z
    .string()
    .optional()
    .refine((v) => list(v).every(isProxyEntry), 'must be a comma-separated list of addresses or CIDRs'),
  PEAKDESK_ALLOWED_ORIGINS: z
    .string()
    .optional()
    .refine(
      (v) => list(v).every(isOrigin),
      'must be a comma-separated list of origins such as https://desk.example.com',
    ),
  PEAKDESK_LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).max(1000).default(10),
  PEAKDESK_WIDGET_SESSIONS_PER_MINUTE: z.coerce.number().int().min(1).default(60),
  PEAKDESK_WIDGET_SESSIONS_PER_STORE_PER_MINUTE: z.coerce.number().int().min(1).default(6000),
  PEAKDESK_VISITOR_TOKEN_TTL_DAYS: z.coerce.number().positive().max(3650).default(30),
  PEAKDESK_DRILL_ORGS_PER_ORG: z.coerce.number().int().min(1).max(1000).default(5),
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
  /** Lease of claimed jobs and deliveries (default: jobs 60 s, deliveries 30 s). */
  workLeaseMs?: number | undefined;
  agentGraceSeconds: number;
  abandonGraceSeconds: number;
  wallIntervalMs: number;
  /** Proxies whose `X-Forwarded-*` headers are believed; empty = none (the socket address is the client). */
  trustProxy: string[];
  /** Origins besides the server's own allowed for cookie-authenticated writes and socket handshakes. */
  allowedOrigins: string[];
  /** Failed sign-ins per account in 15 minutes before it is locked; an address gets 5× as many. */
  loginMaxFailures: number;
  widgetSessionsPerMinute: number;
  widgetSessionsPerStorePerMinute: number;
  /** How long a visitor token (widget) is valid after it was minted; each widget session mints a new one. */
  visitorTokenTtlMs: number;
  /** Live drill organisations one organisation may have at once (docs/security.md). */
  drillOrgsPerOrg: number;
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
    workLeaseMs: e.PEAKDESK_WORK_LEASE_MS,
    agentGraceSeconds: e.PEAKDESK_AGENT_GRACE_SECONDS,
    abandonGraceSeconds: e.PEAKDESK_ABANDON_GRACE_SECONDS,
    wallIntervalMs: e.PEAKDESK_WALL_INTERVAL_MS,
    trustProxy: list(e.PEAKDESK_TRUST_PROXY),
    allowedOrigins: [
      ...list(e.PEAKDESK_ALLOWED_ORIGINS),
      ...(e.PEAKDESK_PUBLIC_URL ? [new URL(e.PEAKDESK_PUBLIC_URL).origin] : []),
    ],
    loginMaxFailures: e.PEAKDESK_LOGIN_MAX_FAILURES,
    widgetSessionsPerMinute: e.PEAKDESK_WIDGET_SESSIONS_PER_MINUTE,
    widgetSessionsPerStorePerMinute: e.PEAKDESK_WIDGET_SESSIONS_PER_STORE_PER_MINUTE,
    visitorTokenTtlMs: Math.round(e.PEAKDESK_VISITOR_TOKEN_TTL_DAYS * 86_400_000),
    drillOrgsPerOrg: e.PEAKDESK_DRILL_ORGS_PER_ORG,
    ...Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined)),
  };
}
