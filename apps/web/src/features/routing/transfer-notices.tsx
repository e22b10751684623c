import { type TTransferNotice, ZAgentStatus } from '@peakdesk/contracts';
import { App } from 'antd';
import { useEffect } from 'react';
import { useNavigate } from 'react-router-dom';
import { useI18n } from '../../lib/i18n.ts';
import { useRealtime } from '../../lib/realtime-context.tsx';
import { useMe, useSession } from '../auth/session-context.tsx';

/**
 * Routing news for the signed-in user, wherever they are in the app: the note of a chat transferred
 * to them (or their group), and their own status when the router changed it (paused after missed
 * replies, away after a disconnect), so the status switch never shows a stale state.
 */
export function TransferNotices() {
  const { t } = useI18n();
  const { notification, message } = App.useApp();
  const realtime = useRealtime();
  const navigate = useNavigate();
  const me = useMe();
  const { updateUser } = useSession();
  useEffect(() => {
    if (!realtime) return undefined;
    const onTransfer = (n: TTransferNotice) =>
      notification.info({
        message: t('routing.transfer.title'),
        description: t('routing.transfer.notice', { from: n.fromName, note: n.note || '—' }),
        onClick: () => navigate(`/workspace/${n.conversationId}`),
      });
    const onStatus = (e: { userId: string; status: string }) => {
      const status = ZAgentStatus.safeParse(e.status);
      if (e.userId !== me.user.id || !status.success || status.data === me.user.status) return;
      updateUser({ ...me.user, status: status.data });
      message.warning(t('status.changed', { status: t(`status.${status.data}`) }));
    };
    realtime.socket.on('routing:transfer', onTransfer);
    realtime.socket.on('agent:status', onStatus);
    return () => {
      realtime.socket.off('routing:transfer', onTransfer);
      realtime.socket.off('agent:status', onStatus);
    };
  }, [realtime, notification, message, navigate, t, me.user, updateUser]);
  return null;
}
