import { type TMe, type TUser, ZMe, ZSessionState } from '@peakdesk/contracts';
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { api, onUnauthorized } from '../../lib/api-client.ts';

type TSessionState = { phase: 'loading' } | { phase: 'anonymous' } | { phase: 'signed-in'; me: TMe };

type TSession = {
  state: TSessionState;
  signIn: (email: string, password: string) => Promise<void>;
  signOut: () => Promise<void>;
  /** The setup page signs its new admin in with the answer of `POST /api/setup`. */
  adoptSession: (me: TMe) => void;
  /** The status switch and profile edits return a fresh user; keep the shell in step with it. */
  updateUser: (user: TUser) => void;
};

const SessionContext = createContext<TSession | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<TSessionState>({ phase: 'loading' });

  useEffect(() => {
    let isCurrent = true;
    // `/api/auth/session` answers 200 for a visitor who is not signed in: no 401 in the console.
    api.get('/api/auth/session', ZSessionState).then(
      (session) => {
        if (!isCurrent) return;
        setState(session.authenticated ? { phase: 'signed-in', me: session.me } : { phase: 'anonymous' });
      },
      () => {
        if (isCurrent) setState({ phase: 'anonymous' });
      },
    );
    const unsubscribe = onUnauthorized(() => setState({ phase: 'anonymous' }));
    return () => {
      isCurrent = false;
      unsubscribe();
    };
  }, []);

  const signIn = useCallback(async (email: string, password: string) => {
    const me = await api.post('/api/auth/login', { email, password }, ZMe, { isAuthAttempt: true });
    setState({ phase: 'signed-in', me });
  }, []);

  const adoptSession = useCallback((me: TMe) => setState({ phase: 'signed-in', me }), []);

  const signOut = useCallback(async () => {
    try {
      await api.fire('/api/auth/logout', 'POST');
    } finally {
      setState({ phase: 'anonymous' });
    }
  }, []);

  const updateUser = useCallback((user: TUser) => {
    setState((prev) =>
      prev.phase === 'signed-in' ? { phase: 'signed-in', me: { ...prev.me, user } } : prev,
    );
  }, []);

  const value = useMemo(
    () => ({ state, signIn, signOut, adoptSession, updateUser }),
    [state, signIn, signOut, adoptSession, updateUser],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): TSession {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession must be used inside SessionProvider');
  return session;
}

/** For screens that only render behind the sign-in guard. */
export function useMe(): TMe {
  const { state } = useSession();
  if (state.phase !== 'signed-in') throw new Error('useMe used outside the signed-in area');
  return state.me;
}
