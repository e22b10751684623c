/**
 * Per-caller rate limit: `ratePerSecond` sustained, bursts up to twice that. A class rather than a
 * closure: one small object per connected caller, with `take` shared on the prototype.
 */
export class TokenBucket {
  private readonly capacity: number;
  private tokens: number;
  private last: number;
  constructor(
    private readonly ratePerSecond: number,
    private readonly now: () => number = Date.now,
  ) {
    this.capacity = ratePerSecond * 2;
    this.tokens = this.capacity;
    this.last = now();
  }
  take(): boolean {
    const t = this.now();
    this.tokens = Math.min(this.capacity, this.tokens + ((t - this.last) / 1000) * this.ratePerSecond);
    this.last = t;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
