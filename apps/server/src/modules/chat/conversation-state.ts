import type { TConversationStatus } from '@peakdesk/contracts';

/** The only place a conversation's status may change. Pure: callers persist the result. */
export type ConversationState = { status: TConversationStatus; assigneeId: string | null };

export type ConversationEvent =
  | { type: 'handoff' } // bot gives the customer to a human queue
  | { type: 'assign'; agentId: string } // router, transfer or supervisor
  | { type: 'requeue' } // agent went away, missed the reply deadline, or was transferred to a group
  | { type: 'return_to_bot' }
  | { type: 'resolve' }
  | { type: 'customer_message' } // a customer writing to a resolved conversation reopens it
  | { type: 'abandon' } // customer left while waiting
  | { type: 'close' };

export type TransitionResult =
  | { ok: true; next: ConversationState; changed: boolean }
  | { ok: false; reason: string };

const reject = (state: ConversationState, event: ConversationEvent): TransitionResult => ({
  ok: false,
  reason: `cannot ${event.type} a conversation that is ${state.status}`,
});
const to = (state: ConversationState, next: ConversationState): TransitionResult => ({
  ok: true,
  next,
  changed: next.status !== state.status || next.assigneeId !== state.assigneeId,
});

export function transitionConversation(state: ConversationState, event: ConversationEvent): TransitionResult {
  const { status } = state;
  switch (event.type) {
    case 'handoff':
      return status === 'bot' ? to(state, { status: 'queued', assigneeId: null }) : reject(state, event);
    case 'assign':
      return status === 'queued' || status === 'assigned' || status === 'bot'
        ? to(state, { status: 'assigned', assigneeId: event.agentId })
        : reject(state, event);
    case 'requeue':
      return status === 'assigned' || status === 'queued'
        ? to(state, { status: 'queued', assigneeId: null })
        : reject(state, event);
    case 'return_to_bot':
      return status === 'queued' ? to(state, { status: 'bot', assigneeId: null }) : reject(state, event);
    case 'resolve':
      return status === 'bot' || status === 'queued' || status === 'assigned'
        ? to(state, { status: 'resolved', assigneeId: state.assigneeId })
        : reject(state, event);
    case 'customer_message':
      return status === 'resolved' ? to(state, { status: 'queued', assigneeId: null }) : to(state, state);
    case 'abandon':
      return status === 'queued' || status === 'bot'
        ? to(state, { status: 'closed', assigneeId: null })
        : reject(state, event);
    case 'close':
      return status === 'closed'
        ? reject(state, event)
        : to(state, { status: 'closed', assigneeId: state.assigneeId });
  }
}
