// A few dozen lines of batch logistic regression: the feature vectors are tiny (≤ 20 columns), so a
// dependency would add weight without adding anything.

export type LinearModel = {
  /** Weights in the raw feature scale (standardisation is folded in), so w·x + b is the logit. */
  weights: number[];
  bias: number;
};

export type TrainOptions = {
  epochs?: number;
  learningRate?: number;
  /** L2 penalty on the standardised weights. */
  l2?: number;
  /** Weight of each positive example relative to a negative one (for rare positives). */
  positiveWeight?: number;
};

export function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

export function predictLogit(model: LinearModel, features: readonly number[]): number {
  let z = model.bias;
  for (let i = 0; i < features.length; i++) z += (model.weights[i] ?? 0) * (features[i] ?? 0);
  return z;
}

/** Full-batch gradient descent with Adam on standardised features; deterministic (zero init). */
export function trainLogisticRegression(
  rows: readonly (readonly number[])[],
  labels: readonly number[],
  options: TrainOptions = {},
): LinearModel {
  const { epochs = 400, learningRate = 0.05, l2 = 1e-3, positiveWeight = 1 } = options;
  const n = rows.length;
  const d = rows[0]?.length ?? 0;
  if (n === 0 || labels.length !== n) throw new Error('trainLogisticRegression: need one label per row');
  const mean = new Array<number>(d).fill(0);
  const std = new Array<number>(d).fill(0);
  for (const row of rows) for (let j = 0; j < d; j++) mean[j]! += (row[j] ?? 0) / n;
  for (const row of rows) for (let j = 0; j < d; j++) std[j]! += ((row[j] ?? 0) - mean[j]!) ** 2 / n;
  for (let j = 0; j < d; j++) std[j] = Math.sqrt(std[j]!) || 1;
  const x = rows.map((row) => row.map((v, j) => (v - mean[j]!) / std[j]!));
  const sampleWeight = labels.map((y) => (y === 1 ? positiveWeight : 1));
  const totalWeight = sampleWeight.reduce((a, b) => a + b, 0);

  const w = new Array<number>(d + 1).fill(0); // last slot is the bias
  const m = new Array<number>(d + 1).fill(0);
  const v = new Array<number>(d + 1).fill(0);
  const grad = new Array<number>(d + 1).fill(0);
  const [beta1, beta2, eps] = [0.9, 0.999, 1e-8];
  for (let epoch = 1; epoch <= epochs; epoch++) {
    grad.fill(0);
    for (let i = 0; i < n; i++) {
      const xi = x[i]!;
      let z = w[d]!;
      for (let j = 0; j < d; j++) z += w[j]! * xi[j]!;
      const err = ((sigmoid(z) - labels[i]!) * sampleWeight[i]!) / totalWeight;
      for (let j = 0; j < d; j++) grad[j]! += err * xi[j]!;
      grad[d]! += err;
    }
    for (let j = 0; j < d; j++) grad[j]! += l2 * w[j]!;
    for (let j = 0; j <= d; j++) {
      m[j] = beta1 * m[j]! + (1 - beta1) * grad[j]!;
      v[j] = beta2 * v[j]! + (1 - beta2) * grad[j]! ** 2;
      const mHat = m[j]! / (1 - beta1 ** epoch);
      const vHat = v[j]! / (1 - beta2 ** epoch);
      w[j]! -= (learningRate * mHat) / (Math.sqrt(vHat) + eps);
    }
  }
  const weights = w.slice(0, d).map((wj, j) => wj / std[j]!);
  const bias = w[d]! - weights.reduce((acc, wj, j) => acc + wj * mean[j]!, 0);
  return { weights, bias };
}

/** Area under the ROC curve by the rank-sum formula, ties counted half. */
export function computeAuc(scores: readonly number[], labels: readonly number[]): number {
  const order = scores
    .map((score, i) => ({ score, label: labels[i] ?? 0 }))
    .sort((a, b) => a.score - b.score);
  let rankSumPositive = 0;
  let positives = 0;
  let i = 0;
  while (i < order.length) {
    let j = i;
    while (j + 1 < order.length && order[j + 1]!.score === order[i]!.score) j++;
    const averageRank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) {
      if (order[k]!.label === 1) {
        rankSumPositive += averageRank;
        positives++;
      }
    }
    i = j + 1;
  }
  const negatives = order.length - positives;
  if (positives === 0 || negatives === 0) return 0.5;
  return (rankSumPositive - (positives * (positives + 1)) / 2) / (positives * negatives);
}
