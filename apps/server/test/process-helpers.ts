import { afterAll } from 'vitest';

/** Polls `fn` until it holds; fails naming `what` after `timeoutMs`. */
export async function waitUntil(
  what: string,
  fn: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
  everyMs = 50,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await fn())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Cleanups run after the file's tests, last registered first; one failing does not stop the rest. */
export function useCleanups(): (fn: () => Promise<void> | void) => void {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await Promise.resolve(c()).catch(() => {});
  });
  return (fn) => {
    cleanups.push(fn);
  };
}
