// Preloaded into a server under test (`node --import …/loop-probe.mjs …`): once a second it prints
//   @@loop {"t":<epoch ms>,"p99":…,"max":…,"gcMs":…,"gcMaxMs":…}
// to stdout: the event loop's delay over that second (perf_hooks.monitorEventLoopDelay, ms) and the
// time spent in garbage collection (count of pauses, total and longest, ms). The benchmark lines
// these up with its own per-second latency to tell a stalled server from a slow database.
// Plain JS: it loads before tsx is registered.
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';

const h = monitorEventLoopDelay({ resolution: 5 });
h.enable();
let gcMs = 0;
let gcMaxMs = 0;
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    gcMs += e.duration;
    if (e.duration > gcMaxMs) gcMaxMs = e.duration;
  }
}).observe({ entryTypes: ['gc'] });
const ms = (ns) => Math.round(ns / 1e5) / 10;
setInterval(() => {
  process.stdout.write(
    `\n@@loop ${JSON.stringify({
      t: Date.now(),
      p99: ms(h.percentile(99)),
      max: ms(h.max),
      gcMs: Math.round(gcMs * 10) / 10,
      gcMaxMs: Math.round(gcMaxMs * 10) / 10,
    })}\n`,
  );
  h.reset();
  gcMs = 0;
  gcMaxMs = 0;
}, 1000).unref();
