import type { TConversation } from '@peakdesk/contracts';
import { Alert, Badge, Button, Empty, Tabs } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { useI18n } from '../../lib/i18n.ts';
import { useRealtimeEvent } from '../../lib/realtime-context.tsx';
import { useMe } from '../auth/session-context.tsx';
import { useStatusChange } from '../auth/status-switch.tsx';
import { ConversationList } from './conversation-list.tsx';
import { ConversationView } from './conversation-view.tsx';
import { CustomerPanel } from './customer-panel.tsx';
import { useConversationList } from './use-conversation-list.ts';
import { workspaceApi } from './workspace-api.ts';
import './workspace.css';

type TTab = 'mine' | 'queued';

export function WorkspacePage() {
  const { t } = useI18n();
  const me = useMe();
  const navigate = useNavigate();
  const { conversationId = null } = useParams();
  const [tab, setTab] = useState<TTab>('mine');
  const mine = useConversationList('mine', me.user.id, conversationId);
  const queued = useConversationList('queued', me.user.id, conversationId);
  const [active, setActive] = useState<TConversation | null>(null);
  const status = useStatusChange();
  // An agent who is not online gets no chats: say so where the chats would be, with the way to start.
  const isNotReceiving = me.user.role === 'agent' && me.user.status !== 'online';

  // The open conversation may be in neither list (a deep link, or resolved by someone else): fetch it.
  useEffect(() => {
    if (!conversationId) {
      setActive(null);
      return;
    }
    const listed =
      mine.conversations.find((c) => c.id === conversationId) ??
      queued.conversations.find((c) => c.id === conversationId);
    if (listed) {
      setActive(listed);
      return;
    }
    let isCurrent = true;
    workspaceApi.getConversation(conversationId).then(
      (c) => {
        if (isCurrent) setActive(c);
      },
      () => {
        if (isCurrent) setActive(null);
      },
    );
    return () => {
      isCurrent = false;
    };
  }, [conversationId, mine.conversations, queued.conversations]);

  useRealtimeEvent('conversation', (c) => {
    if (c.id === conversationId) setActive(c);
  });

  const select = (c: TConversation) => navigate(`/workspace/${c.id}`);
  const changed = (c: TConversation) => {
    setActive(c);
    mine.upsert(c);
    queued.upsert(c);
  };
  const { clearUnread: clearMine } = mine;
  const { clearUnread: clearQueued } = queued;
  const markRead = useCallback(
    (id: string) => {
      clearMine(id);
      clearQueued(id);
    },
    [clearMine, clearQueued],
  );

  const current = tab === 'mine' ? mine : queued;
  const mineUnread = mine.conversations.reduce((sum, c) => sum + c.unread, 0);
  const isActiveShown = active !== null && active.id === conversationId;

  return (
    <div className="pd-workspace">
      <nav className="pd-workspace__list">
        {isNotReceiving && (
          <Alert
            type="warning"
            showIcon
            banner
            data-testid="not-receiving"
            message={t('ws.notReceiving', { status: t(`status.${me.user.status}`) })}
            action={
              <Button
                size="small"
                type="primary"
                loading={status.isSaving}
                onClick={() => void status.change('online')}
                data-testid="go-online"
              >
                {t('ws.goOnline')}
              </Button>
            }
          />
        )}
        <Tabs
          activeKey={tab}
          onChange={(key) => setTab(key === 'queued' ? 'queued' : 'mine')}
          centered
          size="small"
          items={[
            {
              key: 'mine',
              label: (
                <span data-testid="tab-mine">
                  {t('ws.tab.mine')} <Badge count={mineUnread} size="small" />
                </span>
              ),
            },
            {
              key: 'queued',
              label: (
                <span data-testid="tab-queued">
                  {t('ws.tab.queued')}{' '}
                  <Badge count={queued.conversations.length} size="small" color="orange" showZero={false} />
                </span>
              ),
            },
          ]}
        />
        <div className="pd-workspace__list-body">
          <ConversationList
            conversations={current.conversations}
            isLoading={current.isLoading}
            error={current.error}
            activeId={conversationId}
            onSelect={select}
          />
        </div>
      </nav>
      <main className="pd-workspace__main">
        {isActiveShown ? (
          <ConversationView
            key={active.id}
            conversation={active}
            meId={me.user.id}
            onChanged={changed}
            onRead={markRead}
          />
        ) : (
          <Empty className="pd-workspace__empty" description={t('ws.noSelection')} />
        )}
      </main>
      {isActiveShown && <CustomerPanel key={active.id} conversation={active} />}
    </div>
  );
}
