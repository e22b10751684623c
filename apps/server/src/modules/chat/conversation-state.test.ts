import type { TConversationStatus } from '@peakdesk/contracts';
import { describe, expect, it } from 'vitest';
import { type ConversationEvent, transitionConversation } from './conversation-state.ts';

const A = 'agent-a';
type Row = [
  TConversationStatus,
  string | null,
  ConversationEvent,
  TConversationStatus | 'rejected',
  string | null,
];

// from status, from assignee, event, expected status (or rejected), expected assignee
const table: Row[] = [
  ['bot', null, { type: 'handoff' }, 'queued', null],
  ['queued', null, { type: 'handoff' }, 'rejected', null],
  ['queued', null, { type: 'assign', agentId: A }, 'assigned', A],
  ['assigned', 'x', { type: 'assign', agentId: A }, 'assigned', A],
  ['bot', null, { type: 'assign', agentId: A }, 'assigned', A],
  ['resolved', A, { type: 'assign', agentId: A }, 'rejected', null],
  ['closed', null, { type: 'assign', agentId: A }, 'rejected', null],
  ['assigned', A, { type: 'requeue' }, 'queued', null],
  ['resolved', A, { type: 'requeue' }, 'rejected', null],
  ['queued', null, { type: 'return_to_bot' }, 'bot', null],
  ['assigned', A, { type: 'return_to_bot' }, 'rejected', null],
  ['assigned', A, { type: 'resolve' }, 'resolved', A],
  ['bot', null, { type: 'resolve' }, 'resolved', null],
  ['resolved', A, { type: 'resolve' }, 'rejected', null],
  ['resolved', A, { type: 'customer_message' }, 'queued', null],
  ['assigned', A, { type: 'customer_message' }, 'assigned', A],
  ['queued', null, { type: 'abandon' }, 'closed', null],
  ['assigned', A, { type: 'abandon' }, 'rejected', null],
  ['resolved', A, { type: 'close' }, 'closed', A],
  ['closed', null, { type: 'close' }, 'rejected', null],
];

describe('transitionConversation', () => {
  it.each(table)('%s (%s) + %o → %s', (status, assigneeId, event, expected, expectedAssignee) => {
    const result = transitionConversation({ status, assigneeId }, event);
    if (expected === 'rejected') {
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.reason).toContain(event.type);
    } else {
      expect(result).toMatchObject({ ok: true, next: { status: expected, assigneeId: expectedAssignee } });
    }
  });

  it('reports whether anything changed', () => {
    const same = transitionConversation({ status: 'assigned', assigneeId: A }, { type: 'customer_message' });
    expect(same).toMatchObject({ ok: true, changed: false });
    const moved = transitionConversation(
      { status: 'queued', assigneeId: null },
      { type: 'assign', agentId: A },
    );
    expect(moved).toMatchObject({ ok: true, changed: true });
  });
});
