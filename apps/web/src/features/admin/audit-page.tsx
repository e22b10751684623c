import type { TAuditEntry, TUser } from '@peakdesk/contracts';
import { Button, Table, type TableColumnsType, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { formatDateTime, labelOf, type TTranslate, useI18n } from '../../lib/i18n.ts';
import { PageHeader } from '../../ui/page-header.tsx';
import { adminApi } from './admin-api.ts';
import { useAdminList } from './use-admin-list.ts';

const loadAudit = () => adminApi.listAudit(100);

/** Detail fields whose values are codes the pages already have labels for. */
const VALUE_LABELS: Readonly<Record<string, string>> = {
  mode: 'kb.settings.mode.',
  role: 'role.',
  strategy: 'routing.strategy.',
  overflowAction: 'routing.overflow.',
  afterHoursAction: 'routing.afterHours.',
  lane: 'routing.lane.',
  status: 'leaveMessages.status.',
};

/** A detail value as a reader sees it: codes by their label, 是/否, lists joined, nested values as fields. */
function detailValue(value: unknown, t: TTranslate, key = ''): string {
  const prefix = VALUE_LABELS[key];
  if (prefix && typeof value === 'string') return labelOf(`${prefix}${value}`, value);
  if (typeof value === 'boolean') return t(value ? 'common.yes' : 'common.no');
  if (Array.isArray(value)) return value.map((v) => detailValue(v, t, key)).join('、');
  if (value && typeof value === 'object')
    return Object.entries(value)
      .map(([k, v]) => `${labelOf(`audit.detail.${k}`, k)} ${detailValue(v, t, k)}`)
      .join('，');
  return String(value);
}

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
      render: (action: string) => (
        <span data-testid="audit-action" data-action={action}>
          {labelOf(`audit.action.${action}`, action)}
        </span>
      ),
    },
    {
      title: t('admin.audit.target'),
      key: 'target',
      width: 200,
      render: (_, entry) =>
        `${labelOf(`audit.target.${entry.targetType}`, entry.targetType)}${entry.targetId ? ` · ${entry.targetId.slice(0, 8)}` : ''}`,
    },
    {
      title: t('admin.audit.detail'),
      dataIndex: 'detail',
      render: (detail: Record<string, unknown>) => (
        <Typography.Text type="secondary" data-testid="audit-detail">
          {Object.entries(detail)
            .filter(([, value]) => value !== undefined && value !== null && value !== '')
            .map(([key, value]) => `${labelOf(`audit.detail.${key}`, key)}：${detailValue(value, t, key)}`)
            .join('；')}
        </Typography.Text>
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
