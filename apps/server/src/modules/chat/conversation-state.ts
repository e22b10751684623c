import type { TConversationStatus } from '@peakdesk/contracts';

/** 'after_hours': the group was closed; the conversation is held out of the queue while the offer stands. */
export type LeaveMessageOffer = 'offered' | 'declined' | 'after_hours' | null;

/**
 * The columns of a conversation that its lifecycle moves. `transitionConversation` (chat.repository)
 * is the only writer of these columns after creation: it locks the row, applies
 * `applyConversationEvent` and writes the whole slice.
 */
export type ConversationState = {
  status: TConversationStatus;
  assigneeId: string | null;
  groupId: string | null;
  /** The leave-a-message offer of the current wait (see LeaveMessageOffer). */
  offer: LeaveMessageOffer;
  /** When the current wait started (kept on requeue: a chat that waited already keeps its place). */
  queuedAt: Date | null;
  /** The queue entry that routing classified (equal to queuedAt once classified). */
  routedFor: Date | null;
  assignedAt: Date | null;
  resolvedAt: Date | null;
  /** The no-reply clock: the customer's first message since the last agent reply. */
  awaitingAgentSince: Date | null;
  /** The agent who missed the reply deadline: not routed this chat again. */
  missedAgentId: string | null;
  estimatedWaitSeconds: number | null;
};

export type ConversationEvent =
  /** The bot gives the customer to the human queue. */
  | { type: 'bot_handoff' }
  /** The router gives the head of a group's queue to an agent. */
  | { type: 'assigned'; agentId: string }
  /** An agent or a supervisor hands the chat to another agent; a supervisor takes it over. */
  | { type: 'transferred_to_agent'; agentId: string }
  /** The agent missed the reply deadline or went away: back to the queue, keeping its place. */
  | { type: 'requeued'; reason: 'no_reply' | 'agent_away' }
  | { type: 'transferred_to_group'; groupId: string }
  /** The max wait passed (or the group is closed with the bot fallback): back to the bot or a reserve group. */
  | { type: 'overflowed'; to: 'bot' }
  | { type: 'overflowed'; to: 'group'; groupId: string }
  /** Leave-a-message offered: after the max wait (place kept) or outside business hours (held out of the queue). */
  | { type: 'offered'; reason: 'max_wait' | 'after_hours' }
  /** The customer declines the offer made after the max wait. */
  | { type: 'kept_waiting' }
  /** The group opened: a chat held after hours joins the queue, its wait counted from `at`. */
  | { type: 'released'; at: Date }
  /** The customer left (or lost the connection) while waiting. */
  | { type: 'abandoned' }
  /** The customer took the offer and left a message. */
  | { type: 'left_message' }
  | { type: 'resolved' }
  | { type: 'closed' }
  /** Served again after it was resolved. */
  | { type: 'reopened' }
  /** A customer message: reopens a resolved conversation, changes nothing otherwise. */
  | { type: 'customer_message' };

export type TransitionResult =
  | { ok: true; next: ConversationState; changed: boolean }
  | { ok: false; reason: string };

const reject = (state: ConversationState, event: ConversationEvent, why?: string): TransitionResult => ({
  ok: false,
  reason: why
    ? `cannot apply ${event.type}: ${why}`
    : `cannot apply ${event.type} to a conversation that is ${state.status}`,
});

const to = (state: ConversationState, patch: Partial<ConversationState>): TransitionResult => {
  const next = { ...state, ...patch };
  const changed = (Object.keys(next) as (keyof ConversationState)[]).some((k) => {
    const a = state[k];
    const b = next[k];
    return a instanceof Date && b instanceof Date ? a.getTime() !== b.getTime() : a !== b;
  });
  return { ok: true, next, changed };
};

/** Back in a queue: no agent, the original wait kept (front of its lane), already routed for it. */
const backToQueue = (state: ConversationState, now: Date): Partial<ConversationState> => {
  const queuedAt = state.queuedAt ?? now;
  return {
    status: 'queued',
    assigneeId: null,
    assignedAt: null,
    queuedAt,
    routedFor: queuedAt,
    // a chat held after hours and moved by a supervisor is in that group's queue now
    offer: state.offer === 'after_hours' ? null : state.offer,
  };
};

