import type { TConversation, TTemplateVariables } from '@peakdesk/contracts';
import { Alert, App, Button, Space, Spin, Typography } from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import { errorMessage } from '../../lib/form-errors.ts';
import { useI18n } from '../../lib/i18n.ts';
import { useRealtime } from '../../lib/realtime-context.tsx';
import { useMe } from '../auth/session-context.tsx';
import { routingApi } from '../routing/routing-api.ts';
import { TransferDialog } from '../routing/transfer-dialog.tsx';
import { AssistPanel } from './assist-panel.tsx';
import { ComposeBox } from './compose-box.tsx';
import { ConversationStatusTag } from './conversation-status-tag.tsx';
import { MessageList } from './message-list.tsx';
import { useConversationMessages } from './use-conversation-messages.ts';
import { workspaceApi } from './workspace-api.ts';

type TProps = {
  conversation: TConversation;
  meId: string;
  onChanged: (conversation: TConversation) => void;
  onRead: (conversationId: string) => void;
};

export function ConversationView({ conversation, meId, onChanged, onRead }: TProps) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const realtime = useRealtime();
  const thread = useConversationMessages(conversation.id);
  const [variables, setVariables] = useState<TTemplateVariables>({});
  const [isResolving, setIsResolving] = useState(false);
  const [isTransferOpen, setIsTransferOpen] = useState(false);
  const role = useMe().user.role;
  const isSupervisor = role !== 'agent';
  const canTransfer =
    (conversation.status === 'assigned' && (conversation.assigneeId === meId || isSupervisor)) ||
    (conversation.status === 'queued' && isSupervisor);
  const canTakeOver = isSupervisor && canTransfer && conversation.assigneeId !== meId;
  const takeOver = async () => {
    try {
      onChanged(await routingApi.takeOver(conversation.id));
      message.success(t('routing.takeOver.done'));
    } catch (error) {
      message.error(errorMessage(error, t('common.requestFailed')));
    }
  };
  const isClosed = conversation.status === 'resolved' || conversation.status === 'closed';
  const [insertion, setInsertion] = useState<{ text: string; nonce: number }>();
  const insert = useCallback(
    (text: string) => setInsertion((prev) => ({ text, nonce: (prev?.nonce ?? 0) + 1 })),
    [],
  );
  const latestCustomerSeq = thread.messages.reduce(
    (seq, m) => (m.senderType === 'customer' ? Math.max(seq, m.seq) : seq),
    0,
  );

  useEffect(() => {
    let isCurrent = true;
    setVariables({});
    workspaceApi.variables(conversation.id).then(
      (vars) => {
        if (isCurrent) setVariables(vars);
      },
      // Without variables the scripts are inserted with their {placeholders}; the agent can still edit.
      () => undefined,
    );
    return () => {
      isCurrent = false;
    };
  }, [conversation.id]);

  // Report reading up to the newest message while this chat is on screen.
  const readUpTo = useRef({ conversationId: '', seq: 0 });
  useEffect(() => {
    const seq = thread.lastSeq;
    const prev = readUpTo.current;
    if (thread.isLoading || seq === 0 || (prev.conversationId === conversation.id && seq <= prev.seq)) return;
    readUpTo.current = { conversationId: conversation.id, seq };
    // The socket drops read receipts while disconnected; REST makes sure this one lands.
    if (realtime?.connected) realtime.markRead(conversation.id, seq);
    else workspaceApi.markRead(conversation.id, seq).catch(() => undefined);
    onRead(conversation.id);
  }, [thread.lastSeq, thread.isLoading, realtime, conversation.id, onRead]);

  const resolve = async () => {
    setIsResolving(true);
    try {
      onChanged(await workspaceApi.resolve(conversation.id));
      message.success(t('ws.resolved'));
    } catch (error) {
      message.error(errorMessage(error, t('common.requestFailed')));
    } finally {
      setIsResolving(false);
    }
  };

  const sendTyping = (isTyping: boolean) => realtime?.typing(conversation.id, isTyping);

  return (
    <section className="pd-thread" data-conversation-id={conversation.id}>
      <header className="pd-thread__header">
        <div className="pd-thread__who">
          <Typography.Text strong className="pd-thread__name" data-testid="thread-customer-name">
            {conversation.customerName}
          </Typography.Text>
          <Typography.Text type="secondary">{conversation.storeName}</Typography.Text>
          <ConversationStatusTag status={conversation.status} />
        </div>
        <Space>
          {canTakeOver && (
            <Button onClick={takeOver} data-testid="take-over-button">
              {t('routing.takeOver')}
            </Button>
          )}
          {canTransfer && (
            <Button onClick={() => setIsTransferOpen(true)} data-testid="transfer-button">
              {t('routing.transfer.button')}
            </Button>
          )}
          {!isClosed && (
            <Button loading={isResolving} onClick={resolve} data-testid="resolve-button">
              {t('ws.resolve')}
            </Button>
          )}
        </Space>
      </header>
      {thread.error && <Alert type="error" banner title={thread.error} />}
      {thread.isLoading ? (
        <div className="pd-page-loading" style={{ flex: 1 }}>
          <Spin />
        </div>
      ) : (
        <MessageList
          messages={thread.messages}
          pending={thread.pending}
          hasMore={thread.hasMore}
          isLoadingOlder={thread.isLoadingOlder}
          isPeerTyping={thread.isPeerTyping}
          peerReadSeq={thread.peerReadSeq}
          meId={meId}
          onLoadOlder={thread.loadOlder}
        />
      )}
      <AssistPanel
        conversationId={conversation.id}
        latestCustomerSeq={latestCustomerSeq}
        variables={variables}
        isDisabled={isClosed}
        onInsert={insert}
      />
      <ComposeBox
        insertion={insertion}
        conversationId={conversation.id}
        isDisabled={isClosed}
        variables={variables}
        onSendText={thread.sendText}
        onSendImage={thread.sendImage}
        onTyping={sendTyping}
      />
      <TransferDialog
        conversation={conversation}
        isOpen={isTransferOpen}
        onClose={() => setIsTransferOpen(false)}
        onDone={onChanged}
      />
    </section>
  );
}
