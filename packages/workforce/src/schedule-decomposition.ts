import type { MipModel } from './schedule-formulation.ts';

/** A block of the constraint matrix: columns and rows that share no row/column with other blocks. */
export type ModelBlock = { cols: number[]; rows: number[]; model: MipModel };

/**
 * Splits a model into independent blocks (connected components of the column–row incidence graph).
 * Minimising each block on its own gives the optimum of the whole (the objective is a sum over blocks,
 * every row lies in one block), and the block bounds add up to a valid bound. A week whose shifts never
 * cross midnight falls apart into its days this way; a model with overnight shifts stays one block.
 * Columns in no row are left out of every block (at their lower bound 0 they cost nothing).
 */
export function splitIntoBlocks(model: MipModel): ModelBlock[] {
  const parent = Array.from({ length: model.numCols }, (_, i) => i);
  const find = (i: number): number => {
    let root = i;
    while (parent[root] !== root) root = parent[root] as number;
    let node = i;
    while (parent[node] !== root) {
      const next = parent[node] as number;
      parent[node] = root;
      node = next;
    }
    return root;
  };
  const { starts, indices } = model.matrix;
  const inRow = new Array<boolean>(model.numCols).fill(false);
  for (let r = 0; r < model.numRows; r++) {
    const from = starts[r] as number;
    const to = starts[r + 1] as number;
    const first = indices[from];
    if (first === undefined) continue;
    for (let k = from; k < to; k++) {
      const col = indices[k] as number;
      inRow[col] = true;
      const a = find(first);
      const b = find(col);
      if (a !== b) parent[b] = a;
    }
  }
  const blockOf = new Map<number, { cols: number[]; rows: number[] }>();
  for (let c = 0; c < model.numCols; c++) {
    if (!inRow[c]) continue;
    const root = find(c);
    const block = blockOf.get(root) ?? { cols: [], rows: [] };
    block.cols.push(c);
    blockOf.set(root, block);
  }
  for (let r = 0; r < model.numRows; r++) {
    const first = indices[starts[r] as number];
    if (first === undefined || (starts[r + 1] as number) === (starts[r] as number)) continue;
    blockOf.get(find(first))?.rows.push(r);
  }
  return [...blockOf.values()].map((block) => ({ ...block, model: subModel(model, block.cols, block.rows) }));
}

function subModel(model: MipModel, cols: readonly number[], rows: readonly number[]): MipModel {
  const local = new Map<number, number>(cols.map((c, i) => [c, i]));
  const pick = (values: readonly number[]) => cols.map((c) => values[c] as number);
  const rowStarts: number[] = [];
  const indices: number[] = [];
  const values: number[] = [];
  for (const r of rows) {
    rowStarts.push(indices.length);
    for (let k = model.matrix.starts[r] as number; k < (model.matrix.starts[r + 1] as number); k++) {
      indices.push(local.get(model.matrix.indices[k] as number) as number);
      values.push(model.matrix.values[k] as number);
    }
  }
  rowStarts.push(indices.length);
  return {
    numCols: cols.length,
    numRows: rows.length,
    colCost: pick(model.colCost),
    colLower: pick(model.colLower),
    colUpper: pick(model.colUpper),
    rowLower: rows.map((r) => model.rowLower[r] as number),
    rowUpper: rows.map((r) => model.rowUpper[r] as number),
    integrality: pick(model.integrality),
    matrix: { format: 'csr', numRows: rows.length, numCols: cols.length, starts: rowStarts, indices, values },
  };
}
