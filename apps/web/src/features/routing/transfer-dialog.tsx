import type { TConversation, TSkillGroup, TUser } from '@peakdesk/contracts';
import { App, Form, Input, Modal, Radio, Select } from 'antd';
import { useEffect, useState } from 'react';
import { applyFieldError, errorMessage } from '../../lib/form-errors.ts';
import { useI18n } from '../../lib/i18n.ts';
import { adminApi } from '../admin/admin-api.ts';
import { routingApi } from './routing-api.ts';

type TForm = { target: 'agent' | 'group'; toAgentId?: string; toGroupId?: string; note: string };

/** Transfer a chat to an agent or a skill group with a note for whoever picks it up. */
export function TransferDialog({
  conversation,
  isOpen,
  onClose,
  onDone,
}: {
  conversation: TConversation;
  isOpen: boolean;
  onClose: () => void;
  onDone: (c: TConversation) => void;
}) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<TForm>();
  const [groups, setGroups] = useState<TSkillGroup[]>([]);
  const [agents, setAgents] = useState<TUser[]>([]);
  const target = Form.useWatch('target', form);

  useEffect(() => {
    if (!isOpen) return;
    form.setFieldsValue({ target: 'agent', note: '' });
    adminApi.listGroups().then(setGroups, () => setGroups([]));
    // Only admins and supervisors may list people; an agent transfers to a group.
    adminApi.listUsers().then(
      (users) => {
        setAgents(users);
        if (users.length === 0) form.setFieldsValue({ target: 'group' });
      },
      () => {
        setAgents([]);
        form.setFieldsValue({ target: 'group' });
      },
    );
  }, [isOpen, form]);

  const submit = async () => {
    const v = await form.validateFields();
    try {
      const c = await routingApi.transfer(conversation.id, {
        note: v.note ?? '',
        ...(v.target === 'agent' ? { toAgentId: v.toAgentId } : { toGroupId: v.toGroupId }),
      });
      message.success(t('routing.transfer.done'));
      onDone(c);
      onClose();
    } catch (error) {
      if (!applyFieldError(form, error, ['toAgentId', 'toGroupId', 'note']))
        message.error(errorMessage(error, t('common.requestFailed')));
    }
  };

  return (
    <Modal
      open={isOpen}
      title={t('routing.transfer.title')}
      okText={t('routing.transfer.ok')}
      cancelText={t('common.cancel')}
      onOk={submit}
      onCancel={onClose}
      forceRender
    >
      <Form form={form} layout="vertical">
        <Form.Item name="target">
          <Radio.Group
            options={[
              { value: 'agent', label: t('routing.transfer.toAgent'), disabled: agents.length === 0 },
              { value: 'group', label: t('routing.transfer.toGroup') },
            ]}
          />
        </Form.Item>
        {target === 'group' ? (
          <Form.Item
            name="toGroupId"
            label={t('routing.group')}
            rules={[{ required: true, message: t('common.required') }]}
          >
            <Select options={groups.map((g) => ({ value: g.id, label: g.name }))} />
          </Form.Item>
        ) : (
          <Form.Item
            name="toAgentId"
            label={t('routing.agent')}
            rules={[{ required: true, message: t('common.required') }]}
          >
            <Select
              showSearch
              optionFilterProp="label"
              options={agents
                .filter((a) => a.id !== conversation.assigneeId && !a.disabled)
                .map((a) => ({ value: a.id, label: a.name }))}
            />
          </Form.Item>
        )}
        <Form.Item name="note" label={t('routing.transfer.note')}>
          <Input.TextArea rows={3} maxLength={500} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
