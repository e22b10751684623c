// Runs HiGHS MIP solves off the main thread, one at a time, for as long as the pool keeps the worker.
// Plain JavaScript on purpose: a worker started from TypeScript under tsx, Vitest or plain node loads an
// .mjs file the same way everywhere. The WebAssembly module is compiled once, when the worker starts,
// so a warm worker answers without the ~1 s start-up.
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

const highsLoading = loadHighs();
// An unhandled rejection would kill the worker before the first request could report it.
highsLoading.catch(() => {});

function readInfo(model, name) {
  try {
    const value = model.info.get(name);
    return typeof value === 'bigint' ? Number(value) : value;
  } catch {
    return null;
  }
}

/** Progress lines (time, incumbent, bound) on stderr, for diagnosing slow solves. */
function logCallbacks(highs, lines) {
  const line = (what) => (event) => {
    const d = event.data ?? {};
    lines.push(
      `[highs ${what}] t=${Number(d.running_time ?? 0).toFixed(2)}s primal=${d.mip_primal_bound} dual=${d.mip_dual_bound} nodes=${d.mip_node_count}`,
    );
  };
  return {
    [highs.constants.callbackType.mipImprovingSolution]: line('incumbent'),
    [highs.constants.callbackType.mipLogging]: line('progress'),
    [highs.constants.callbackType.logging]: (event) => {
      lines.push(String(event.message ?? '').trimEnd());
    },
  };
}

parentPort?.on('message', async (request) => {
  try {
    const highs = await highsLoading;
    const started = performance.now();
    const log = [];
    const answer = highs.withModel((model) => {
      model.passModel({ ...request.model, sense: highs.constants.objectiveSense.minimize });
      model.options.set({
        output_flag: false,
        time_limit: request.timeLimitSeconds,
        mip_rel_gap: request.mipRelGap,
        ...request.options,
      });
      let startAccepted = null;
      if (request.start) {
        try {
          model.setSolution({ colValue: Float64Array.from(request.start) });
          startAccepted = true;
        } catch {
          startAccepted = false;
        }
      }
      const run = model.run(request.log ? logCallbacks(highs, log) : undefined);
      const hasSolution = readInfo(model, 'primal_solution_status') === PRIMAL_FEASIBLE;
      return {
        ok: true,
        id: request.id,
        status: MODEL_STATUS_NAMES[run.modelStatus] ?? `highs-status-${run.modelStatus}`,
        hasSolution,
        objective: hasSolution ? model.getObjectiveValue() : null,
        dualBound: readInfo(model, 'mip_dual_bound'),
        colValue: hasSolution ? Array.from(model.getSolution().colValue) : [],
        seconds: (performance.now() - started) / 1000,
        nodes: readInfo(model, 'mip_node_count'),
        startAccepted,
        log,
      };
    });
    parentPort?.postMessage(answer);
  } catch (error) {
    parentPort?.postMessage({
      ok: false,
      id: request.id,
      message: error instanceof Error ? error.message : String(error),
    });
  }
});
