import type { TConversation } from '@peakdesk/contracts';
import { Avatar, Empty, Spin, Typography } from 'antd';
import { formatTime, useI18n } from '../../lib/i18n.ts';
import { ConversationStatusTag } from './conversation-status-tag.tsx';

type TProps = {
  conversations: readonly TConversation[];
  isLoading: boolean;
  error: string | null;
  activeId: string | null;
  onSelect: (conversation: TConversation) => void;
};

export function ConversationList({ conversations, isLoading, error, activeId, onSelect }: TProps) {
  const { t, language } = useI18n();
  if (isLoading) {
    return (
      <div className="pd-page-loading">
        <Spin />
      </div>
    );
  }
  if (error)
    return (
      <Typography.Text type="danger" className="pd-conv-list__error">
        {error}
      </Typography.Text>
    );
  if (conversations.length === 0) {
    return (
      <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('ws.emptyList')} style={{ marginTop: 48 }} />
    );
  }
  return (
    <ul className="pd-conv-list" data-testid="conversation-list">
      {conversations.map((c) => (
        <li key={c.id}>
          <button
            type="button"
            className={`pd-conv-item${c.id === activeId ? ' is-active' : ''}`}
            onClick={() => onSelect(c)}
            data-testid="conversation-item"
            data-conversation-id={c.id}
            data-status={c.status}
          >
            <span className="pd-conv-item__avatar">
              <Avatar style={{ background: avatarColor(c.customerName) }}>
                {c.customerName.slice(0, 1)}
              </Avatar>
              {c.unread > 0 && (
                <span className="pd-unread" data-testid="unread-badge" data-count={c.unread}>
                  {c.unread > 99 ? '99+' : c.unread}
                </span>
              )}
            </span>
            <div className="pd-conv-item__main">
              <div className="pd-conv-item__row">
                <span className="pd-conv-item__name">{c.customerName}</span>
                <span className="pd-conv-item__time">{formatTime(language, c.lastMessageAt)}</span>
              </div>
              <div className="pd-conv-item__row">
                <span className="pd-conv-item__store">{c.storeName}</span>
                <ConversationStatusTag status={c.status} />
              </div>
              <div className="pd-conv-item__preview">{c.lastMessagePreview ?? ''}</div>
            </div>
          </button>
        </li>
      ))}
    </ul>
  );
}

const AVATAR_COLORS = ['#1677ff', '#13c2c2', '#52c41a', '#fa8c16', '#eb2f96', '#722ed1'];
function avatarColor(name: string): string {
  let hash = 0;
  for (const ch of name) hash = (hash * 31 + (ch.codePointAt(0) ?? 0)) >>> 0;
  return AVATAR_COLORS[hash % AVATAR_COLORS.length] ?? '#1677ff';
}
