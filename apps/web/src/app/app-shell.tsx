import { Avatar, Button, Dropdown, Layout, Menu, type MenuProps, Space, Tag, Typography } from 'antd';
import { Suspense, useState } from 'react';
import { Outlet, useLocation, useNavigate } from 'react-router-dom';
import { ChangePasswordDialog } from '../features/auth/change-password-dialog.tsx';
import { useMe, useSession } from '../features/auth/session-context.tsx';
import { StatusSwitch } from '../features/auth/status-switch.tsx';
import { TransferNotices } from '../features/routing/transfer-notices.tsx';
import { useI18n } from '../lib/i18n.ts';
import { useConnectionState } from '../lib/realtime-context.tsx';
import { ConnectionBanner } from '../ui/connection-banner.tsx';
import { LanguageSwitch } from '../ui/language-switch.tsx';
import { PageLoading } from '../ui/page-loading.tsx';

export function AppShell() {
  const { t } = useI18n();
  const me = useMe();
  const { signOut } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const connection = useConnectionState();
  const [isPasswordOpen, setIsPasswordOpen] = useState(false);
  const isAdmin = me.user.role === 'admin';

  const menuItems: MenuProps['items'] = [
    { key: '/workspace', label: t('shell.workspace') },
    ...(me.user.role !== 'agent' ? [{ key: '/wall', label: t('shell.wall') }] : []),
    ...(me.user.role !== 'agent' ? [{ key: '/leave-messages', label: t('shell.leaveMessages') }] : []),
    { key: '/quick-replies', label: t('shell.quickReplies') },
    ...(me.user.role !== 'agent' ? [{ key: '/knowledge', label: t('shell.knowledge') }] : []),
    { key: '/my-shifts', label: t('shell.myShifts') },
    ...(me.user.role !== 'agent' ? [{ key: '/planner', label: t('shell.planner') }] : []),
    ...(me.user.role !== 'agent' ? [{ key: '/drills', label: t('shell.drills') }] : []),
    ...(isAdmin
      ? [
          {
            key: 'admin',
            label: t('shell.admin'),
            children: [
              { key: '/admin/stores', label: t('shell.admin.stores') },
              { key: '/admin/groups', label: t('shell.admin.groups') },
              { key: '/admin/routing', label: t('shell.admin.routing') },
              { key: '/admin/users', label: t('shell.admin.users') },
              { key: '/admin/tokens', label: t('shell.admin.tokens') },
              { key: '/admin/audit', label: t('shell.admin.audit') },
              { key: '/admin/dead-letters', label: t('shell.admin.deadLetters') },
            ],
          },
        ]
      : []),
  ];
  const selectedKey = location.pathname.startsWith('/admin/')
    ? location.pathname.split('/').slice(0, 3).join('/')
    : `/${location.pathname.split('/')[1] ?? ''}`;

  const userMenu: MenuProps['items'] = [
    { key: 'password', label: t('shell.changePassword'), onClick: () => setIsPasswordOpen(true) },
    { key: 'logout', label: t('shell.logout'), danger: true, onClick: () => void signOut() },
  ];

  return (
    <Layout className="pd-shell">
      <Layout.Header className="pd-shell__header">
        <div className="pd-shell__brand">
          <span className="pd-shell__logo">{t('app.name')}</span>
          <Typography.Text className="pd-shell__org" data-testid="org-name">
            {me.orgName}
          </Typography.Text>
        </div>
        <Space size="middle">
          <StatusSwitch />
          <LanguageSwitch />
          <Dropdown menu={{ items: userMenu }} trigger={['click']}>
            <Button type="text" className="pd-shell__user" data-testid="user-menu">
              <Avatar size="small" style={{ background: '#1677ff' }}>
                {me.user.name.slice(0, 1)}
              </Avatar>
              <span>{me.user.name}</span>
              <Tag bordered={false}>{t(`role.${me.user.role}`)}</Tag>
            </Button>
          </Dropdown>
        </Space>
      </Layout.Header>
      <ConnectionBanner isVisible={connection === 'disconnected'} text={t('shell.disconnected')} />
      <Layout className="pd-shell__body">
        <Layout.Sider width={200} theme="light" className="pd-shell__sider">
          <Menu
            mode="inline"
            selectedKeys={[selectedKey]}
            defaultOpenKeys={['admin']}
            items={menuItems}
            onClick={({ key }) => navigate(key)}
          />
        </Layout.Sider>
        <Layout.Content className="pd-shell__content">
          <Suspense fallback={<PageLoading />}>
            <Outlet />
          </Suspense>
        </Layout.Content>
      </Layout>
      <TransferNotices />
      <ChangePasswordDialog isOpen={isPasswordOpen} onClose={() => setIsPasswordOpen(false)} />
    </Layout>
  );
}
