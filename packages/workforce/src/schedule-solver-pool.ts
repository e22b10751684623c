import { Worker } from 'node:worker_threads';
import type { MipModel } from './schedule-formulation.ts';

export type HighsOptionValue = number | boolean | string;

export type SolveJob = {
  model: MipModel;
  timeLimitSeconds: number;
  mipRelGap: number;
  /** Extra HiGHS options (e.g. `mip_heuristic_effort`). */
  options?: Record<string, HighsOptionValue>;
  /** A feasible column vector handed to HiGHS as the first incumbent (`Model.setSolution`). */
  start?: number[];
  /** Write HiGHS's log to stderr (diagnosis). */
  log?: boolean;
};

export type WorkerAnswer =
  | {
      ok: true;
      status: string;
      hasSolution: boolean;
      objective: number | null;
      dualBound: number | null;
      colValue: number[];
      seconds: number;
      nodes: number | null;
      startAccepted: boolean | null;
      log: string[];
    }
  | { ok: false; message: string };

const WORKER_URL = new URL('./schedule-solver.worker.mjs', import.meta.url);
/** Idle warm workers kept (each holds a compiled HiGHS module, some tens of MB). */
const MAX_IDLE_WORKERS = 1;
/** An idle worker is terminated after this long without work. */
const IDLE_TIMEOUT_MS = 5 * 60_000;

type PooledWorker = { worker: Worker; idleTimer: ReturnType<typeof setTimeout> | null; broken: boolean };

const idle: PooledWorker[] = [];
let nextJobId = 1;

function spawn(): PooledWorker {
  const pooled: PooledWorker = { worker: new Worker(WORKER_URL), idleTimer: null, broken: false };
  // Idle workers must never keep the process (CLI, tests) alive; a running job refs it.
  pooled.worker.unref();
  const discard = () => {
    pooled.broken = true;
    removeIdle(pooled);
  };
  pooled.worker.on('error', discard);
  pooled.worker.on('exit', discard);
  return pooled;
}

function removeIdle(pooled: PooledWorker) {
  const at = idle.indexOf(pooled);
  if (at >= 0) idle.splice(at, 1);
  if (pooled.idleTimer) clearTimeout(pooled.idleTimer);
  pooled.idleTimer = null;
}

function acquire(): PooledWorker {
  const pooled = idle.pop();
  if (pooled) {
    if (pooled.idleTimer) clearTimeout(pooled.idleTimer);
    pooled.idleTimer = null;
    return pooled;
  }
  return spawn();
}

function release(pooled: PooledWorker) {
  pooled.worker.unref();
  if (pooled.broken || idle.length >= MAX_IDLE_WORKERS) {
    void pooled.worker.terminate();
    return;
  }
  pooled.idleTimer = setTimeout(() => {
    removeIdle(pooled);
    void pooled.worker.terminate();
  }, IDLE_TIMEOUT_MS);
  pooled.idleTimer.unref();
  idle.push(pooled);
}

/** Terminates idle workers (tests and embedders that want a clean shutdown; exit does not need it). */
export async function closeScheduleSolverWorkers(): Promise<void> {
  const workers = idle.splice(0, idle.length);
  await Promise.all(
    workers.map((pooled) => {
      if (pooled.idleTimer) clearTimeout(pooled.idleTimer);
      return pooled.worker.terminate();
    }),
  );
}

/**
 * Solves one MIP in a pooled worker thread, so a long solve never blocks the caller's event loop and the
 * compiled solver is reused across solves. Concurrent solves get their own workers.
 */
export function solveInWorker(job: SolveJob): Promise<WorkerAnswer> {
  const pooled = acquire();
  const { worker } = pooled;
  worker.ref();
  const id = nextJobId++;
  return new Promise<WorkerAnswer>((resolve, reject) => {
    const finish = (keep: boolean) => {
      clearTimeout(watchdog);
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
      if (!keep) pooled.broken = true;
      release(pooled);
    };
    const onMessage = (answer: WorkerAnswer & { id?: number }) => {
      if (answer.id !== id) return;
      // A worker whose solve threw may hold a damaged WebAssembly heap: do not reuse it.
      finish(answer.ok);
      resolve(answer);
    };
    const onError = (error: Error) => {
      finish(false);
      reject(error);
    };
    const onExit = (code: number) => {
      finish(false);
      reject(new Error(`schedule solver worker exited with code ${code}`));
    };
    // HiGHS honours time_limit itself; the watchdog only catches a wedged worker.
    const watchdog = setTimeout(
      () => {
        finish(false);
        reject(new Error(`schedule solver did not answer within ${job.timeLimitSeconds + 30} s`));
      },
      (job.timeLimitSeconds + 30) * 1000,
    );
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
    worker.postMessage({ id, ...job });
  });
}
