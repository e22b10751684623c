import {
  fillTemplate,
  IMAGE_MAX_BYTES,
  IMAGE_MIME_TYPES,
  MESSAGE_TEXT_MAX,
  type TQuickReply,
  type TTemplateVariables,
} from '@peakdesk/contracts';
import { App, Button, Input, Tooltip } from 'antd';
import { type ChangeEvent, type KeyboardEvent, useEffect, useRef, useState } from 'react';
import { useI18n } from '../../lib/i18n.ts';
import { QuickReplyPicker } from '../quick-replies/quick-reply-picker.tsx';
import { useQuickReplyPicker } from '../quick-replies/use-quick-reply-picker.ts';

/** Re-announce typing at most this often while the agent keeps typing. */
const TYPING_REFRESH_MS = 3000;
/** After this long without a keystroke, tell the customer the agent stopped typing. */
const TYPING_IDLE_MS = 4000;

type TProps = {
  conversationId: string;
  isDisabled: boolean;
  variables: TTemplateVariables;
  onSendText: (body: string) => void;
  onSendImage: (file: File) => void;
  onTyping: (isTyping: boolean) => void;
  /** Text put into the box from outside (agent assist); a new nonce inserts again. */
  insertion?: { text: string; nonce: number } | undefined;
};

function isAllowedImage(type: string): boolean {
  return (IMAGE_MIME_TYPES as readonly string[]).includes(type);
}

export function ComposeBox({
  conversationId,
  isDisabled,
  variables,
  onSendText,
  onSendImage,
  onTyping,
  insertion,
}: TProps) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [draft, setDraft] = useState('');
  const fileInput = useRef<HTMLInputElement>(null);
  const typingSince = useRef(0);
  const idleTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const onTypingRef = useRef(onTyping);
  onTypingRef.current = onTyping;

  const stopTyping = () => {
    clearTimeout(idleTimer.current);
    if (typingSince.current !== 0) {
      typingSince.current = 0;
      onTypingRef.current(false);
    }
  };

  // Drafts belong to one conversation; switching clears the box and ends the typing signal.
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset only when the conversation changes.
  useEffect(() => {
    setDraft('');
    return () => {
      clearTimeout(idleTimer.current);
      if (typingSince.current !== 0) {
        typingSince.current = 0;
        onTypingRef.current(false);
      }
    };
  }, [conversationId]);

  useEffect(() => {
    if (insertion) setDraft(insertion.text);
  }, [insertion]);

  // What would be sent is the trimmed text; count that.
  const length = draft.trim().length;
  const isOver = length > MESSAGE_TEXT_MAX;
  const insertReply = (reply: TQuickReply) => setDraft(fillTemplate(reply.body, variables));
  const picker = useQuickReplyPicker(draft, insertReply);

  const send = () => {
    const body = draft.trim();
    if (!body || isDisabled) return;
    if (body.length > MESSAGE_TEXT_MAX) {
      // Never cut: the agent decides what to drop, or splits the text.
      message.error(t('ws.tooLong', { max: MESSAGE_TEXT_MAX }));
      return;
    }
    onSendText(body);
    setDraft('');
    stopTyping();
  };

  const change = (event: ChangeEvent<HTMLTextAreaElement>) => {
    setDraft(event.target.value);
    const now = Date.now();
    if (now - typingSince.current > TYPING_REFRESH_MS) {
      typingSince.current = now;
      onTypingRef.current(true);
    }
    clearTimeout(idleTimer.current);
    idleTimer.current = setTimeout(stopTyping, TYPING_IDLE_MS);
  };

  const keyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    // An IME (pinyin) uses Enter to commit a candidate; that must never send or pick.
    if (event.nativeEvent.isComposing || event.keyCode === 229) return;
    if (picker.handleKeyDown(event)) {
      event.preventDefault();
      return;
    }
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      send();
    }
  };

  const pickFile = (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (!file) return;
    if (!isAllowedImage(file.type)) {
      message.error(t('ws.imageType'));
      return;
    }
    if (file.size > IMAGE_MAX_BYTES) {
      message.error(t('ws.imageTooLarge', { mb: IMAGE_MAX_BYTES / 1024 / 1024 }));
      return;
    }
    onSendImage(file);
  };

  return (
    <div className="pd-compose">
      {picker.isOpen && !isDisabled && (
        <QuickReplyPicker
          options={picker.options}
          activeIndex={picker.activeIndex}
          isLoading={picker.isLoading}
          onHover={picker.setActiveIndex}
          onPick={picker.pick}
        />
      )}
      <div className="pd-compose__toolbar">
        <Tooltip title={t('ws.image')}>
          <Button
            size="small"
            type="text"
            disabled={isDisabled}
            onClick={() => fileInput.current?.click()}
            data-testid="compose-image"
            aria-label={t('ws.image')}
          >
            <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true">
              <path
                fill="currentColor"
                d="M21 19V5a2 2 0 0 0-2-2H5a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h14a2 2 0 0 0 2-2zM8.5 13.5l2.5 3 3.5-4.5 4.5 6H5l3.5-4.5z"
              />
            </svg>
          </Button>
        </Tooltip>
        <input
          ref={fileInput}
          type="file"
          accept={IMAGE_MIME_TYPES.join(',')}
          hidden
          onChange={pickFile}
          data-testid="compose-file"
        />
      </div>
      <Input.TextArea
        value={draft}
        onChange={change}
        onKeyDown={keyDown}
        onBlur={stopTyping}
        disabled={isDisabled}
        placeholder={t(isDisabled ? 'ws.composeDisabled' : 'ws.composePlaceholder')}
        autoSize={{ minRows: 3, maxRows: 8 }}
        aria-invalid={isOver}
        variant="borderless"
        data-testid="compose-input"
      />
      <div className="pd-compose__footer">
        {length >= MESSAGE_TEXT_MAX * 0.9 && (
          <span className={`pd-compose__counter${isOver ? ' is-over' : ''}`} data-testid="compose-counter">
            {t(isOver ? 'ws.counterOver' : 'ws.counter', { n: length, max: MESSAGE_TEXT_MAX })}
          </span>
        )}
        <Button
          type="primary"
          onClick={send}
          disabled={isDisabled || draft.trim() === ''}
          data-testid="compose-send"
        >
          {t('ws.send')}
        </Button>
      </div>
    </div>
  );
}
