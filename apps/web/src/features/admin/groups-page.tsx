import type { TSkillGroup } from '@peakdesk/contracts';
import { App, Button, Form, Input, InputNumber, Modal, Table, type TableColumnsType } from 'antd';
import { useEffect, useState } from 'react';
import { applyFieldError, errorMessage, validateForm } from '../../lib/form-errors.ts';
import { useI18n } from '../../lib/i18n.ts';
import { PageHeader } from '../../ui/page-header.tsx';
import { adminApi, type TGroupInput } from './admin-api.ts';
import { useAdminList } from './use-admin-list.ts';

export function GroupsPage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const groups = useAdminList(adminApi.listGroups);
  const [editing, setEditing] = useState<TSkillGroup | null | undefined>(undefined);
  const [form] = Form.useForm<TGroupInput>();
  const [isSaving, setIsSaving] = useState(false);

  useEffect(() => {
    if (editing === undefined) return;
    form.setFieldsValue(
      editing
        ? { name: editing.name, defaultMaxConcurrency: editing.defaultMaxConcurrency }
        : { name: '', defaultMaxConcurrency: 5 },
    );
  }, [editing, form]);

  const submit = async () => {
    const values = await validateForm(form);
    if (!values) return;
    setIsSaving(true);
    try {
      const saved = editing
        ? await adminApi.updateGroup(editing.id, values)
        : await adminApi.createGroup(values);
      groups.upsert(saved);
      message.success(t(editing ? 'common.saved' : 'common.created'));
      setEditing(undefined);
    } catch (error) {
      if (!applyFieldError(form, error, ['name', 'defaultMaxConcurrency'])) {
        message.error(errorMessage(error, t('common.requestFailed')));
      }
    } finally {
      setIsSaving(false);
    }
  };

  const columns: TableColumnsType<TSkillGroup> = [
    { title: t('common.name'), dataIndex: 'name' },
    { title: t('admin.groups.concurrency'), dataIndex: 'defaultMaxConcurrency', width: 160 },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 90,
      render: (_, group) => (
        <Button type="link" size="small" onClick={() => setEditing(group)}>
          {t('common.edit')}
        </Button>
      ),
    },
  ];

  return (
    <div className="pd-page">
      <PageHeader title={t('admin.groups.title')}>
        <Button type="primary" onClick={() => setEditing(null)}>
          {t('admin.groups.new')}
        </Button>
      </PageHeader>
      <Table<TSkillGroup>
        rowKey="id"
        loading={groups.isLoading}
        columns={columns}
        dataSource={groups.items}
        pagination={false}
      />
      <Modal
        open={editing !== undefined}
        title={t(editing ? 'admin.groups.edit' : 'admin.groups.new')}
        okText={t('common.save')}
        cancelText={t('common.cancel')}
        confirmLoading={isSaving}
        onOk={submit}
        onCancel={() => setEditing(undefined)}
        forceRender
      >
        <Form form={form} layout="vertical">
          <Form.Item
            name="name"
            label={t('common.name')}
            rules={[{ required: true, message: t('common.required') }]}
          >
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item
            name="defaultMaxConcurrency"
            label={t('admin.groups.concurrency')}
            rules={[{ required: true, message: t('common.required') }]}
          >
            <InputNumber min={1} max={50} precision={0} />
          </Form.Item>
        </Form>
      </Modal>
    </div>
  );
}
