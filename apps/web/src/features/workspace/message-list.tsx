import type { TMessage } from '@peakdesk/contracts';
import { Button, Spin } from 'antd';
import { useLayoutEffect, useRef } from 'react';
import { formatTime, useI18n } from '../../lib/i18n.ts';
import type { TPendingMessage } from './use-conversation-messages.ts';
import { attachmentUrl } from './workspace-api.ts';

type TProps = {
  messages: readonly TMessage[];
  pending: readonly TPendingMessage[];
  hasMore: boolean;
  isLoadingOlder: boolean;
  isPeerTyping: boolean;
  peerReadSeq: number;
  meId: string;
  onLoadOlder: () => void;
};

/** Pixels from the bottom within which the view follows new messages. */
const STICK_THRESHOLD = 80;

export function MessageList(props: TProps) {
  const { messages, pending, hasMore, isLoadingOlder, isPeerTyping, peerReadSeq, meId, onLoadOlder } = props;
  const { t, language } = useI18n();
  const scroller = useRef<HTMLDivElement>(null);
  const firstSeq = messages[0]?.seq;
  const lastSeq = messages[messages.length - 1]?.seq;
  const anchor = useRef({ firstSeq, lastSeq, scrollHeight: 0, scrollTop: 0, wasAtBottom: true });

  // Keep the reading position when older pages load at the top; follow the bottom when new ones arrive.
  // biome-ignore lint/correctness/useExhaustiveDependencies: pending rows and the typing line also grow the list.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const prev = anchor.current;
    if (
      prev.firstSeq !== undefined &&
      firstSeq !== undefined &&
      firstSeq < prev.firstSeq &&
      lastSeq === prev.lastSeq
    ) {
      el.scrollTop = el.scrollHeight - prev.scrollHeight + prev.scrollTop;
    } else if (prev.wasAtBottom || prev.lastSeq === undefined) {
      el.scrollTop = el.scrollHeight;
    }
    anchor.current = {
      firstSeq,
      lastSeq,
      scrollHeight: el.scrollHeight,
      scrollTop: el.scrollTop,
      wasAtBottom: el.scrollHeight - el.scrollTop - el.clientHeight < STICK_THRESHOLD,
    };
  }, [firstSeq, lastSeq, pending.length, isPeerTyping]);

  const onScroll = () => {
    const el = scroller.current;
    if (!el) return;
    anchor.current.scrollTop = el.scrollTop;
    anchor.current.scrollHeight = el.scrollHeight;
    anchor.current.wasAtBottom = el.scrollHeight - el.scrollTop - el.clientHeight < STICK_THRESHOLD;
  };

  return (
    <div className="pd-messages" ref={scroller} onScroll={onScroll} data-testid="message-list">
      <div className="pd-messages__older">
        {isLoadingOlder ? (
          <Spin size="small" />
        ) : hasMore ? (
          <Button size="small" type="link" onClick={onLoadOlder} data-testid="load-older">
            {t('ws.loadOlder')}
          </Button>
        ) : messages.length > 0 ? (
          <span className="pd-messages__end">{t('ws.noMore')}</span>
        ) : null}
      </div>
      {messages.map((m) => (
        <MessageItem
          key={m.id}
          message={m}
          isOwn={m.senderType === 'agent' && m.senderId === meId}
          peerReadSeq={peerReadSeq}
          time={formatTime(language, m.createdAt)}
        />
      ))}
      {pending.map((p) => (
        <div key={p.key} className="pd-msg pd-msg--agent is-pending" data-testid="pending-message">
          <div className="pd-msg__bubble">{p.type === 'image' ? t('ws.imagePreview') : p.body}</div>
          <div className="pd-msg__meta">
            {p.isFailed ? (
              <Button size="small" type="link" danger onClick={p.retry}>
                {t('ws.sendFailed')} · {t('common.retry')}
              </Button>
            ) : (
              t('ws.sending')
            )}
          </div>
        </div>
      ))}
      {isPeerTyping && (
        <div className="pd-typing" data-testid="typing-indicator">
          <span className="pd-typing__dots">
            <i />
            <i />
            <i />
          </span>
          {t('ws.typing')}
        </div>
      )}
    </div>
  );
}

function MessageItem({
  message,
  isOwn,
  peerReadSeq,
  time,
}: {
  message: TMessage;
  isOwn: boolean;
  peerReadSeq: number;
  time: string;
}) {
  const { t } = useI18n();
  const common = {
    'data-testid': 'message',
    'data-sender-type': message.senderType,
    'data-seq': message.seq,
  };

  if (message.senderType === 'system' || message.type === 'system') {
    return (
      <div className="pd-msg pd-msg--system" {...common}>
        <span className="pd-msg__system-text">{message.body}</span>
      </div>
    );
  }

  const isRead = message.seq <= peerReadSeq;
  // Customer text is untrusted: it is only ever rendered as React text nodes, never as HTML.
  return (
    <div className={`pd-msg pd-msg--${message.senderType}`} {...common}>
      <div className="pd-msg__sender" data-testid="message-sender">
        {message.senderName ?? t(`ws.sender.${message.senderType}`)}
        {/* A named bot gets the 机器人 badge; an unnamed one is already called 机器人. */}
        {message.senderType === 'bot' && message.senderName && (
          <span className="pd-msg__badge">{t('ws.sender.bot')}</span>
        )}
        <span className="pd-msg__time">{time}</span>
      </div>
      <div className="pd-msg__bubble">
        {message.type === 'image' && message.attachmentId ? (
          <a href={attachmentUrl(message.attachmentId)} target="_blank" rel="noreferrer noopener">
            <img
              className="pd-msg__image"
              src={attachmentUrl(message.attachmentId)}
              alt={message.body || t('ws.imageAlt')}
              loading="lazy"
            />
          </a>
        ) : null}
        {message.body ? <span className="pd-msg__text">{message.body}</span> : null}
      </div>
      {isOwn && (
        <div
          className={`pd-msg__read${isRead ? ' is-read' : ''}`}
          data-testid="read-state"
          data-read={isRead}
        >
          {t(isRead ? 'ws.read' : 'ws.unread')}
        </div>
      )}
    </div>
  );
}
