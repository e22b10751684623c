import { describe, expect, it } from 'vitest';
import { FACT_KINDS, factKinds, ZAgentStatusChangedFactV1, ZFact, ZMessageAgentFactV1 } from './facts.ts';

const id = '0b7c6f1e-3a51-4d0e-9d6c-2f4f1f0e8a11';

describe('fact catalogue', () => {
  it('the discriminated union covers exactly the catalogue, each kind at a version', () => {
    expect(ZFact.options.map((o) => o.shape.kind.value).sort()).toEqual([...FACT_KINDS].sort());
    for (const k of FACT_KINDS) expect(factKinds[k].version).toBeGreaterThanOrEqual(1);
  });

  it('parses a fact by its kind and refuses data of another kind', () => {
    const agentReply = {
      kind: 'message.agent',
      data: { side: 'agent', messageId: id, seq: 4, type: 'text', responseSeconds: 12 },
    };
    expect(ZFact.parse(agentReply)).toEqual(agentReply);
    expect(ZFact.safeParse({ ...agentReply, kind: 'message.customer' }).success).toBe(false);
    expect(ZFact.safeParse({ kind: 'conversation.exploded', data: {} }).success).toBe(false);
  });

  it('is strict: unknown fields, negative or fractional seconds and wrong enums are refused', () => {
    const ok = { side: 'agent', messageId: id, seq: 4, type: 'text', responseSeconds: null };
    expect(ZMessageAgentFactV1.safeParse(ok).success).toBe(true);
    const bad = (patch: Record<string, unknown>) => ZMessageAgentFactV1.safeParse({ ...ok, ...patch });
    expect(bad({ extra: 1 }).success).toBe(false);
    expect(bad({ responseSeconds: -1 }).success).toBe(false);
    expect(bad({ responseSeconds: 1.5 }).success).toBe(false);
    expect(bad({ type: 'system' }).success).toBe(false);
    expect(bad({ side: 'customer' }).success).toBe(false);
  });

  it('agent.status_changed has the shape the presence writers share', () => {
    const parse = (d: unknown) => ZAgentStatusChangedFactV1.safeParse(d).success;
    expect(parse({ status: 'away', from: 'online', reason: 'no_sockets', requeued: 2 })).toBe(true);
    expect(parse({ status: 'paused', from: 'online', reason: 'missed_replies', misses: 3 })).toBe(true);
    expect(parse({ status: 'online', from: null, reason: 'manual' })).toBe(true);
    expect(parse({ status: 'online', from: 'away', reason: 'reconnected' })).toBe(true);
    expect(parse({ status: 'offline', from: 'online', reason: 'disabled' })).toBe(true);
    expect(parse({ status: 'online', reason: 'manual' })).toBe(false); // from is required (null when unknown)
    expect(parse({ status: 'busy', from: null, reason: 'manual' })).toBe(false);
    expect(parse({ status: 'online', from: null, reason: 'timeout' })).toBe(false);
  });

  it("bot turns name FAQs by the merchant's own ids", () => {
    const data = { query: '保价吗', faqId: 'f03', topFaqId: 'f03', score: 0.9, reason: null };
    expect(ZFact.safeParse({ kind: 'bot.answered', data }).success).toBe(true);
    expect(ZFact.safeParse({ kind: 'bot.handed_off', data: { ...data, reason: 'vip' } }).success).toBe(true);
    expect(ZFact.safeParse({ kind: 'bot.handed_off', data: { ...data, reason: 'bored' } }).success).toBe(
      false,
    );
  });

  it('resolved carries its durations', () => {
    const parsed = ZFact.parse({
      kind: 'conversation.resolved',
      data: { fromStatus: 'assigned', durationSeconds: 600, handleSeconds: 420, waitedSeconds: 180 },
    });
    expect(parsed.kind === 'conversation.resolved' && parsed.data.handleSeconds).toBe(420);
    expect(
      ZFact.safeParse({ kind: 'conversation.resolved', data: { fromStatus: 'assigned', durationSeconds: 1 } })
        .success,
    ).toBe(false);
  });
});
