import type { ExpectedServiceLevel } from './expected-service-level.ts';

/** End-to-end bookkeeping of a simulation, from the clients' point of view. */
export type ConversationRecord = {
  id: string;
  arrivedAtMs: number;
  handedOffAtMs: number | null;
  firstAgentReplyAtMs: number | null;
  botAnswered: number;
  abandoned: boolean;
};

export type SimulationSummary = {
  conversations: number;
  messages: number;
  botResolvedShare: number;
  handedOff: number;
  serviceLevel: number;
  avgWaitSeconds: number;
  abandoned: number;
  lost: number;
  duplicated: number;
  /** Conversations the simulated agents resolved (the server accepted the resolve). */
  resolvedByAgents: number;
  /** Conversations still queued on the server when the run ended (after the drain). */
  queuedAtEnd: number;
  /** What queueing theory expects of the drill's own staffing (set when the staffing is known). */
  expected?: ExpectedServiceLevel;
};

export type DeliveryLedger = {
  /** A message the sender had acknowledged: it must reach the receiver exactly once. */
  expect(clientId: string): void;
  /** A message a receiver got (by client id). */
  receive(clientId: string): void;
  lost(): number;
  /** The missing keys, for diagnosis (`receiver:clientId`). */
  lostKeys(): string[];
  duplicated(): number;
  /** The keys received more than once, for diagnosis. */
  duplicatedKeys(): string[];
  expectedCount(): number;
};

export function createDeliveryLedger(): DeliveryLedger {
  const expected = new Set<string>();
  const received = new Map<string, number>();
  return {
    expect: (id) => expected.add(id),
    receive: (id) => received.set(id, (received.get(id) ?? 0) + 1),
    lost: () => [...expected].filter((id) => !received.has(id)).length,
    lostKeys: () => [...expected].filter((id) => !received.has(id)),
    duplicated: () => [...received.values()].filter((n) => n > 1).reduce((s, n) => s + n - 1, 0),
    duplicatedKeys: () => [...received].filter(([, n]) => n > 1).map(([k]) => k),
    expectedCount: () => expected.size,
  };
}

/**
 * The one definition of service level, used for the live figure, the intervals and the summary:
 * of the handed-off conversations whose outcome is known at `nowMs` — answered, or waiting (or
 * gone) longer than `targetSeconds` of simulated time — the share whose first agent reply came
 * within the target. Abandoned and still-unanswered ones past the target count as missed; one
 * still waiting under the target is not decided yet. It is the wall's definition
 * (`routing.repository.serviceLevel`) in simulated time. 1 when nothing is decided.
 */
export function serviceLevelOf(
  records: ConversationRecord[],
  opts: { targetSeconds: number; speed: number; nowMs: number },
): number {
  let answered = 0;
  let decided = 0;
  for (const r of records) {
    if (r.handedOffAtMs === null) continue;
    const waitedSeconds = (((r.firstAgentReplyAtMs ?? opts.nowMs) - r.handedOffAtMs) * opts.speed) / 1000;
    const isAnsweredInTime = r.firstAgentReplyAtMs !== null && waitedSeconds <= opts.targetSeconds;
    if (isAnsweredInTime) answered++;
    if (isAnsweredInTime || waitedSeconds > opts.targetSeconds || r.abandoned) decided++;
  }
  return decided ? answered / decided : 1;
}

/** Waits (simulated seconds) from hand-off to the first agent reply, of the answered conversations. */
export function answeredWaitsOf(records: ConversationRecord[], speed: number): number[] {
  return records
    .filter((r) => r.handedOffAtMs !== null && r.firstAgentReplyAtMs !== null)
    .map((r) => ((r.firstAgentReplyAtMs! - r.handedOffAtMs!) * speed) / 1000);
}

export function summarise(
  records: ConversationRecord[],
  ledger: DeliveryLedger,
  opts: {
    targetSeconds: number;
    speed: number;
    messages: number;
    nowMs: number;
    resolvedByAgents: number;
    queuedAtEnd: number;
  },
): SimulationSummary {
  const handed = records.filter((r) => r.handedOffAtMs !== null);
  const waits = answeredWaitsOf(records, opts.speed);
  const botOnly = records.filter((r) => r.handedOffAtMs === null && r.botAnswered > 0 && !r.abandoned).length;
  const round = (x: number, d = 3) => Math.round(x * 10 ** d) / 10 ** d;
  return {
    conversations: records.length,
    messages: opts.messages,
    botResolvedShare: records.length ? round(botOnly / records.length) : 0,
    handedOff: handed.length,
    serviceLevel: round(serviceLevelOf(records, opts)),
    avgWaitSeconds: waits.length ? round(waits.reduce((a, b) => a + b, 0) / waits.length, 1) : 0,
    abandoned: records.filter((r) => r.abandoned).length,
    lost: ledger.lost(),
    duplicated: ledger.duplicated(),
    resolvedByAgents: opts.resolvedByAgents,
    queuedAtEnd: opts.queuedAtEnd,
  };
}
