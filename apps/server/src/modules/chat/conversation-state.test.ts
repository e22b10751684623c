import { describe, expect, it } from 'vitest';
import {
  applyConversationEvent,
  type ConversationEvent,
  type ConversationState,
  type LeaveMessageOffer,
} from './conversation-state.ts';

const A = 'agent-a';
const B = 'agent-b';
const G1 = 'group-1';
const G2 = 'group-2';
const T0 = new Date('2026-12-03T08:00:00Z');
const T1 = new Date('2026-12-03T08:05:00Z');
const NOW = new Date('2026-12-03T08:10:00Z');

/** A state by its label: status, or `queued/<offer>` for a wait with a leave-a-message offer. */
function stateOf(label: string): ConversationState {
  const [status, offer] = label.split('/') as [ConversationState['status'], LeaveMessageOffer | undefined];
  const assigned = status === 'assigned' || status === 'resolved';
  return {
    status,
    assigneeId: assigned ? A : null,
    groupId: status === 'bot' ? null : G1,
    offer: offer ?? null,
    queuedAt: status === 'bot' ? null : T0,
    routedFor: status === 'bot' ? null : T0,
    assignedAt: assigned ? T1 : null,
    resolvedAt: status === 'resolved' || status === 'closed' ? T1 : null,
    awaitingAgentSince: status === 'assigned' ? T1 : null,
    missedAgentId: null,
    estimatedWaitSeconds: status === 'queued' ? 30 : null,
  };
}
const labelOf = (s: ConversationState) => (s.status === 'queued' && s.offer ? `queued/${s.offer}` : s.status);

const events: [string, ConversationEvent][] = [
  ['bot_handoff', { type: 'bot_handoff' }],
  ['assigned', { type: 'assigned', agentId: B }],
  ['transferred_to_agent', { type: 'transferred_to_agent', agentId: B }],
  ['requeued', { type: 'requeued', reason: 'no_reply' }],
  ['transferred_to_group', { type: 'transferred_to_group', groupId: G2 }],
  ['overflowed→bot', { type: 'overflowed', to: 'bot' }],
  ['overflowed→group', { type: 'overflowed', to: 'group', groupId: G2 }],
  ['offered(max_wait)', { type: 'offered', reason: 'max_wait' }],
  ['offered(after_hours)', { type: 'offered', reason: 'after_hours' }],
  ['kept_waiting', { type: 'kept_waiting' }],
  ['released', { type: 'released', at: NOW }],
  ['abandoned', { type: 'abandoned' }],
  ['left_message', { type: 'left_message' }],
  ['resolved', { type: 'resolved' }],
  ['closed', { type: 'closed' }],
  ['reopened', { type: 'reopened' }],
  ['customer_message', { type: 'customer_message' }],
];

// Every (state, event) pair: the next state's label, or ✗ (rejected). Columns follow `events`.
const X = '✗';
const table: Record<string, string[]> = {
  bot: ['queued', X, X, X, X, X, X, X, X, X, X, X, X, 'resolved', 'closed', X, 'bot'],
  queued: [
    X,
    'assigned',
    'assigned',
    X,
    'queued',
    'bot',
    'queued',
    'queued/offered',
    'queued/after_hours',
    X,
    X,
    'closed',
    X,
    'resolved',
    'closed',
    X,
    'queued',
  ],
  'queued/offered': [
    X,
    'assigned',
    'assigned',
    X,
    'queued/offered',
    'bot',
    'queued/offered',
    X,
    'queued/after_hours',
    'queued/declined',
    X,
    'closed',
    'closed',
    'resolved',
    'closed',
    X,
    'queued/offered',
  ],
  'queued/declined': [
    X,
    'assigned',
    'assigned',
    X,
    'queued/declined',
    'bot',
    'queued/declined',
    X,
    'queued/after_hours',
    X,
    X,
    'closed',
    'closed',
    'resolved',
    'closed',
    X,
    'queued/declined',
  ],
  'queued/after_hours': [
    X,
    X,
    'assigned',
    X,
    'queued',
    'bot',
    'queued/after_hours',
    X,
    X,
    X,
    'queued',
    'closed',
    'closed',
    'resolved',
    'closed',
    X,
    'queued/after_hours',
  ],
  assigned: [
    X,
    X,
    'assigned',
    'queued',
    'queued',
    X,
    X,
    X,
    X,
    X,
    X,
    X,
    X,
    'resolved',
    'closed',
    X,
    'assigned',
  ],
  resolved: [X, X, X, X, X, X, X, X, X, X, X, X, X, X, 'closed', 'queued', 'queued'],
  closed: [X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, 'closed'],
};

