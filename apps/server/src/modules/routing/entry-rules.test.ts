import { describe, expect, it } from 'vitest';
import { type EntryFacts, type EntryRule, laneFor, pickEntryRule, ruleMatches } from './entry-rules.ts';

const facts = (f: Partial<EntryFacts> = {}): EntryFacts => ({
  entry: 'store_page',
  tier: 'normal',
  buyerId: null,
  firstMessage: '',
  hasOpenTicket: false,
  riskFlag: false,
  ...f,
});
const rule = (id: string, r: Partial<EntryRule>): EntryRule => ({
  id,
  enabled: true,
  conditions: {},
  groupId: null,
  lane: 'normal',
  ...r,
});

describe('entry rules', () => {
  it.each([
    [{ entries: ['order_page' as const] }, facts({ entry: 'order_page' }), true],
    [{ entries: ['order_page' as const] }, facts(), false],
    [{ tiers: ['vip' as const] }, facts({ tier: 'vip' }), true],
    [{ buyerIds: ['b1'] }, facts({ buyerId: 'b1' }), true],
    [{ buyerIds: ['b1'] }, facts({ buyerId: null }), false],
    [{ keywords: ['投诉'] }, facts({ firstMessage: '我要投诉你们' }), true],
    [{ keywords: ['REFUND'] }, facts({ firstMessage: 'ｒｅｆｕｎｄ please' }), true], // NFKC + case-folded
    [{ hasOpenTicket: true }, facts({ hasOpenTicket: true }), true],
    [{ hasOpenTicket: true }, facts(), false],
    [{ riskFlag: true }, facts({ riskFlag: true }), true],
    [
      { entries: ['order_page' as const], keywords: ['退款'] },
      facts({ entry: 'order_page', firstMessage: '发货' }),
      false,
    ],
    [{}, facts(), true],
  ])('%j matches %j → %s', (conditions, f, expected) => {
    expect(ruleMatches(conditions, f)).toBe(expected);
  });

  it('the first enabled match in order wins', () => {
    const rules = [
      rule('off', { enabled: false, conditions: {} }),
      rule('kw', { conditions: { keywords: ['退款'] }, lane: 'risk' }),
      rule('all', { conditions: {} }),
    ];
    expect(pickEntryRule(rules, facts({ firstMessage: '退款怎么还没到' }))?.id).toBe('kw');
    expect(pickEntryRule(rules, facts())?.id).toBe('all');
    expect(pickEntryRule([], facts())).toBeNull();
  });

  it('lanes: a rule or the buyer (VIP tier, risk flag) can only raise the lane', () => {
    expect(laneFor(null, facts())).toBe('normal');
    expect(laneFor(null, facts({ tier: 'vip' }))).toBe('vip');
    expect(laneFor(rule('r', { lane: 'vip' }), facts({ riskFlag: true }))).toBe('risk');
    expect(laneFor(rule('r', { lane: 'risk' }), facts({ tier: 'vip' }))).toBe('risk');
  });
});
