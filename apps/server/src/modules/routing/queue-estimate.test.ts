import { describe, expect, it } from 'vitest';
import { estimateWaitSeconds } from './queue-estimate.ts';

describe('queue wait estimate', () => {
  it('is zero while free slots cover the position, unknown with nobody online', () => {
    expect(estimateWaitSeconds({ position: 2, totalSlots: 10, freeSlots: 3, ahtSeconds: 300 })).toBe(0);
    expect(estimateWaitSeconds({ position: 1, totalSlots: 0, freeSlots: 0, ahtSeconds: 300 })).toBeNull();
  });
  it('grows by one slot interval (aht / slots) per position', () => {
    const e = (position: number) =>
      estimateWaitSeconds({ position, totalSlots: 10, freeSlots: 0, ahtSeconds: 300 });
    expect(e(1)).toBe(15);
    expect(e(2)).toBe(45);
    expect(e(11)! - e(1)!).toBe(300);
  });
});
