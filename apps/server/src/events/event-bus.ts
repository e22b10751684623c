import type { TConversation, TMessage, TQueuePosition, TTransferNotice } from '@peakdesk/contracts';

/**
 * The event catalogue. Events are published only after the transaction that caused them committed;
 * listeners (realtime push, facts, later QA and automations) never run inside a write.
 */
export type DomainEvents = {
  'message.created': { orgId: string; message: TMessage; conversation: ConversationRef };
  /** A resend hit a stored message: push it again (its first push may have died with an instance). */
  'message.redelivered': { orgId: string; message: TMessage; conversation: ConversationRef };
  'conversation.updated': { orgId: string; conversation: TConversation; previousAssigneeId: string | null };
  'agent.status_changed': { orgId: string; userId: string; status: 'online' | 'paused' | 'offline' | 'away' };
  /** A group's queue changed: every waiting customer's place and expected wait. */
  'queue.positions': { orgId: string; positions: (TQueuePosition & { customerId: string })[] };
  /** A chat was transferred to an agent or a group, with the sender's note. */
  'routing.transfer_notice': {
    orgId: string;
    /** The conversation's store: a group notice goes only to the members who serve it. */
    storeId: string;
    toUserId: string | null;
    toGroupId: string | null;
    notice: TTransferNotice;
  };
  'typing.changed': {
    orgId: string;
    conversation: ConversationRef;
    senderType: 'customer' | 'agent';
    isTyping: boolean;
  };
  /**
   * Credentials ended (logout, password change, token revoked) or the user's access changed (disabled,
   * role, stores, groups): their open sockets are disconnected on every instance. `credentials` are
   * the SHA-256 hashes of the ended session or API tokens; `all` means every socket of the user.
   */
  'access.revoked': { userId: string; credentials: string[] | 'all' };
  /** A customer's visitor tokens were revoked (widget sign-out, staff): their sockets are disconnected. */
  'visitor.revoked': { orgId: string; customerId: string };
  'read.changed': {
    orgId: string;
    conversation: ConversationRef;
    readerType: 'customer' | 'agent';
    seq: number;
  };
};

/** What a listener needs to address a conversation's audience without another query. */
export type ConversationRef = {
  id: string;
  storeId: string;
  customerId: string;
  groupId: string | null;
  assigneeId: string | null;
  /** Status as the write left it (e.g. `bot` tells the bot a customer message is its to answer). */
  status: 'bot' | 'queued' | 'assigned' | 'resolved' | 'closed';
};

type Listener<K extends keyof DomainEvents> = (payload: DomainEvents[K]) => void | Promise<void>;

export type EventBus = {
  publish<K extends keyof DomainEvents>(name: K, payload: DomainEvents[K]): void;
  subscribe<K extends keyof DomainEvents>(name: K, listener: Listener<K>): () => void;
};

export function createEventBus(onListenerError: (name: string, error: unknown) => void): EventBus {
  const listeners = new Map<string, Set<(p: unknown) => void | Promise<void>>>();
  return {
    publish(name, payload) {
      for (const l of listeners.get(name) ?? []) {
        try {
          const r = l(payload);
          if (r instanceof Promise) r.catch((e: unknown) => onListenerError(name, e));
        } catch (e) {
          onListenerError(name, e);
        }
      }
    },
    subscribe(name, listener) {
      const set = listeners.get(name) ?? new Set();
      listeners.set(name, set);
      const l = listener as (p: unknown) => void | Promise<void>;
      set.add(l);
      return () => set.delete(l);
    },
  };
}
