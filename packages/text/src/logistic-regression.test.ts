import { describe, expect, it } from 'vitest';
import { computeAuc, predictLogit, sigmoid, trainLogisticRegression } from './logistic-regression.ts';

describe('trainLogisticRegression', () => {
  it('learns a separable rule and returns weights in the raw feature scale', () => {
    const rows: number[][] = [];
    const labels: number[] = [];
    for (let i = 0; i < 200; i++) {
      const a = (i % 20) * 5; // 0..95, a large raw scale
      const b = (i * 7) % 3;
      rows.push([a, b]);
      labels.push(a > 50 ? 1 : 0);
    }
    const model = trainLogisticRegression(rows, labels, { epochs: 800, l2: 0 });
    expect(model.weights[0]).toBeGreaterThan(0);
    expect(sigmoid(predictLogit(model, [90, 1]))).toBeGreaterThan(0.9);
    expect(sigmoid(predictLogit(model, [10, 1]))).toBeLessThan(0.1);
  });

  it('rejects rows without labels', () => {
    expect(() => trainLogisticRegression([[1]], [])).toThrow(/label/);
  });
});

describe('computeAuc', () => {
  it('is 1 for a perfect ranking, 0.5 for ties and 0 for an inverted one', () => {
    expect(computeAuc([0.1, 0.2, 0.8, 0.9], [0, 0, 1, 1])).toBe(1);
    expect(computeAuc([0.5, 0.5], [0, 1])).toBe(0.5);
    expect(computeAuc([0.9, 0.1], [0, 1])).toBe(0);
  });
});

describe('sigmoid', () => {
  it('is stable for large magnitudes', () => {
    expect(sigmoid(1000)).toBe(1);
    expect(sigmoid(-1000)).toBe(0);
    expect(sigmoid(0)).toBe(0.5);
  });
});
