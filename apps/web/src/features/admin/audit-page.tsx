import type { TAuditEntry, TUser } from '@peakdesk/contracts';
import { Button, Table, type TableColumnsType, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { formatDateTime, useI18n } from '../../lib/i18n.ts';
import { PageHeader } from '../../ui/page-header.tsx';
import { adminApi } from './admin-api.ts';
import { useAdminList } from './use-admin-list.ts';

const loadAudit = () => adminApi.listAudit(100);

export function AuditPage() {
  const { t, language } = useI18n();
  const audit = useAdminList(loadAudit);
  const [users, setUsers] = useState<TUser[]>([]);

  useEffect(() => {
    adminApi.listUsers().then(setUsers, () => setUsers([]));
  }, []);

  const columns: TableColumnsType<TAuditEntry> = [
    {
      title: t('admin.audit.time'),
      dataIndex: 'createdAt',
      width: 170,
      render: (iso: string) => formatDateTime(language, iso),
    },
    {
      title: t('admin.audit.actor'),
      dataIndex: 'actorId',
      width: 140,
      render: (id: string | null) =>
        id ? (users.find((u) => u.id === id)?.name ?? id.slice(0, 8)) : t('admin.audit.system'),
    },
    {
      title: t('admin.audit.action'),
      dataIndex: 'action',
      width: 180,
      render: (action: string) => <Typography.Text code>{action}</Typography.Text>,
    },
    {
      title: t('admin.audit.target'),
      key: 'target',
      width: 200,
      render: (_, entry) => `${entry.targetType}${entry.targetId ? ` · ${entry.targetId.slice(0, 8)}` : ''}`,
    },
    {
      title: t('admin.audit.detail'),
      dataIndex: 'detail',
      render: (detail: Record<string, unknown>) => (
        <span className="pd-code" style={{ display: 'inline-block' }}>
          {JSON.stringify(detail)}
        </span>
      ),
    },
  ];

  return (
    <div className="pd-page">
      <PageHeader title={t('admin.audit.title')}>
        <Button onClick={() => void audit.reload()}>{t('common.refresh')}</Button>
      </PageHeader>
      <Table<TAuditEntry>
        rowKey="id"
        size="small"
        loading={audit.isLoading}
        columns={columns}
        dataSource={audit.items}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
      />
    </div>
  );
}
