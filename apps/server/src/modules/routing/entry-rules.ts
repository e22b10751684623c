import type { TEntryPoint, TLane, TRuleConditions } from '@peakdesk/contracts';

/** What the entry rules can look at for a new queue entry. */
export type EntryFacts = {
  entry: TEntryPoint | string;
  tier: 'normal' | 'vip';
  buyerId: string | null;
  firstMessage: string;
  hasOpenTicket: boolean;
  riskFlag: boolean;
};

export type EntryRule = {
  id: string;
  enabled: boolean;
  conditions: TRuleConditions;
  groupId: string | null;
  lane: TLane;
};

const normalise = (s: string) => s.normalize('NFKC').toLowerCase();

/** Pure: every condition present must hold. */
export function ruleMatches(c: TRuleConditions, f: EntryFacts): boolean {
  if (c.entries && !c.entries.some((e) => e === f.entry)) return false;
  if (c.tiers && !c.tiers.includes(f.tier)) return false;
  if (c.buyerIds && !(f.buyerId && c.buyerIds.includes(f.buyerId))) return false;
  if (c.keywords) {
    const text = normalise(f.firstMessage);
    if (!c.keywords.some((k) => text.includes(normalise(k)))) return false;
  }
  if (c.hasOpenTicket !== undefined && c.hasOpenTicket !== f.hasOpenTicket) return false;
  if (c.riskFlag !== undefined && c.riskFlag !== f.riskFlag) return false;
  return true;
}

/** The first enabled matching rule in order, or null (store default group, normal lane). */
export function pickEntryRule<R extends EntryRule>(rules: readonly R[], f: EntryFacts): R | null {
  return rules.find((r) => r.enabled && ruleMatches(r.conditions, f)) ?? null;
}

/** A rule may only raise the lane; a flagged buyer is never served after normal buyers. */
export function laneFor(rule: EntryRule | null, f: EntryFacts): TLane {
  const lanes: TLane[] = ['normal', 'vip', 'risk'];
  const implied: TLane = f.riskFlag ? 'risk' : f.tier === 'vip' ? 'vip' : 'normal';
  const fromRule = rule?.lane ?? 'normal';
  return lanes[Math.max(lanes.indexOf(implied), lanes.indexOf(fromRule))] ?? 'normal';
}
