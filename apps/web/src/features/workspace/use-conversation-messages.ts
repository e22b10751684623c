import type { TMessage } from '@peakdesk/contracts';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useRealtime, useRealtimeEvent } from '../../lib/realtime-context.tsx';
import { newClientId, workspaceApi } from './workspace-api.ts';

const PAGE_SIZE = 50;
/** A customer who stops typing without sending never tells us; drop the indicator after this long. */
const TYPING_TIMEOUT_MS = 6000;

export type TPendingMessage = {
  key: string;
  type: 'text' | 'image';
  body: string;
  isFailed: boolean;
  retry: () => void;
};

/** Merges by seq: the same message can arrive from history, the send ack and the push. */
function mergeMessages(current: TMessage[], incoming: readonly TMessage[]): TMessage[] {
  if (incoming.length === 0) return current;
  const bySeq = new Map<number, TMessage>();
  for (const m of current) bySeq.set(m.seq, m);
  for (const m of incoming) bySeq.set(m.seq, m);
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
}

export function useConversationMessages(conversationId: string) {
  const realtime = useRealtime();
  const [messages, setMessages] = useState<TMessage[]>([]);
  const [hasMore, setHasMore] = useState(false);
  const [isLoading, setIsLoading] = useState(true);
  const [isLoadingOlder, setIsLoadingOlder] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [isPeerTyping, setIsPeerTyping] = useState(false);
  const [peerReadSeq, setPeerReadSeq] = useState(0);
  const [pending, setPending] = useState<TPendingMessage[]>([]);
  const typingTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  useEffect(() => {
    let isCurrent = true;
    setMessages([]);
    setPending([]);
    setHasMore(false);
    setIsLoading(true);
    setError(null);
    setIsPeerTyping(false);
    setPeerReadSeq(0);
    workspaceApi.getConversation(conversationId).then(
      (c) => {
        if (isCurrent) setPeerReadSeq((prev) => Math.max(prev, c.customerReadSeq));
      },
      () => {},
    );
    workspaceApi.listMessages(conversationId, { limit: PAGE_SIZE }).then(
      (page) => {
        if (!isCurrent) return;
        setMessages((prev) => mergeMessages(prev, page.messages));
        setHasMore(page.hasMore);
        setIsLoading(false);
      },
      (cause: unknown) => {
        if (!isCurrent) return;
        setError(cause instanceof Error ? cause.message : String(cause));
        setIsLoading(false);
      },
    );
    return () => {
      isCurrent = false;
      clearTimeout(typingTimer.current);
    };
  }, [conversationId]);

  // Resume point for the realtime client: everything after the newest message we hold.
  const lastSeq = messages.length > 0 ? (messages[messages.length - 1]?.seq ?? 0) : 0;
  const lastSeqRef = useRef(lastSeq);
  lastSeqRef.current = lastSeq;
  useEffect(() => {
    if (!realtime || isLoading) return;
    realtime.watch(conversationId, lastSeqRef.current);
  }, [realtime, conversationId, isLoading]);

  useRealtimeEvent('message', (message) => {
    if (message.conversationId !== conversationId) return;
    setMessages((prev) => mergeMessages(prev, [message]));
    if (message.senderType === 'customer') setIsPeerTyping(false);
  });

  useRealtimeEvent('typing', (event) => {
    if (event.conversationId !== conversationId || event.senderType !== 'customer') return;
    clearTimeout(typingTimer.current);
    setIsPeerTyping(event.isTyping);
    if (event.isTyping) typingTimer.current = setTimeout(() => setIsPeerTyping(false), TYPING_TIMEOUT_MS);
  });

  useRealtimeEvent('read', (event) => {
    if (event.conversationId !== conversationId || event.readerType !== 'customer') return;
    setPeerReadSeq((prev) => Math.max(prev, event.seq));
  });

  const loadOlder = useCallback(async () => {
    const first = messages[0];
    if (!first || isLoadingOlder) return;
    setIsLoadingOlder(true);
    try {
      const page = await workspaceApi.listMessages(conversationId, {
        beforeSeq: first.seq,
        limit: PAGE_SIZE,
      });
      setMessages((prev) => mergeMessages(prev, page.messages));
      setHasMore(page.hasMore);
    } catch (cause) {
      setError(cause instanceof Error ? cause.message : String(cause));
    } finally {
      setIsLoadingOlder(false);
    }
  }, [conversationId, messages, isLoadingOlder]);

  /** Sends through the chat client (its outbox resends after a reconnect); REST only before it exists. */
  const deliver = useCallback(
    (
      kind: { type: 'text'; body: string } | { type: 'image'; attachmentId: string },
      clientId: string,
    ): Promise<TMessage> => {
      if (realtime) return realtime.send({ conversationId, clientId, ...kind });
      return kind.type === 'text'
        ? workspaceApi.sendText(conversationId, clientId, kind.body)
        : workspaceApi.sendImage(conversationId, clientId, kind.attachmentId);
    },
    [realtime, conversationId],
  );

  const track = useCallback(
    (type: 'text' | 'image', body: string, run: (clientId: string) => Promise<TMessage>) => {
      // One client id for the send and all its retries, so a retry after a lost answer never stores twice.
      const clientId = newClientId();
      const attempt = () => {
        setPending((prev) => prev.map((p) => (p.key === clientId ? { ...p, isFailed: false } : p)));
        run(clientId).then(
          (message) => {
            setMessages((prev) =>
              message.conversationId === conversationId ? mergeMessages(prev, [message]) : prev,
            );
            setPending((prev) => prev.filter((p) => p.key !== clientId));
          },
          () => setPending((prev) => prev.map((p) => (p.key === clientId ? { ...p, isFailed: true } : p))),
        );
      };
      setPending((prev) => [...prev, { key: clientId, type, body, isFailed: false, retry: attempt }]);
      attempt();
    },
    [conversationId],
  );

  const sendText = useCallback(
    (body: string) => track('text', body, (clientId) => deliver({ type: 'text', body }, clientId)),
    [track, deliver],
  );

  const sendImage = useCallback(
    (file: File) => {
      // Upload once; a retry only resends the message that points at the stored image.
      let attachmentId: string | undefined;
      track('image', file.name, async (clientId) => {
        attachmentId ??= (await workspaceApi.uploadImage(conversationId, file)).id;
        return deliver({ type: 'image', attachmentId }, clientId);
      });
    },
    [track, deliver, conversationId],
  );

  return {
    messages,
    hasMore,
    isLoading,
    isLoadingOlder,
    error,
    isPeerTyping,
    peerReadSeq,
    pending,
    lastSeq,
    loadOlder,
    sendText,
    sendImage,
  };
}
