import { QUICK_REPLY_CATEGORIES, type TQuickReply, type TQuickReplyCategory } from '@peakdesk/contracts';
import {
  App,
  Button,
  Input,
  Popconfirm,
  Segmented,
  Space,
  Table,
  type TableColumnsType,
  Tag,
  Typography,
} from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { errorMessage } from '../../lib/form-errors.ts';
import { formatDateTime, useI18n } from '../../lib/i18n.ts';
import { useMe } from '../auth/session-context.tsx';
import { deleteQuickReply, filterQuickReplies, listQuickReplies } from './quick-replies-api.ts';
import { QuickReplyFormDialog } from './quick-reply-form-dialog.tsx';

type TCategoryFilter = TQuickReplyCategory | 'all';
type TScopeFilter = TQuickReply['scope'] | 'all';

export function QuickRepliesPage() {
  const { t, language } = useI18n();
  const { message } = App.useApp();
  const me = useMe();
  const [replies, setReplies] = useState<TQuickReply[]>([]);
  const [isLoading, setIsLoading] = useState(true);
  const [category, setCategory] = useState<TCategoryFilter>('all');
  const [scope, setScope] = useState<TScopeFilter>('all');
  const [search, setSearch] = useState('');
  const [editing, setEditing] = useState<TQuickReply | null | undefined>(undefined);
  const canEditTeam = me.user.role !== 'agent';

  const load = useCallback(async () => {
    setIsLoading(true);
    try {
      setReplies(await listQuickReplies({ category: category === 'all' ? undefined : category }));
    } catch (error) {
      message.error(errorMessage(error, t('common.requestFailed')));
    } finally {
      setIsLoading(false);
    }
  }, [category, message, t]);

  useEffect(() => {
    void load();
  }, [load]);

  // Search and scope filter locally: the list is small and this keeps typing instant.
  const visible = useMemo(
    () => filterQuickReplies(scope === 'all' ? replies : replies.filter((r) => r.scope === scope), search),
    [replies, scope, search],
  );

  const remove = async (reply: TQuickReply) => {
    try {
      await deleteQuickReply(reply.id);
      setReplies((prev) => prev.filter((r) => r.id !== reply.id));
      message.success(t('common.deleted'));
    } catch (error) {
      message.error(errorMessage(error, t('common.requestFailed')));
    }
  };

  const columns: TableColumnsType<TQuickReply> = [
    {
      title: t('qr.shortcut'),
      dataIndex: 'shortcut',
      width: 140,
      render: (shortcut: string) => <Typography.Text code>/{shortcut}</Typography.Text>,
    },
    { title: t('qr.titleField'), dataIndex: 'title', width: 180 },
    {
      title: t('qr.body'),
      dataIndex: 'body',
      render: (body: string) => <div className="pd-pre">{body}</div>,
    },
    {
      title: t('qr.category'),
      dataIndex: 'category',
      width: 100,
      render: (c: TQuickReplyCategory) => <Tag color="blue">{t(`qr.cat.${c}`)}</Tag>,
    },
    {
      title: t('qr.scope'),
      dataIndex: 'scope',
      width: 90,
      render: (s: TQuickReply['scope']) => (
        <Tag color={s === 'team' ? 'purple' : 'default'}>{t(`qr.scope.${s}`)}</Tag>
      ),
    },
    {
      title: t('qr.updatedAt'),
      dataIndex: 'updatedAt',
      width: 150,
      render: (iso: string) => formatDateTime(language, iso),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 130,
      render: (_, reply) => {
        const canEdit = reply.scope === 'personal' || canEditTeam;
        return (
          <Space size={0}>
            <Button type="link" size="small" disabled={!canEdit} onClick={() => setEditing(reply)}>
              {t('common.edit')}
            </Button>
            <Popconfirm
              title={t('common.confirmDelete')}
              okText={t('common.delete')}
              cancelText={t('common.cancel')}
              onConfirm={() => remove(reply)}
            >
              <Button type="link" size="small" danger disabled={!canEdit}>
                {t('common.delete')}
              </Button>
            </Popconfirm>
          </Space>
        );
      },
    },
  ];

  return (
    <div className="pd-page">
      <div className="pd-page__header">
        <div>
          <Typography.Title level={4} className="pd-page__title">
            {t('qr.title')}
          </Typography.Title>
          <Typography.Text type="secondary">{t('qr.subtitle')}</Typography.Text>
        </div>
        <Button type="primary" onClick={() => setEditing(null)} data-testid="quick-reply-new">
          {t('qr.new')}
        </Button>
      </div>
      <Space wrap style={{ marginBottom: 12 }}>
        <Segmented<TCategoryFilter>
          value={category}
          onChange={setCategory}
          options={[
            { value: 'all', label: t('common.all') },
            ...QUICK_REPLY_CATEGORIES.map((c) => ({ value: c, label: t(`qr.cat.${c}`) })),
          ]}
        />
        <Segmented<TScopeFilter>
          value={scope}
          onChange={setScope}
          options={[
            { value: 'all', label: t('common.all') },
            { value: 'personal', label: t('qr.scope.personal') },
            { value: 'team', label: t('qr.scope.team') },
          ]}
        />
        <Input.Search
          allowClear
          placeholder={t('qr.searchPlaceholder')}
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          style={{ width: 240 }}
        />
      </Space>
      <Table<TQuickReply>
        rowKey="id"
        size="middle"
        loading={isLoading}
        columns={columns}
        dataSource={visible}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
      />
      <QuickReplyFormDialog
        editing={editing}
        canEditTeam={canEditTeam}
        onClose={() => setEditing(undefined)}
        onSaved={(saved) => {
          setEditing(undefined);
          setReplies((prev) =>
            prev.some((r) => r.id === saved.id)
              ? prev.map((r) => (r.id === saved.id ? saved : r))
              : [saved, ...prev],
          );
        }}
      />
    </div>
  );
}
