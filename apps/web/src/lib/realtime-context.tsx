import type { TConversation, TMessage, TSenderType } from '@peakdesk/contracts';
import { createContext, type ReactNode, useContext, useEffect, useRef, useState } from 'react';

export type TConnectionState = 'connecting' | 'connected' | 'disconnected';
export type TTypingEvent = { conversationId: string; senderType: TSenderType; isTyping: boolean };
export type TReadEvent = { conversationId: string; readerType: 'customer' | 'agent'; seq: number };

type TEventMap = {
  message: TMessage;
  conversation: TConversation;
  typing: TTypingEvent;
  read: TReadEvent;
};
export type TRealtimeEvent = keyof TEventMap;

/** What the workspace needs from the shared chat client; kept narrow so screens do not depend on transport. */
export type TRealtime = {
  on: <E extends TRealtimeEvent>(event: E, handler: (payload: TEventMap[E]) => void) => () => void;
  watch: (conversationId: string, afterSeq: number) => void;
  sendText: (conversationId: string, body: string) => Promise<TMessage>;
  sendImage: (conversationId: string, attachmentId: string) => Promise<TMessage>;
  typing: (conversationId: string, isTyping: boolean) => void;
  markRead: (conversationId: string, seq: number) => void;
};

type TRealtimeContext = { realtime: TRealtime | null; connection: TConnectionState };
const RealtimeContext = createContext<TRealtimeContext>({ realtime: null, connection: 'connecting' });

export function RealtimeProvider({ children }: { children: ReactNode }) {
  const [value, setValue] = useState<TRealtimeContext>({ realtime: null, connection: 'connecting' });
  useEffect(() => {
    setValue({ realtime: null, connection: 'connecting' });
    return undefined;
  }, []);
  return <RealtimeContext.Provider value={value}>{children}</RealtimeContext.Provider>;
}

export function useRealtime(): TRealtime | null {
  return useContext(RealtimeContext).realtime;
}

export function useConnectionState(): TConnectionState {
  return useContext(RealtimeContext).connection;
}

/** Subscribes for the component's lifetime; the latest handler is always used without resubscribing. */
export function useRealtimeEvent<E extends TRealtimeEvent>(
  event: E,
  handler: (payload: TEventMap[E]) => void,
): void {
  const realtime = useRealtime();
  const handlerRef = useRef(handler);
  handlerRef.current = handler;
  useEffect(() => {
    if (!realtime) return undefined;
    return realtime.on(event, (payload) => handlerRef.current(payload));
  }, [realtime, event]);
}
