import type { TConversation, TMessage } from '@peakdesk/contracts';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useConnectionState, useRealtime, useRealtimeEvent } from '../../lib/realtime-context.tsx';
import { type TConversationScope, workspaceApi } from './workspace-api.ts';

/** Whether a pushed conversation still belongs in a list the server filtered by scope. */
function isInScope(scope: TConversationScope, conversation: TConversation, meId: string): boolean {
  switch (scope) {
    case 'mine':
      // Resolved chats stay visible until the next reload so the agent sees how they ended.
      return conversation.assigneeId === meId && conversation.status !== 'closed';
    case 'queued':
      return conversation.status === 'queued';
    case 'all':
      return true;
  }
}

function sortConversations(scope: TConversationScope, list: TConversation[]): TConversation[] {
  return [...list].sort((a, b) =>
    scope === 'queued'
      ? b.priority - a.priority || a.createdAt.localeCompare(b.createdAt)
      : b.lastMessageAt.localeCompare(a.lastMessageAt),
  );
}

function applyMessage(conversation: TConversation, message: TMessage, isOpen: boolean): TConversation {
  if (message.seq <= conversation.lastSeq) return conversation;
  const isFromCustomer = message.senderType === 'customer';
  return {
    ...conversation,
    lastSeq: message.seq,
    lastMessageAt: message.createdAt,
    lastMessagePreview: message.type === 'image' ? null : message.body,
    unread: isFromCustomer && !isOpen ? conversation.unread + 1 : conversation.unread,
  };
}

/**
 * One scope of the agent's conversation list: loaded over REST, then kept current by pushed
 * conversation updates and messages. Reloads after a reconnect, since pushes may have been missed.
 */
export function useConversationList(
  scope: TConversationScope,
  meId: string,
  openConversationId: string | null,
) {
  const realtime = useRealtime();
  const connection = useConnectionState();
  const [conversations, setConversations] = useState<TConversation[]>([]);
  const [isLoading, setIsLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const openRef = useRef(openConversationId);
  openRef.current = openConversationId;

  const reload = useCallback(async () => {
    try {
      const list = await workspaceApi.listConversations(scope);
      setConversations(sortConversations(scope, list));
      setError(null);
    } catch (cause) {
      setError(cause instanceof Error ? cause.message : String(cause));
    } finally {
      setIsLoading(false);
    }
  }, [scope]);

  useEffect(() => {
    setIsLoading(true);
    void reload();
  }, [reload]);

  const wasDisconnected = useRef(false);
  useEffect(() => {
    if (connection === 'disconnected') wasDisconnected.current = true;
    if (connection === 'connected' && wasDisconnected.current) {
      wasDisconnected.current = false;
      void reload();
    }
  }, [connection, reload]);

  // Every listed conversation is watched from its last known seq so new messages update previews.
  // A new client (after sign-in again) has no subscriptions, so the set is kept per client.
  const watched = useRef<{ client: unknown; ids: Set<string> }>({ client: null, ids: new Set() });
  useEffect(() => {
    if (!realtime) return;
    if (watched.current.client !== realtime) watched.current = { client: realtime, ids: new Set() };
    for (const c of conversations) {
      if (watched.current.ids.has(c.id)) continue;
      watched.current.ids.add(c.id);
      realtime.watch(c.id, c.lastSeq);
    }
  }, [realtime, conversations]);

  const upsert = useCallback(
    (conversation: TConversation) => {
      setConversations((prev) => {
        const rest = prev.filter((c) => c.id !== conversation.id);
        if (!isInScope(scope, conversation, meId)) return rest;
        // Keep the unread count at zero for the chat the agent is looking at.
        const next = conversation.id === openRef.current ? { ...conversation, unread: 0 } : conversation;
        return sortConversations(scope, [...rest, next]);
      });
    },
    [scope, meId],
  );

  useRealtimeEvent('conversation', upsert);
  useRealtimeEvent('message', (message) => {
    setConversations((prev) => {
      if (!prev.some((c) => c.id === message.conversationId)) return prev;
      return sortConversations(
        scope,
        prev.map((c) =>
          c.id === message.conversationId ? applyMessage(c, message, c.id === openRef.current) : c,
        ),
      );
    });
  });

  const clearUnread = useCallback((conversationId: string) => {
    setConversations((prev) =>
      prev.some((c) => c.id === conversationId && c.unread > 0)
        ? prev.map((c) => (c.id === conversationId ? { ...c, unread: 0 } : c))
        : prev,
    );
  }, []);

  return { conversations, isLoading, error, reload, upsert, clearUnread };
}
