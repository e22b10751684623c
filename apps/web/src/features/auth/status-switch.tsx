import { type TAgentStatus, ZSettableAgentStatus, ZUser } from '@peakdesk/contracts';
import { App, Segmented } from 'antd';
import { useState } from 'react';
import { api } from '../../lib/api-client.ts';
import { errorMessage } from '../../lib/form-errors.ts';
import { useI18n } from '../../lib/i18n.ts';
import { useMe, useSession } from './session-context.tsx';

const STATUS_COLORS: Record<TAgentStatus, string> = {
  online: '#52c41a',
  paused: '#faad14',
  offline: '#bfbfbf',
  away: '#ff7875',
};

/** Sets the signed-in user's status (the switch, and the workspace's 上线接待 button). */
export function useStatusChange() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const { updateUser } = useSession();
  const [isSaving, setIsSaving] = useState(false);

  const change = async (status: TAgentStatus) => {
    setIsSaving(true);
    try {
      const user = await api.put('/api/me/status', { status }, ZUser);
      updateUser(user);
      message.success(t('status.changed', { status: t(`status.${user.status}`) }));
    } catch (error) {
      message.error(errorMessage(error, t('common.requestFailed')));
    } finally {
      setIsSaving(false);
    }
  };
  return { change, isSaving };
}

export function StatusSwitch() {
  const { t } = useI18n();
  const me = useMe();
  const { change, isSaving } = useStatusChange();

  return (
    <Segmented<TAgentStatus>
      data-testid="status-switch"
      data-status={me.user.status}
      size="small"
      disabled={isSaving}
      value={me.user.status}
      onChange={change}
      // `away` is set by the router (no connection for the grace period); agents pick the other three.
      options={ZSettableAgentStatus.options.map((status) => ({
        value: status,
        label: (
          <span data-status-option={status} className="pd-status-option">
            <span className="pd-status-dot" style={{ background: STATUS_COLORS[status] }} />
            {t(`status.${status}`)}
          </span>
        ),
      }))}
    />
  );
}
