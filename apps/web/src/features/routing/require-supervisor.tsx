import type { ReactNode } from 'react';
import { Navigate } from 'react-router-dom';
import { useSession } from '../auth/session-context.tsx';

/** Supervisors and admins only (the wall); others go back to the workspace. */
export function RequireSupervisor({ children }: { children: ReactNode }) {
  const { state } = useSession();
  if (state.phase !== 'signed-in' || state.me.user.role === 'agent')
    return <Navigate to="/workspace" replace />;
  return children;
}