const pairs = Object.entries(table).flatMap(([from, row]) => {
  if (row.length !== events.length) throw new Error(`row ${from}: ${row.length} columns`);
  return events.map(([name, event], i) => [from, name, event, row[i]!] as const);
});

describe('applyConversationEvent', () => {
  it('the table covers every state and every event', () => {
    expect(pairs).toHaveLength(8 * 17);
  });

  it.each(pairs)('%s + %s → %s', (from, _name, event, expected) => {
    const result = applyConversationEvent(stateOf(from), event, NOW);
    if (expected === X) {
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.reason).toContain(event.type);
    } else {
      expect(result.ok).toBe(true);
      if (result.ok) expect(labelOf(result.next)).toBe(expected);
    }
  });

  it('assigning restarts the reply clock for the new agent and clears the queue marker', () => {
    const from = { ...stateOf('queued/declined'), awaitingAgentSince: T1, missedAgentId: A };
    const r = applyConversationEvent(from, { type: 'assigned', agentId: B }, NOW);
    expect(r).toMatchObject({
      ok: true,
      next: { assigneeId: B, assignedAt: NOW, awaitingAgentSince: NOW, offer: null, missedAgentId: null },
    });
    const quiet = applyConversationEvent(
      { ...from, awaitingAgentSince: null },
      { type: 'assigned', agentId: B },
    );
    expect(quiet).toMatchObject({ ok: true, next: { awaitingAgentSince: null } });
  });

  it('a requeued chat keeps its wait (front of its lane); a missed reply excludes the agent', () => {
    const r = applyConversationEvent(stateOf('assigned'), { type: 'requeued', reason: 'no_reply' }, NOW);
    expect(r).toMatchObject({
      ok: true,
      next: {
        status: 'queued',
        assigneeId: null,
        assignedAt: null,
        queuedAt: T0,
        routedFor: T0,
        missedAgentId: A,
      },
    });
    const away = applyConversationEvent(stateOf('assigned'), { type: 'requeued', reason: 'agent_away' }, NOW);
    expect(away).toMatchObject({ ok: true, next: { missedAgentId: null } });
  });

  it('a transfer to a group moves it and keeps the wait; to the same agent is rejected', () => {
    const r = applyConversationEvent(stateOf('assigned'), { type: 'transferred_to_group', groupId: G2 }, NOW);
    expect(r).toMatchObject({ ok: true, next: { status: 'queued', groupId: G2, queuedAt: T0 } });
    const same = applyConversationEvent(stateOf('assigned'), { type: 'transferred_to_agent', agentId: A });
    expect(same).toMatchObject({ ok: false, reason: expect.stringContaining('already assigned') });
  });

  it('a new wait (handoff, reopen) starts its clock and is classified again', () => {
    const h = applyConversationEvent(stateOf('bot'), { type: 'bot_handoff' }, NOW);
    expect(h).toMatchObject({ ok: true, next: { status: 'queued', queuedAt: NOW, routedFor: null } });
    const r = applyConversationEvent(stateOf('resolved'), { type: 'reopened' }, NOW);
    expect(r).toMatchObject({
      ok: true,
      next: { status: 'queued', assigneeId: null, queuedAt: NOW, routedFor: T0, resolvedAt: null },
    });
  });

  it('the release at opening counts the wait from then; ends stamp resolvedAt', () => {
    const r = applyConversationEvent(stateOf('queued/after_hours'), { type: 'released', at: NOW });
    expect(r).toMatchObject({
      ok: true,
      next: { offer: null, queuedAt: NOW, routedFor: NOW, estimatedWaitSeconds: null },
    });
    const back = applyConversationEvent(stateOf('queued'), { type: 'overflowed', to: 'bot' }, NOW);
    expect(back).toMatchObject({ ok: true, next: { status: 'bot', queuedAt: null, assigneeId: null } });
    const gone = applyConversationEvent(stateOf('queued'), { type: 'abandoned' }, NOW);
    expect(gone).toMatchObject({ ok: true, next: { status: 'closed', resolvedAt: NOW } });
    const resolved = applyConversationEvent(stateOf('assigned'), { type: 'resolved' }, NOW);
    expect(resolved).toMatchObject({ ok: true, next: { assigneeId: A, resolvedAt: NOW } });
    const closed = applyConversationEvent(stateOf('resolved'), { type: 'closed' }, NOW);
    expect(closed).toMatchObject({ ok: true, next: { resolvedAt: T1 } });
  });

  it('reports whether anything changed', () => {
    const same = applyConversationEvent(stateOf('assigned'), { type: 'customer_message' });
    expect(same).toMatchObject({ ok: true, changed: false });
    const moved = applyConversationEvent(stateOf('queued'), { type: 'assigned', agentId: A });
    expect(moved).toMatchObject({ ok: true, changed: true });
  });
});
