/** Per-connection rate limit: `ratePerSecond` sustained, bursts up to twice that. */
export function createTokenBucket(ratePerSecond: number, now: () => number = Date.now) {
  const capacity = ratePerSecond * 2;
  let tokens = capacity;
  let last = now();
  return {
    take(): boolean {
      const t = now();
      tokens = Math.min(capacity, tokens + ((t - last) / 1000) * ratePerSecond);
      last = t;
      if (tokens < 1) return false;
      tokens -= 1;
      return true;
    },
  };
}
