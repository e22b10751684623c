import type { TConversation, TCustomerProfile } from '@peakdesk/contracts';
import { Descriptions, Empty, Skeleton, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { errorMessage } from '../../lib/form-errors.ts';
import { formatDateTime, useI18n } from '../../lib/i18n.ts';
import { ConversationStatusTag } from './conversation-status-tag.tsx';
import { workspaceApi } from './workspace-api.ts';

export function CustomerPanel({ conversation }: { conversation: TConversation }) {
  const { t, language } = useI18n();
  const [profile, setProfile] = useState<TCustomerProfile | null>(null);
  const [error, setError] = useState<string | null>(null);
  const { customerId, id: currentId } = conversation;

  // Refetch when this customer's chat changes state too, so the history shows the new status.
  // biome-ignore lint/correctness/useExhaustiveDependencies: status is a refresh trigger, not an input.
  useEffect(() => {
    let isCurrent = true;
    setProfile(null);
    setError(null);
    workspaceApi.customer(customerId).then(
      (p) => {
        if (isCurrent) setProfile(p);
      },
      (cause: unknown) => {
        if (isCurrent) setError(errorMessage(cause, ''));
      },
    );
    return () => {
      isCurrent = false;
    };
  }, [customerId, conversation.status]);

  return (
    <aside className="pd-customer" data-testid="customer-panel">
      <Typography.Title level={5} className="pd-customer__title">
        {t('customer.title')}
      </Typography.Title>
      <Descriptions
        column={1}
        size="small"
        items={[
          { key: 'name', label: t('customer.name'), children: profile?.name ?? conversation.customerName },
          {
            key: 'buyer',
            label: t('customer.buyerId'),
            children: profile ? (profile.buyerId ?? t('customer.anonymous')) : '—',
          },
          { key: 'store', label: t('customer.store'), children: conversation.storeName },
          {
            key: 'since',
            label: t('customer.since'),
            children: profile ? formatDateTime(language, profile.createdAt) : '—',
          },
        ]}
      />
      <Typography.Title level={5} className="pd-customer__title">
        {t('customer.history')}
      </Typography.Title>
      {error ? (
        <Typography.Text type="danger">{error}</Typography.Text>
      ) : !profile ? (
        <Skeleton active paragraph={{ rows: 3 }} title={false} />
      ) : profile.conversations.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('customer.noHistory')} />
      ) : (
        <ul className="pd-customer__history">
          {profile.conversations.map((c) => (
            <li key={c.id} className="pd-customer__history-item" data-testid="customer-history-item">
              <div className="pd-customer__history-head">
                <span>{formatDateTime(language, c.createdAt)}</span>
                {c.id === currentId ? (
                  <Tag color="blue">{t('customer.current')}</Tag>
                ) : (
                  <ConversationStatusTag status={c.status} />
                )}
              </div>
              <div className="pd-customer__history-preview">{c.lastMessagePreview ?? ''}</div>
            </li>
          ))}
        </ul>
      )}
    </aside>
  );
}
