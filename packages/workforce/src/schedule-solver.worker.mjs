// Runs one HiGHS MIP solve off the main thread. Plain JavaScript on purpose: a worker started from
// TypeScript under tsx, Vitest or plain node loads an .mjs file the same way everywhere.
import { parentPort } from 'node:worker_threads';
import loadHighs from 'highs';

const MODEL_STATUS_NAMES = {
  7: 'optimal',
  8: 'infeasible',
  9: 'infeasible-or-unbounded',
  10: 'unbounded',
  13: 'time-limit',
};
const PRIMAL_FEASIBLE = 2;

function readInfo(model, name) {
  try {
    const value = model.info.get(name);
    return typeof value === 'bigint' ? Number(value) : value;
  } catch {
    return null;
  }
}

parentPort?.on('message', async (request) => {
  try {
    const highs = await loadHighs();
    const started = performance.now();
    const answer = highs.withModel((model) => {
      model.passModel({ ...request.model, sense: highs.constants.objectiveSense.minimize });
      model.options.set({
        output_flag: false,
        time_limit: request.timeLimitSeconds,
        mip_rel_gap: request.mipRelGap,
      });
      const run = model.run();
      const hasSolution = readInfo(model, 'primal_solution_status') === PRIMAL_FEASIBLE;
      return {
        ok: true,
        status: MODEL_STATUS_NAMES[run.modelStatus] ?? `highs-status-${run.modelStatus}`,
        hasSolution,
        objective: hasSolution ? model.getObjectiveValue() : null,
        dualBound: readInfo(model, 'mip_dual_bound'),
        colValue: hasSolution ? Array.from(model.getSolution().colValue) : [],
        seconds: (performance.now() - started) / 1000,
      };
    });
    parentPort?.postMessage(answer);
  } catch (error) {
    parentPort?.postMessage({ ok: false, message: error instanceof Error ? error.message : String(error) });
  }
});
