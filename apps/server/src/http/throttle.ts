import type { FastifyReply } from 'fastify';
import type { Redis } from 'ioredis';

/**
 * Fixed-window counters for throttles that @fastify/rate-limit's one-key-per-route model cannot
 * express (failed sign-ins per account and per address, widget sessions per address and per store).
 * With Redis every instance counts into the same keys; without it each instance counts alone.
 */
export type CounterStore = {
  /** Adds one to `key` and returns the count in the current window and the ms left in it. */
  hit(key: string, windowMs: number): Promise<{ count: number; resetMs: number }>;
  peek(key: string): Promise<{ count: number; resetMs: number }>;
  reset(key: string): Promise<void>;
};

export function createMemoryCounterStore(now: () => number = Date.now): CounterStore {
  const windows = new Map<string, { count: number; resetAt: number }>();
  const sweep = () => {
    if (windows.size < 10_000) return;
    const t = now();
    for (const [k, w] of windows) if (w.resetAt <= t) windows.delete(k);
  };
  const live = (key: string) => {
    const w = windows.get(key);
    if (w && w.resetAt <= now()) {
      windows.delete(key);
      return undefined;
    }
    return w;
  };
  return {
    async hit(key, windowMs) {
      sweep();
      const w = live(key) ?? { count: 0, resetAt: now() + windowMs };
      w.count++;
      windows.set(key, w);
      return { count: w.count, resetMs: w.resetAt - now() };
    },
    async peek(key) {
      const w = live(key);
      return w ? { count: w.count, resetMs: w.resetAt - now() } : { count: 0, resetMs: 0 };
    },
    async reset(key) {
      windows.delete(key);
    },
  };
}

/**
 * Redis counters; if Redis is unreachable the instance falls back to counting alone, never to no
 * limit. `namespace` separates deployments (and test databases) sharing one Redis.
 */
export function createRedisCounterStore(redis: Redis, namespace: string): CounterStore {
  const local = createMemoryCounterStore();
  const k = (key: string) => `pd:throttle:${namespace}:${key}`;
  return {
    async hit(key, windowMs) {
      try {
        const res = await redis.multi().incr(k(key)).pexpire(k(key), windowMs, 'NX').pttl(k(key)).exec();
        const count = Number(res?.[0]?.[1]);
        const ttl = Number(res?.[2]?.[1]);
        if (!Number.isFinite(count)) throw new Error('no reply');
        return { count, resetMs: ttl > 0 ? ttl : windowMs };
      } catch {
        return local.hit(key, windowMs);
      }
    },
    async peek(key) {
      try {
        const [count, ttl] = await Promise.all([redis.get(k(key)), redis.pttl(k(key))]);
        return { count: Number(count ?? 0), resetMs: Math.max(0, ttl) };
      } catch {
        return local.peek(key);
      }
    },
    async reset(key) {
      await local.reset(key);
      await redis.del(k(key)).catch(() => {});
    },
  };
}

/** A throttle that refused: the client may retry after `retryAfterSeconds`. */
export type Refusal = { retryAfterSeconds: number; message: string };

function refusal(resetMs: number, what: string): Refusal {
  const retryAfterSeconds = Math.max(1, Math.ceil(resetMs / 1000));
  return { retryAfterSeconds, message: `${what}; retry in ${retryAfterSeconds} s` };
}

/** The one 429 a throttle answers: `Retry-After` and a message that names when to retry. */
export function sendRefusal(reply: FastifyReply, code: string, refusal: Refusal) {
  return reply
    .status(429)
    .header('retry-after', String(refusal.retryAfterSeconds))
    .send({ code, message: refusal.message, retryAfterSeconds: refusal.retryAfterSeconds });
}

const FAILURE_WINDOW_MS = 15 * 60_000;
/** An address may fail this many times more than one account: an office shares one address. */
const ADDRESS_FACTOR = 5;

/**
 * Password guessing is limited by the normalised account (however the address changes) and by the
 * client address (however the accounts change). Only failures count, so an office signing in many
 * agents from one address is never slowed down; a success clears the account's count.
 */
export function createLoginThrottle(store: CounterStore, maxFailures: number) {
  const accountKey = (email: string) => `login:acct:${normaliseEmail(email)}`;
  const addressKey = (ip: string) => `login:addr:${ip}`;
  return {
    async check(email: string, ip: string): Promise<Refusal | null> {
      const [acct, addr] = await Promise.all([store.peek(accountKey(email)), store.peek(addressKey(ip))]);
      if (acct.count >= maxFailures)
        return refusal(acct.resetMs, 'too many failed sign-ins for this account');
      if (addr.count >= maxFailures * ADDRESS_FACTOR)
        return refusal(addr.resetMs, 'too many failed sign-ins from this address');
      return null;
    },
    async failed(email: string, ip: string) {
      await Promise.all([
        store.hit(accountKey(email), FAILURE_WINDOW_MS),
        store.hit(addressKey(ip), FAILURE_WINDOW_MS),
      ]);
    },
    async succeeded(email: string) {
      await store.reset(accountKey(email));
    },
  };
}
export type LoginThrottle = ReturnType<typeof createLoginThrottle>;

export const normaliseEmail = (email: string) => email.trim().toLowerCase();

/**
 * New widget sessions (each one may create a customer row and signs a visitor token) per client
 * address and per store, so neither one address nor many can mint customers without bound.
 */
export function createWidgetSessionThrottle(
  store: CounterStore,
  limits: { perAddress: number; perStore: number },
) {
  return {
    /**
     * `isAddressExempt` is asked only when the address is over its limit: drill stores, whose
     * simulated customers all come from this host, are held to the per-store limit alone.
     */
    async take(
      ip: string,
      storeId: string,
      isAddressExempt: () => Promise<boolean> = async () => false,
    ): Promise<Refusal | null> {
      const addr = await store.hit(`widget:addr:${ip}`, 60_000);
      if (addr.count > limits.perAddress && !(await isAddressExempt()))
        return refusal(
          addr.resetMs,
          `more than ${limits.perAddress} widget sessions a minute from this address`,
        );
      const perStore = await store.hit(`widget:store:${storeId}`, 60_000);
      if (perStore.count > limits.perStore)
        return refusal(
          perStore.resetMs,
          `more than ${limits.perStore} widget sessions a minute for this store`,
        );
      return null;
    },
  };
}
export type WidgetSessionThrottle = ReturnType<typeof createWidgetSessionThrottle>;
