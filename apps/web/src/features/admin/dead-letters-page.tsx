import type { TDeadLetter, TDeadLetterBacklog } from '@peakdesk/contracts';
import { App, Button, Empty, Table, type TableColumnsType, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { errorMessage } from '../../lib/form-errors.ts';
import { formatDateTime, labelOf, useI18n } from '../../lib/i18n.ts';
import { PageHeader } from '../../ui/page-header.tsx';
import { adminApi } from './admin-api.ts';

type TBacklogRow = {
  key: string;
  type: 'event' | 'job';
  name: string;
  due: number | null;
  pending: number;
  dead: number;
};

const keyOf = (d: TDeadLetter) => `${d.kind}:${d.listener ?? ''}:${d.id}`;

function backlogRows(b: TDeadLetterBacklog | null): TBacklogRow[] {
  if (!b) return [];
  return [
    ...b.listeners.map((l) => ({
      key: `event:${l.listener}`,
      type: 'event' as const,
      name: l.listener,
      due: null,
      ...l,
    })),
    ...b.jobs.map((k) => ({ key: `job:${k.kind}`, type: 'job' as const, name: k.kind, ...k })),
  ];
}

/** A listener, job kind or event name: its label when it has one, and always its code. */
function CodeName({ code, isStacked = false }: { code: string; isStacked?: boolean }) {
  const label = labelOf(`deadLetters.name.${code}`, code);
  return (
    <span
      style={isStacked ? { display: 'flex', flexDirection: 'column', alignItems: 'flex-start' } : undefined}
    >
      {label !== code && <span style={{ marginRight: 6 }}>{label}</span>}
      <Typography.Text type="secondary" className="pd-code" style={{ whiteSpace: 'nowrap' }}>
        {code}
      </Typography.Text>
    </span>
  );
}

/**
 * 死信: event deliveries a durable listener gave up on and jobs whose last attempt failed, of this
 * organisation, with the backlog per listener and job kind; one row at a time can be replayed.
 */
export function DeadLettersPage() {
  const { t, language } = useI18n();
  const { message } = App.useApp();
  const [items, setItems] = useState<TDeadLetter[]>([]);
  const [backlog, setBacklog] = useState<TDeadLetterBacklog | null>(null);
  const [isLoading, setIsLoading] = useState(true);
  const [replaying, setReplaying] = useState<string | null>(null);

  const reload = useCallback(async () => {
    setIsLoading(true);
    try {
      const [dead, counts] = await Promise.all([adminApi.listDeadLetters(), adminApi.deadLetterBacklog()]);
      setItems(dead);
      setBacklog(counts);
    } catch (error) {
      message.error(errorMessage(error, t('common.requestFailed')));
    } finally {
      setIsLoading(false);
    }
  }, [message, t]);

  useEffect(() => {
    void reload();
  }, [reload]);

  const replay = async (d: TDeadLetter) => {
    setReplaying(keyOf(d));
    try {
      await adminApi.replayDeadLetter(d);
      message.success(t('admin.deadLetters.replayed'));
    } catch (error) {
      message.error(errorMessage(error, t('common.requestFailed')));
    } finally {
      setReplaying(null);
      await reload();
    }
  };

  const typeTag = (type: 'event' | 'job') => (
    <Tag color={type === 'event' ? 'blue' : 'purple'}>{t(`admin.deadLetters.type.${type}`)}</Tag>
  );

  const backlogColumns: TableColumnsType<TBacklogRow> = [
    { title: t('admin.deadLetters.type'), dataIndex: 'type', width: 120, render: typeTag },
    {
      title: t('admin.deadLetters.handler'),
      dataIndex: 'name',
      render: (name: string) => <CodeName code={name} />,
    },
    {
      title: t('admin.deadLetters.due'),
      dataIndex: 'due',
      width: 100,
      render: (n: number | null) => (n === null ? '—' : n),
    },
    { title: t('admin.deadLetters.pending'), dataIndex: 'pending', width: 100 },
    {
      title: t('admin.deadLetters.dead'),
      dataIndex: 'dead',
      width: 100,
      render: (n: number) => (n > 0 ? <Typography.Text type="danger">{n}</Typography.Text> : n),
    },
  ];

  const columns: TableColumnsType<TDeadLetter> = [
    { title: t('admin.deadLetters.type'), dataIndex: 'kind', width: 120, render: typeTag },
    {
      title: t('admin.deadLetters.handler'),
      key: 'handler',
      width: 190,
      render: (_, d) => <CodeName isStacked code={d.kind === 'event' ? (d.listener ?? '') : d.name} />,
    },
    {
      title: t('admin.deadLetters.event'),
      key: 'event',
      width: 220,
      render: (_, d) => (d.kind === 'event' ? <CodeName isStacked code={d.name} /> : '—'),
    },
    { title: t('admin.deadLetters.attempts'), dataIndex: 'attempts', width: 90 },
    {
      title: t('admin.deadLetters.lastError'),
      dataIndex: 'lastError',
      // The handler's message as text (React escapes it): it may hold anything an exception holds.
      render: (text: string | null) => (
        <div
          data-testid="dead-letter-error"
          className="pd-code"
          // Up to 2000 characters: a few lines, the rest scrolls inside the cell.
          style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word', maxHeight: '4.8em', overflowY: 'auto' }}
        >
          {text ?? '—'}
        </div>
      ),
    },
    {
      title: t('admin.deadLetters.deadAt'),
      dataIndex: 'deadAt',
      width: 170,
      render: (iso: string | null) => (iso ? formatDateTime(language, iso) : '—'),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 100,
      render: (_, d) => (
        <Button
          size="small"
          data-testid="dead-letter-replay"
          loading={replaying === keyOf(d)}
          disabled={replaying !== null && replaying !== keyOf(d)}
          onClick={() => void replay(d)}
        >
          {t('admin.deadLetters.replay')}
        </Button>
      ),
    },
  ];

  return (
    <div className="pd-page">
      <PageHeader title={t('admin.deadLetters.title')}>
        <Button onClick={() => void reload()}>{t('common.refresh')}</Button>
      </PageHeader>
      <Typography.Paragraph type="secondary">{t('admin.deadLetters.explain')}</Typography.Paragraph>
      <Typography.Title level={5}>{t('admin.deadLetters.backlog')}</Typography.Title>
      <Table<TBacklogRow>
        data-testid="dead-letter-backlog"
        rowKey="key"
        size="small"
        loading={isLoading}
        columns={backlogColumns}
        dataSource={backlogRows(backlog)}
        pagination={false}
        footer={backlog ? () => t('admin.deadLetters.outbox', { count: backlog.outbox }) : undefined}
      />
      <Typography.Title level={5} style={{ marginTop: 24 }}>
        {t('admin.deadLetters.items')}
      </Typography.Title>
      <Table<TDeadLetter>
        data-testid="dead-letter-list"
        rowKey={keyOf}
        size="small"
        loading={isLoading}
        columns={columns}
        dataSource={items}
        locale={{
          emptyText: <Empty data-testid="dead-letter-empty" description={t('admin.deadLetters.empty')} />,
        }}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
      />
    </div>
  );
}
