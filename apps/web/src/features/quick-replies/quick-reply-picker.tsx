import type { TQuickReply } from '@peakdesk/contracts';
import { Spin, Tag } from 'antd';
import { useI18n } from '../../lib/i18n.ts';

type TProps = {
  options: readonly TQuickReply[];
  activeIndex: number;
  isLoading: boolean;
  onHover: (index: number) => void;
  onPick: (reply: TQuickReply) => void;
};

/** The popover above the compose box; keyboard handling lives in `useQuickReplyPicker`. */
export function QuickReplyPicker({ options, activeIndex, isLoading, onHover, onPick }: TProps) {
  const { t } = useI18n();
  return (
    <div className="pd-qr-picker" role="listbox" data-testid="quick-reply-picker">
      {isLoading ? (
        <div className="pd-qr-picker__empty">
          <Spin size="small" />
        </div>
      ) : options.length === 0 ? (
        <div className="pd-qr-picker__empty">{t('ws.qr.empty')}</div>
      ) : (
        options.map((reply, index) => (
          <div
            key={reply.id}
            role="option"
            tabIndex={-1}
            aria-selected={index === activeIndex}
            data-testid="quick-reply-option"
            data-shortcut={reply.shortcut}
            className={`pd-qr-picker__option${index === activeIndex ? ' is-active' : ''}`}
            onMouseEnter={() => onHover(index)}
            // mousedown, not click: the textarea must keep focus so the agent can send right away.
            onMouseDown={(event) => {
              event.preventDefault();
              onPick(reply);
            }}
          >
            <div className="pd-qr-picker__head">
              <span className="pd-qr-picker__shortcut">/{reply.shortcut}</span>
              <span className="pd-qr-picker__title">{reply.title}</span>
              <Tag bordered={false} className="pd-qr-picker__tag">
                {t(`qr.cat.${reply.category}`)}
              </Tag>
            </div>
            <div className="pd-qr-picker__body">{reply.body}</div>
          </div>
        ))
      )}
      <div className="pd-qr-picker__hint">{t('ws.qr.hint')}</div>
    </div>
  );
}
