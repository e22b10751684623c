import { Result } from 'antd';
import { lazy, type ReactNode } from 'react';
import { createBrowserRouter, Navigate, useLocation } from 'react-router-dom';
import { LoginPage } from '../features/auth/login-page.tsx';
import { useSession } from '../features/auth/session-context.tsx';
import { SetupPage } from '../features/auth/setup-page.tsx';
import { RequireSupervisor } from '../features/routing/require-supervisor.tsx';
import { useI18n } from '../lib/i18n.ts';
import { RealtimeProvider } from '../lib/realtime-context.tsx';
import { PageLoading } from '../ui/page-loading.tsx';
import { AppShell } from './app-shell.tsx';

// Screens are split per route so the sign-in page loads without the workspace and admin code.
const WorkspacePage = lazy(() =>
  import('../features/workspace/workspace-page.tsx').then((m) => ({ default: m.WorkspacePage })),
);
const QuickRepliesPage = lazy(() =>
  import('../features/quick-replies/quick-replies-page.tsx').then((m) => ({ default: m.QuickRepliesPage })),
);
const StoresPage = lazy(() =>
  import('../features/admin/stores-page.tsx').then((m) => ({ default: m.StoresPage })),
);
const GroupsPage = lazy(() =>
  import('../features/admin/groups-page.tsx').then((m) => ({ default: m.GroupsPage })),
);
const UsersPage = lazy(() =>
  import('../features/admin/users-page.tsx').then((m) => ({ default: m.UsersPage })),
);
const TokensPage = lazy(() =>
  import('../features/admin/tokens-page.tsx').then((m) => ({ default: m.TokensPage })),
);
const AuditPage = lazy(() =>
  import('../features/admin/audit-page.tsx').then((m) => ({ default: m.AuditPage })),
);
const DeadLettersPage = lazy(() =>
  import('../features/admin/dead-letters-page.tsx').then((m) => ({ default: m.DeadLettersPage })),
);
const LeaveMessagesPage = lazy(() =>
  import('../features/routing/leave-messages-page.tsx').then((m) => ({ default: m.LeaveMessagesPage })),
);
const WallPage = lazy(() =>
  import('../features/routing/wall-page.tsx').then((m) => ({ default: m.WallPage })),
);
const RoutingSettingsPage = lazy(() =>
  import('../features/routing/routing-settings-page.tsx').then((m) => ({ default: m.RoutingSettingsPage })),
);
const KnowledgePage = lazy(() =>
  import('../features/knowledge/knowledge-page.tsx').then((m) => ({ default: m.KnowledgePage })),
);

const DrillsPage = lazy(() =>
  import('../features/drills/drills-page.tsx').then((m) => ({ default: m.DrillsPage })),
);
const PlannerPage = lazy(() =>
  import('../features/workforce/planner-page.tsx').then((m) => ({ default: m.PlannerPage })),
);
const PlanPage = lazy(() =>
  import('../features/workforce/plan-page.tsx').then((m) => ({ default: m.PlanPage })),
);
const IntradayPage = lazy(() =>
  import('../features/workforce/intraday-page.tsx').then((m) => ({ default: m.IntradayPage })),
);
const MyShiftsPage = lazy(() =>
  import('../features/workforce/my-shifts-page.tsx').then((m) => ({ default: m.MyShiftsPage })),
);

/** Planning is for supervisors and admins; agents only see their own shifts. */
function RequirePlanner({ children }: { children: ReactNode }) {
  const { state } = useSession();
  if (state.phase !== 'signed-in' || state.me.user.role === 'agent')
    return <Navigate to="/my-shifts" replace />;
  return children;
}

function RequireSession({ children }: { children: ReactNode }) {
  const { state } = useSession();
  const location = useLocation();
  if (state.phase === 'loading') return <PageLoading />;
  if (state.phase === 'anonymous')
    return <Navigate to="/login" replace state={{ from: location.pathname }} />;
  // The socket lives exactly as long as the signed-in area, so sign-out closes it.
  return <RealtimeProvider>{children}</RealtimeProvider>;
}

function RequireAdmin({ children }: { children: ReactNode }) {
  const { state } = useSession();
  if (state.phase !== 'signed-in' || state.me.user.role !== 'admin')
    return <Navigate to="/workspace" replace />;
  return children;
}

function NotFound() {
  const { t } = useI18n();
  return <Result status="404" title="404" subTitle={t('shell.notFound')} />;
}

export const router = createBrowserRouter([
  { path: '/login', element: <LoginPage /> },
  { path: '/setup', element: <SetupPage /> },
  {
    path: '/',
    element: (
      <RequireSession>
        <AppShell />
      </RequireSession>
    ),
    children: [
      { index: true, element: <Navigate to="/workspace" replace /> },
      { path: 'workspace', element: <WorkspacePage /> },
      { path: 'workspace/:conversationId', element: <WorkspacePage /> },
      { path: 'quick-replies', element: <QuickRepliesPage /> },
      { path: 'knowledge', element: <KnowledgePage /> },
      {
        path: 'wall',
        element: (
          <RequireSupervisor>
            <WallPage />
          </RequireSupervisor>
        ),
      },
      {
        path: 'leave-messages',
        element: (
          <RequireSupervisor>
            <LeaveMessagesPage />
          </RequireSupervisor>
        ),
      },
      { path: 'my-shifts', element: <MyShiftsPage /> },
      {
        path: 'drills',
        element: (
          <RequirePlanner>
            <DrillsPage />
          </RequirePlanner>
        ),
      },
      {
        path: 'planner',
        element: (
          <RequirePlanner>
            <PlannerPage />
          </RequirePlanner>
        ),
      },
      {
        path: 'planner/:planId',
        element: (
          <RequirePlanner>
            <PlanPage />
          </RequirePlanner>
        ),
      },
      {
        path: 'planner/:planId/intraday',
        element: (
          <RequirePlanner>
            <IntradayPage />
          </RequirePlanner>
        ),
      },
      { path: 'admin', element: <Navigate to="/admin/stores" replace /> },
      {
        path: 'admin/stores',
        element: (
          <RequireAdmin>
            <StoresPage />
          </RequireAdmin>
        ),
      },
      {
        path: 'admin/routing',
        element: (
          <RequireAdmin>
            <RoutingSettingsPage />
          </RequireAdmin>
        ),
      },
      {
        path: 'admin/groups',
        element: (
          <RequireAdmin>
            <GroupsPage />
          </RequireAdmin>
        ),
      },
      {
        path: 'admin/users',
        element: (
          <RequireAdmin>
            <UsersPage />
          </RequireAdmin>
        ),
      },
      {
        path: 'admin/tokens',
        element: (
          <RequireAdmin>
            <TokensPage />
          </RequireAdmin>
        ),
      },
      {
        path: 'admin/audit',
        element: (
          <RequireAdmin>
            <AuditPage />
          </RequireAdmin>
        ),
      },
      {
        path: 'admin/dead-letters',
        element: (
          <RequireAdmin>
            <DeadLettersPage />
          </RequireAdmin>
        ),
      },
      { path: '*', element: <NotFound /> },
    ],
  },
]);
