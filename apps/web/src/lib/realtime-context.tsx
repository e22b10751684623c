import { ChatClient } from '@peakdesk/chat-client';
import type { TConversation, TMessage, TSenderType } from '@peakdesk/contracts';
import { createContext, type ReactNode, useContext, useEffect, useRef, useState } from 'react';

export type TConnectionState = 'connecting' | 'connected' | 'disconnected';
type TTypingEvent = { conversationId: string; senderType: TSenderType; isTyping: boolean };
type TReadEvent = { conversationId: string; readerType: 'customer' | 'agent'; seq: number };

type TEventMap = {
  message: TMessage;
  conversation: TConversation;
  typing: TTypingEvent;
  read: TReadEvent;
};
export type TRealtimeEvent = keyof TEventMap;

type TRealtimeContext = { client: ChatClient | null; connection: TConnectionState };
const RealtimeContext = createContext<TRealtimeContext>({ client: null, connection: 'connecting' });

/**
 * One shared chat client for the signed-in area. The socket authenticates with the session cookie,
 * so it must only exist while signed in; unmounting (sign-out) closes it.
 */
export function RealtimeProvider({ children }: { children: ReactNode }) {
  const [value, setValue] = useState<TRealtimeContext>({ client: null, connection: 'connecting' });

  useEffect(() => {
    // WebSocket only (the client's default): no sticky sessions needed behind several server instances.
    // Every 5 s the watched conversations' last seq is checked, so a push lost when a server
    // instance died is healed without waiting for a reconnect (one small request per agent).
    const client = new ChatClient({ url: window.location.origin, auth: {}, resyncIntervalMs: 5_000 });
    const setConnection = (connection: TConnectionState) =>
      setValue((prev) =>
        prev.client === client && prev.connection === connection ? prev : { client, connection },
      );
    setValue({ client, connection: client.connected ? 'connected' : 'connecting' });
    const offConnection = client.on('connection', setConnection);
    // A refused handshake never becomes "disconnected" on its own; surface it so the banner shows.
    const offError = client.on('error', (e) => {
      if (e.code === 'connect_error') setConnection('disconnected');
    });
    return () => {
      offConnection();
      offError();
      client.close();
      setValue({ client: null, connection: 'connecting' });
    };
  }, []);

  return <RealtimeContext.Provider value={value}>{children}</RealtimeContext.Provider>;
}

export function useRealtime(): ChatClient | null {
  return useContext(RealtimeContext).client;
}

export function useConnectionState(): TConnectionState {
  return useContext(RealtimeContext).connection;
}

// Written out per event so each listener keeps its payload type without casts.
const subscribers: {
  [E in TRealtimeEvent]: (client: ChatClient, listener: (payload: TEventMap[E]) => void) => () => void;
} = {
  message: (client, listener) => client.on('message', listener),
  conversation: (client, listener) => client.on('conversation', listener),
  typing: (client, listener) => client.on('typing', listener),
  read: (client, listener) => client.on('read', listener),
};

/** Subscribes for the component's lifetime; the latest handler is always used without resubscribing. */
export function useRealtimeEvent<E extends TRealtimeEvent>(
  event: E,
  handler: (payload: TEventMap[E]) => void,
): void {
  const client = useRealtime();
  const handlerRef = useRef(handler);
  handlerRef.current = handler;
  useEffect(() => {
    if (!client) return undefined;
    const subscribe: (c: ChatClient, l: (payload: TEventMap[E]) => void) => () => void = subscribers[event];
    return subscribe(client, (payload) => handlerRef.current(payload));
  }, [client, event]);
}
