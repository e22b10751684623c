import { describe, expect, it } from 'vitest';
import { aggregateToIntervals } from './series.ts';

const at = (h: number, m = 0) => Date.UTC(2024, 10, 11, h, m);

describe('aggregateToIntervals', () => {
  it('sums finer history into 30-minute intervals and fills gaps with zero', () => {
    const points = [
      { start: at(0, 0), count: 1 },
      { start: at(0, 15), count: 2 },
      { start: at(0, 30), count: 3 },
      { start: at(0, 45), count: 4 },
      { start: at(1, 30), count: 5 },
      { start: at(1, 45), count: 6 },
    ];
    const series = aggregateToIntervals(points, 30);
    expect(series.start).toBe(at(0));
    expect(series.values).toEqual([3, 7, 0, 11]);
  });

  it('spreads coarser (hourly) history evenly over 15-minute intervals', () => {
    const series = aggregateToIntervals(
      [
        { start: at(8), count: 40 },
        { start: at(9), count: 8 },
      ],
      15,
    );
    expect(series.values).toEqual([10, 10, 10, 10, 2, 2, 2, 2]);
  });

  it('drops a partial first interval', () => {
    const series = aggregateToIntervals(
      [
        { start: at(0, 15), count: 9 },
        { start: at(0, 30), count: 1 },
        { start: at(0, 45), count: 1 },
      ],
      30,
    );
    expect(series.start).toBe(at(0, 30));
    expect(series.values).toEqual([2]);
  });
});
