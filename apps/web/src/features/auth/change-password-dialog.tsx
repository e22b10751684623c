import { App, Form, Input, Modal } from 'antd';
import { useState } from 'react';
import { api } from '../../lib/api-client.ts';
import { applyFieldError, errorMessage, validateForm } from '../../lib/form-errors.ts';
import { useI18n } from '../../lib/i18n.ts';

type TPasswordForm = { currentPassword: string; newPassword: string; confirmPassword: string };

// The server's answer is not used: success is the 2xx itself.
const ignoreBody = { parse: (): null => null };

export function ChangePasswordDialog({ isOpen, onClose }: { isOpen: boolean; onClose: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<TPasswordForm>();
  const [isSaving, setIsSaving] = useState(false);

  const submit = async () => {
    const values = await validateForm(form);
    if (!values) return;
    setIsSaving(true);
    try {
      await api.post(
        '/api/auth/password',
        { currentPassword: values.currentPassword, newPassword: values.newPassword },
        ignoreBody,
      );
      message.success(t('password.changed'));
      form.resetFields();
      onClose();
    } catch (error) {
      if (!applyFieldError(form, error, ['currentPassword', 'newPassword'])) {
        message.error(errorMessage(error, t('common.requestFailed')));
      }
    } finally {
      setIsSaving(false);
    }
  };

  return (
    <Modal
      open={isOpen}
      title={t('shell.changePassword')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={isSaving}
      onOk={submit}
      onCancel={onClose}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" preserve={false}>
        <Form.Item
          name="currentPassword"
          label={t('password.current')}
          rules={[{ required: true, message: t('common.required') }]}
        >
          <Input.Password autoComplete="current-password" />
        </Form.Item>
        <Form.Item
          name="newPassword"
          label={t('password.new')}
          rules={[{ required: true, min: 8, message: t('password.min') }]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item
          name="confirmPassword"
          label={t('password.confirm')}
          dependencies={['newPassword']}
          rules={[
            { required: true, message: t('common.required') },
            ({ getFieldValue }) => ({
              validator: (_, value) =>
                !value || getFieldValue('newPassword') === value
                  ? Promise.resolve()
                  : Promise.reject(new Error(t('password.mismatch'))),
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
