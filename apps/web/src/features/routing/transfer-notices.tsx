import type { TTransferNotice } from '@peakdesk/contracts';
import { App } from 'antd';
import { useEffect } from 'react';
import { useNavigate } from 'react-router-dom';
import { useI18n } from '../../lib/i18n.ts';
import { useRealtime } from '../../lib/realtime-context.tsx';

/** Shows the note of a chat transferred to me (or my group), wherever I am in the app. */
export function TransferNotices() {
  const { t } = useI18n();
  const { notification } = App.useApp();
  const realtime = useRealtime();
  const navigate = useNavigate();
  useEffect(() => {
    if (!realtime) return undefined;
    const on = (n: TTransferNotice) =>
      notification.info({
        message: t('routing.transfer.title'),
        description: t('routing.transfer.notice', { from: n.fromName, note: n.note || '—' }),
        onClick: () => navigate(`/workspace/${n.conversationId}`),
      });
    realtime.socket.on('routing:transfer', on);
    return () => {
      realtime.socket.off('routing:transfer', on);
    };
  }, [realtime, notification, navigate, t]);
  return null;
}
