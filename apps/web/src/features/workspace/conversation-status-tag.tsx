import type { TConversationStatus } from '@peakdesk/contracts';
import { Tag } from 'antd';
import { useI18n } from '../../lib/i18n.ts';

const COLORS: Record<TConversationStatus, string> = {
  bot: 'purple',
  queued: 'orange',
  assigned: 'green',
  resolved: 'default',
  closed: 'default',
};

export function ConversationStatusTag({ status }: { status: TConversationStatus }) {
  const { t } = useI18n();
  return (
    <Tag color={COLORS[status]} bordered={false} data-status={status}>
      {t(`conv.status.${status}`)}
    </Tag>
  );
}