/** A new wait: routing classifies it again (routedFor differs from queuedAt). */
const newWait = (now: Date): Partial<ConversationState> => ({
  status: 'queued',
  assigneeId: null,
  assignedAt: null,
  resolvedAt: null,
  queuedAt: now,
  offer: null,
  missedAgentId: null,
});

const toAgent = (state: ConversationState, agentId: string, now: Date): Partial<ConversationState> => ({
  status: 'assigned',
  assigneeId: agentId,
  assignedAt: now,
  offer: null,
  // the reply clock restarts for the new agent if the customer is waiting for one
  awaitingAgentSince: state.awaitingAgentSince ? now : null,
  // the no-reply exclusion is cleared once another agent has it
  missedAgentId: state.missedAgentId === agentId ? agentId : null,
});

const ended = (now: Date): Partial<ConversationState> => ({
  status: 'closed',
  assigneeId: null,
  resolvedAt: now,
});

/**
 * The conversation state machine. Pure: `transitionConversation` (chat.repository) persists the result.
 * Every (status, event) pair not listed here is rejected (409 invalid_transition at the edge).
 */
export function applyConversationEvent(
  state: ConversationState,
  event: ConversationEvent,
  now: Date = new Date(),
): TransitionResult {
  const { status } = state;
  const open = status === 'bot' || status === 'queued' || status === 'assigned';
  const inQueue = status === 'queued' || status === 'assigned';
  switch (event.type) {
    case 'bot_handoff':
      return status === 'bot' ? to(state, newWait(now)) : reject(state, event);
    case 'assigned':
      if (status !== 'queued') return reject(state, event);
      if (state.offer === 'after_hours') return reject(state, event, 'the chat is held after hours');
      return to(state, toAgent(state, event.agentId, now));
    case 'transferred_to_agent':
      if (!inQueue) return reject(state, event);
      if (state.assigneeId === event.agentId)
        return reject(state, event, 'the chat is already assigned to this agent');
      return to(state, toAgent(state, event.agentId, now));
    case 'requeued':
      return status === 'assigned'
        ? to(state, {
            ...backToQueue(state, now),
            missedAgentId: event.reason === 'no_reply' ? state.assigneeId : null,
          })
        : reject(state, event);
    case 'transferred_to_group':
      return inQueue
        ? to(state, { ...backToQueue(state, now), groupId: event.groupId, missedAgentId: null })
        : reject(state, event);
    case 'overflowed':
      if (status !== 'queued') return reject(state, event);
      return event.to === 'bot'
        ? to(state, { status: 'bot', assigneeId: null, queuedAt: null, offer: null })
        : to(state, { groupId: event.groupId });
    case 'offered':
      if (status !== 'queued') return reject(state, event);
      if (event.reason === 'max_wait')
        return state.offer === null
          ? to(state, { offer: 'offered' })
          : reject(state, event, 'leave-a-message was offered for this wait already');
      return state.offer === 'after_hours'
        ? reject(state, event, 'the chat is held after hours already')
        : to(state, { offer: 'after_hours' });
    case 'kept_waiting':
      return status === 'queued' && state.offer === 'offered'
        ? to(state, { offer: 'declined' })
        : reject(state, event, 'no leave-a-message offer is waiting for an answer');
    case 'released':
      return status === 'queued' && state.offer === 'after_hours'
        ? to(state, { offer: null, queuedAt: event.at, routedFor: event.at, estimatedWaitSeconds: null })
        : reject(state, event, 'the chat is not held after hours');
    case 'abandoned':
      return status === 'queued' ? to(state, ended(now)) : reject(state, event);
    case 'left_message':
      if (status !== 'queued') return reject(state, event);
      return state.offer === null
        ? reject(state, event, 'leave-a-message was not offered')
        : to(state, ended(now));
    case 'resolved':
      return open ? to(state, { status: 'resolved', resolvedAt: now }) : reject(state, event);
    case 'closed':
      return status === 'closed'
        ? reject(state, event)
        : to(state, { status: 'closed', resolvedAt: state.resolvedAt ?? now });
    case 'reopened':
      return status === 'resolved' ? to(state, newWait(now)) : reject(state, event);
    case 'customer_message':
      return status === 'resolved' ? to(state, newWait(now)) : to(state, {});
  }
}
