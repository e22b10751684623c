import {
  fillTemplate,
  type TBotContext,
  type TSuggestion,
  type TTemplateVariables,
} from '@peakdesk/contracts';
import { Button, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useI18n } from '../../lib/i18n.ts';
import { assistApi } from './assist-api.ts';

type TProps = {
  conversationId: string;
  /** Seq of the customer's latest message: suggestions follow it. */
  latestCustomerSeq: number;
  variables: TTemplateVariables;
  isDisabled: boolean;
  onInsert: (text: string) => void;
};

/** Agent assist: the bot's hand-off reason and topic, and FAQ/script suggestions insertable with Alt+1…3. */
export function AssistPanel({ conversationId, latestCustomerSeq, variables, isDisabled, onInsert }: TProps) {
  const { t } = useI18n();
  const [items, setItems] = useState<TSuggestion[]>([]);
  const [context, setContext] = useState<TBotContext | null>(null);

  useEffect(() => {
    let isCurrent = true;
    setContext(null);
    assistApi.botContext(conversationId).then(
      (c) => isCurrent && setContext(c),
      () => undefined,
    );
    return () => {
      isCurrent = false;
    };
  }, [conversationId]);

  useEffect(() => {
    let isCurrent = true;
    if (latestCustomerSeq === 0) {
      setItems([]);
      return;
    }
    assistApi.suggestions(conversationId).then(
      (s) => isCurrent && setItems(s.items.slice(0, 3)),
      // Suggestions are a help, not a must: on failure the agent just types.
      () => isCurrent && setItems([]),
    );
    return () => {
      isCurrent = false;
    };
  }, [conversationId, latestCustomerSeq]);

  useEffect(() => {
    if (isDisabled) return;
    const onKey = (event: KeyboardEvent) => {
      if (!event.altKey || event.ctrlKey || event.metaKey) return;
      const n = Number(event.code.replace('Digit', '')) || Number(event.key);
      const item = n >= 1 && n <= 3 ? items[n - 1] : undefined;
      if (!item) return;
      event.preventDefault();
      onInsert(fillTemplate(item.body, variables));
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [items, variables, isDisabled, onInsert]);

  const reason = context?.handoffReason;
  return (
    <div className="pd-assist" data-testid="assist-panel">
      {context?.handedOffAt && reason && (
        <div className="pd-assist__handoff" data-testid="bot-handoff">
          <Tag color="orange">{t('assist.handoff', { reason: t(`assist.reason.${reason}`) })}</Tag>
          {context.topic && <span>{t('assist.topic', { topic: context.topic })}</span>}
        </div>
      )}
      <div className="pd-assist__head">
        <Typography.Text type="secondary">{t('assist.title')}</Typography.Text>
        <Typography.Text type="secondary" className="pd-assist__hint">
          {t('assist.hint')}
        </Typography.Text>
      </div>
      {items.length === 0 ? (
        <Typography.Text type="secondary">{t('assist.empty')}</Typography.Text>
      ) : (
        <ol className="pd-assist__list">
          {items.map((item, i) => (
            <li key={`${item.kind}-${item.id}`} data-testid="assist-item">
              <Button
                size="small"
                type="text"
                disabled={isDisabled}
                onClick={() => onInsert(fillTemplate(item.body, variables))}
                title={item.body}
              >
                <kbd>Alt+{i + 1}</kbd>
                <Tag bordered={false}>{t(item.kind === 'faq' ? 'assist.faq' : 'assist.script')}</Tag>
                <span className="pd-assist__title">{item.title}</span>
                <span className="pd-assist__score">{Math.round(item.score * 100)}%</span>
              </Button>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
