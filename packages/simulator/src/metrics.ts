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
    expectedCount: () => expected.size,
  };
}

/**
 * Service level = share of handed-off conversations whose first agent reply came within
 * `targetSeconds` of the hand-off (simulated time); abandoned ones count as missed.
 */
export function summarise(
  records: ConversationRecord[],
  ledger: DeliveryLedger,
  opts: { targetSeconds: number; speed: number; messages: number },
): SimulationSummary {
  const handed = records.filter((r) => r.handedOffAtMs !== null);
  const waits = handed
    .filter((r) => r.firstAgentReplyAtMs !== null)
    .map((r) => ((r.firstAgentReplyAtMs! - r.handedOffAtMs!) * opts.speed) / 1000);
  const withinTarget = waits.filter((w) => w <= opts.targetSeconds).length;
  const botOnly = records.filter((r) => r.handedOffAtMs === null && r.botAnswered > 0 && !r.abandoned).length;
  const round = (x: number, d = 3) => Math.round(x * 10 ** d) / 10 ** d;
  return {
    conversations: records.length,
    messages: opts.messages,
    botResolvedShare: records.length ? round(botOnly / records.length) : 0,
    handedOff: handed.length,
    serviceLevel: handed.length ? round(withinTarget / handed.length) : 1,
    avgWaitSeconds: waits.length ? round(waits.reduce((a, b) => a + b, 0) / waits.length, 1) : 0,
    abandoned: records.filter((r) => r.abandoned).length,
    lost: ledger.lost(),
    duplicated: ledger.duplicated(),
  };
}
