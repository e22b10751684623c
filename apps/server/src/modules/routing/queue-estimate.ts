/**
 * Expected wait for the conversation at `position` in a queue (pure; the bench measures its error).
 *
 * Capacity is chat slots: every online agent of the group serves up to their cap at once. Free slots
 * take the head of the queue right away; after that a slot frees on average every `aht / busySlots`
 * seconds (busy slots each finish one handle time after they started, spread uniformly), so position k
 * waits about `(k - free) × aht / slots`. No one online who could serve → unknown (null).
 */
export type QueueEstimateInput = {
  position: number;
  /** Slots (sum of caps) of online, not paused agents who can take this queue. */
  totalSlots: number;
  /** Of those, slots not in use now. */
  freeSlots: number;
  /** Mean handle time (assigned → resolved) of the group's chats, seconds: `estimateHandleSeconds`. */
  ahtSeconds: number;
};

export function estimateWaitSeconds(i: QueueEstimateInput): number | null {
  if (i.totalSlots <= 0) return null;
  const ahead = i.position - Math.max(0, i.freeSlots);
  if (ahead <= 0) return 0;
  // Position k (beyond the free slots) is served when the k-th busy slot frees: E = k × aht / slots
  // minus half a slot interval, because the first slot to free has already been running a while.
  const perSlot = i.ahtSeconds / i.totalSlots;
  return Math.max(0, Math.round((ahead - 0.5) * perSlot));
}

/** Default handle time until a group has finished chats to learn from. */
export const DEFAULT_AHT_SECONDS = 180;

/**
 * Handle-time buckets by age (seconds since assignment): bucket 0 is [0, 60), bucket i is
 * [EDGES[i-1], EDGES[i]), the last is open. Wide enough to hold events in a small group's hour; SQL
 * buckets with `width_bucket(d, ARRAY[EDGES])`, which numbers them the same way.
 */
export const HANDLE_TIME_EDGES = [60, 120, 180, 300, 600, 1200] as const;

/** One age bucket of the cohort of chats assigned in the last hour. */
export type HandleTimeBucket = {
  bucket: number;
  /** Chats whose observed time (handle time if finished, else age now) falls in the bucket. */
  chats: number;
  /** Of those, finished (resolved or closed). */
  finished: number;
  /** Sum of their observed times, seconds. */
  seconds: number;
  /** Sum of the observed times of the finished ones, seconds. */
  finishedSeconds: number;
};

export const handleTimeBucketOf = (seconds: number): number =>
  HANDLE_TIME_EDGES.filter((edge) => seconds >= edge).length;

/** Below this many finished chats the life table is too thin: the plain mean of finished chats is used. */
const LIFE_TABLE_MIN_FINISHED = 10;

/**
 * Mean handle time of the chats assigned in the last hour, counting the ones still running (censored
 * data). A mean over finished chats only is short while a queue grows: the chats started recently that
 * already finished are the short ones, the long ones are still running. Here every chat contributes the
 * time it has been observed at each age; per age bucket the hazard is finished / time observed in the
 * bucket (constant inside a bucket), and the mean is the area under the survival curve. Buckets beyond
 * the oldest observed age carry the hazard of the last bucket where chats finished. null = under 3
 * finished chats (use the default).
 */
export function estimateHandleSeconds(buckets: readonly HandleTimeBucket[]): number | null {
  const n = HANDLE_TIME_EDGES.length + 1;
  const chats = new Array<number>(n).fill(0);
  const finished = new Array<number>(n).fill(0);
  const seconds = new Array<number>(n).fill(0);
  let finishedTotal = 0;
  let finishedSeconds = 0;
  for (const b of buckets) {
    const i = Math.min(n - 1, Math.max(0, Math.trunc(b.bucket)));
    chats[i]! += b.chats;
    finished[i]! += b.finished;
    seconds[i]! += b.seconds;
    finishedTotal += b.finished;
    finishedSeconds += b.finishedSeconds;
  }
  if (finishedTotal < 3) return null;
  if (finishedTotal < LIFE_TABLE_MIN_FINISHED) return finishedSeconds / finishedTotal;

  const lower = (i: number) => (i === 0 ? 0 : HANDLE_TIME_EDGES[i - 1]!);
  const width = (i: number) => (i < n - 1 ? HANDLE_TIME_EDGES[i]! - lower(i) : Number.POSITIVE_INFINITY);
  // Time observed inside bucket i: the full width for every chat observed beyond it, the part above the
  // lower edge for the chats that stopped (finished or are now) inside it.
  const exposure = new Array<number>(n).fill(0);
  let beyond = 0;
  for (let i = n - 1; i >= 0; i--) {
    exposure[i] = (i < n - 1 ? beyond * width(i) : 0) + Math.max(0, seconds[i]! - chats[i]! * lower(i));
    beyond += chats[i]!;
  }
  let survival = 1;
  let mean = 0;
  let lastHazard = 0;
  for (let i = 0; i < n; i++) {
    let hazard: number;
    const observed = exposure[i]! > 0;
    if (observed && finished[i]! > 0) hazard = finished[i]! / exposure[i]!;
    else if (observed && i < n - 1)
      hazard = 0; // observed there, nobody finished
    else hazard = lastHazard; // not observed (or an open tail without finishes): extrapolate
    if (observed && finished[i]! > 0) lastHazard = hazard;
    if (i === n - 1) {
      if (hazard > 0) mean += survival / hazard;
      break;
    }
    const w = width(i);
    if (hazard === 0) {
      mean += survival * w;
      continue;
    }
    const through = Math.exp(-hazard * w);
    mean += (survival * (1 - through)) / hazard;
    survival *= through;
  }
  return mean;
}
