import { QUICK_REPLY_CATEGORIES, type TCreateQuickReplyRequest, type TQuickReply } from '@peakdesk/contracts';
import { App, Form, Input, Modal, Radio, Select } from 'antd';
import { useEffect, useState } from 'react';
import { applyFieldError, errorMessage, validateForm } from '../../lib/form-errors.ts';
import { useI18n } from '../../lib/i18n.ts';
import { createQuickReply, updateQuickReply } from './quick-replies-api.ts';

const FIELDS = ['scope', 'category', 'shortcut', 'title', 'body'] as const;

type TProps = {
  /** `null` creates a new reply; `undefined` keeps the dialog closed. */
  editing: TQuickReply | null | undefined;
  canEditTeam: boolean;
  onClose: () => void;
  onSaved: (reply: TQuickReply) => void;
};

export function QuickReplyFormDialog({ editing, canEditTeam, onClose, onSaved }: TProps) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<TCreateQuickReplyRequest>();
  const [isSaving, setIsSaving] = useState(false);
  const isOpen = editing !== undefined;

  useEffect(() => {
    if (!isOpen) return;
    form.setFieldsValue(
      editing
        ? {
            scope: editing.scope,
            category: editing.category,
            shortcut: editing.shortcut,
            title: editing.title,
            body: editing.body,
          }
        : { scope: 'personal', category: 'custom', shortcut: '', title: '', body: '' },
    );
  }, [isOpen, editing, form]);

  const submit = async () => {
    const values = await validateForm(form);
    if (!values) return;
    setIsSaving(true);
    try {
      const saved = editing ? await updateQuickReply(editing.id, values) : await createQuickReply(values);
      message.success(t(editing ? 'common.saved' : 'common.created'));
      onSaved(saved);
    } catch (error) {
      if (!applyFieldError(form, error, FIELDS))
        message.error(errorMessage(error, t('common.requestFailed')));
    } finally {
      setIsSaving(false);
    }
  };

  const required = [{ required: true, message: t('common.required') }];
  return (
    <Modal
      open={isOpen}
      title={t(editing ? 'qr.edit' : 'qr.new')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={isSaving}
      onOk={submit}
      onCancel={onClose}
      forceRender
    >
      <Form form={form} layout="vertical">
        <Form.Item name="scope" label={t('qr.scope')} rules={required}>
          <Radio.Group
            options={[
              { value: 'personal', label: t('qr.scope.personal') },
              { value: 'team', label: t('qr.scope.team'), disabled: !canEditTeam },
            ]}
          />
        </Form.Item>
        <Form.Item name="category" label={t('qr.category')} rules={required}>
          <Select options={QUICK_REPLY_CATEGORIES.map((c) => ({ value: c, label: t(`qr.cat.${c}`) }))} />
        </Form.Item>
        <Form.Item name="shortcut" label={t('qr.shortcut')} rules={required}>
          <Input prefix="/" maxLength={32} data-testid="quick-reply-shortcut" />
        </Form.Item>
        <Form.Item name="title" label={t('qr.titleField')} rules={required}>
          <Input maxLength={100} data-testid="quick-reply-title" />
        </Form.Item>
        <Form.Item name="body" label={t('qr.body')} rules={required} extra={t('qr.subtitle')}>
          <Input.TextArea rows={4} maxLength={2000} showCount data-testid="quick-reply-body" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
