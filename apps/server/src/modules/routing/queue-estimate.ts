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
  /** Mean handle time (assigned → resolved) of recent chats of the group, seconds. */
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
