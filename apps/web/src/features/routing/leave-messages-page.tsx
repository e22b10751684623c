import type { TLeaveMessage, TMessage } from '@peakdesk/contracts';
import {
  App,
  Button,
  Empty,
  Segmented,
  Space,
  Spin,
  Table,
  type TableColumnsType,
  Tag,
  Typography,
} from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { errorMessage } from '../../lib/form-errors.ts';
import { formatDateTime, useI18n } from '../../lib/i18n.ts';
import { PageHeader } from '../../ui/page-header.tsx';
import { routingApi } from './routing-api.ts';

type TFilter = 'open' | 'handled' | 'all';

/** The conversation the message was left from, read on demand; every body is React text, never HTML. */
function Transcript({ conversationId }: { conversationId: string | null }) {
  const { t, language } = useI18n();
  const [messages, setMessages] = useState<TMessage[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!conversationId) return;
    routingApi.transcript(conversationId).then(
      (p) => setMessages(p.messages),
      (e: unknown) => setError(errorMessage(e, '')),
    );
  }, [conversationId]);
  if (!conversationId)
    return <Typography.Text type="secondary">{t('leaveMessages.noTranscript')}</Typography.Text>;
  if (error) return <Typography.Text type="danger">{error}</Typography.Text>;
  if (!messages) return <Spin size="small" />;
  if (messages.length === 0)
    return <Typography.Text type="secondary">{t('leaveMessages.noTranscript')}</Typography.Text>;
  return (
    <div data-testid="leave-message-transcript" style={{ maxHeight: 320, overflowY: 'auto' }}>
      {messages.map((m) => (
        <div key={m.id} data-sender-type={m.senderType} style={{ marginBottom: 4 }}>
          <Typography.Text type="secondary" style={{ fontSize: 12, marginRight: 8 }}>
            {formatDateTime(language, m.createdAt)} ·{' '}
            {m.senderType === 'customer' ? t('leaveMessages.customer') : (m.senderName ?? m.senderType)}
          </Typography.Text>
          <Typography.Text style={{ whiteSpace: 'pre-wrap' }}>
            {m.type === 'image' ? '[image]' : m.body}
          </Typography.Text>
        </div>
      ))}
    </div>
  );
}

/** 留言: messages customers left (after the max wait or after hours), for supervisors to follow up. */
export function LeaveMessagesPage() {
  const { t, language } = useI18n();
  const { message } = App.useApp();
  const [filter, setFilter] = useState<TFilter>('open');
  const [rows, setRows] = useState<TLeaveMessage[] | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  const load = useCallback(() => {
    routingApi.listLeaveMessages(filter === 'all' ? undefined : filter).then(setRows, (e: unknown) => {
      setRows([]);
      void message.error(t('leaveMessages.failed', { error: e instanceof Error ? e.message : String(e) }));
    });
  }, [filter, message, t]);
  useEffect(load, [load]);

  const setStatus = async (row: TLeaveMessage, status: 'open' | 'handled') => {
    setBusy(row.id);
    try {
      const updated = await routingApi.updateLeaveMessage(row.id, status);
      setRows((rs) =>
        (rs ?? [])
          .map((r) => (r.id === updated.id ? updated : r))
          .filter((r) => filter === 'all' || r.status === filter),
      );
    } catch (e) {
      void message.error(t('leaveMessages.failed', { error: e instanceof Error ? e.message : String(e) }));
    } finally {
      setBusy(null);
    }
  };

  const columns: TableColumnsType<TLeaveMessage> = [
    { title: t('leaveMessages.time'), width: 150, render: (_, r) => formatDateTime(language, r.createdAt) },
    { title: t('leaveMessages.store'), dataIndex: 'storeName', width: 140 },
    { title: t('leaveMessages.customer'), dataIndex: 'customerName', width: 120 },
    {
      title: t('leaveMessages.message'),
      render: (_, r) => (
        <Typography.Text data-testid="leave-message-text" style={{ whiteSpace: 'pre-wrap' }}>
          {r.message}
        </Typography.Text>
      ),
    },
    {
      title: t('leaveMessages.contact'),
      width: 150,
      render: (_, r) => <span data-testid="leave-message-contact">{r.contact ?? '—'}</span>,
    },
    {
      title: t('leaveMessages.reason'),
      width: 110,
      render: (_, r) => <Tag>{t(`leaveMessages.reason.${r.reason}`)}</Tag>,
    },
    {
      title: t('leaveMessages.status'),
      width: 200,
      render: (_, r) => (
        <Space direction="vertical" size={0}>
          <Tag color={r.status === 'open' ? 'orange' : 'green'} data-testid="leave-message-status">
            {t(`leaveMessages.status.${r.status}`)}
          </Tag>
          {r.status === 'handled' && r.handledAt ? (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('leaveMessages.handledBy', {
                name: r.handledByName ?? '—',
                time: formatDateTime(language, r.handledAt),
              })}
            </Typography.Text>
          ) : null}
        </Space>
      ),
    },
    {
      title: '',
      width: 120,
      render: (_, r) =>
        r.status === 'open' ? (
          <Button
            size="small"
            type="primary"
            loading={busy === r.id}
            data-testid="leave-message-handle"
            onClick={() => void setStatus(r, 'handled')}
          >
            {t('leaveMessages.markHandled')}
          </Button>
        ) : (
          <Button size="small" loading={busy === r.id} onClick={() => void setStatus(r, 'open')}>
            {t('leaveMessages.reopen')}
          </Button>
        ),
    },
  ];

  return (
    <div className="pd-page" data-testid="leave-messages-page">
      <PageHeader title={t('leaveMessages.title')}>
        <Segmented<TFilter>
          value={filter}
          onChange={setFilter}
          options={(['open', 'handled', 'all'] as const).map((f) => ({
            value: f,
            label: t(`leaveMessages.filter.${f}`),
          }))}
        />
      </PageHeader>
      <Table<TLeaveMessage>
        rowKey="id"
        size="small"
        loading={rows === null}
        columns={columns}
        dataSource={rows ?? []}
        locale={{ emptyText: <Empty description={t('leaveMessages.empty')} /> }}
        onRow={(r) =>
          ({ 'data-testid': 'leave-message-row', 'data-id': r.id }) as React.HTMLAttributes<HTMLElement>
        }
        expandable={{
          expandedRowRender: (r) => <Transcript conversationId={r.conversationId} />,
          expandRowByClick: false,
        }}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
      />
    </div>
  );
}
