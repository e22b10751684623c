import type { TSkillGroup } from '@peakdesk/contracts';
import { Button, Form, Input, InputNumber, Table, type TableColumnsType } from 'antd';
import { useI18n } from '../../lib/i18n.ts';
import { PageHeader } from '../../ui/page-header.tsx';
import { adminApi, type TGroupInput } from './admin-api.ts';
import { EditDialog, EditLink, useEditDialog } from './edit-dialog.tsx';
import { useAdminList } from './use-admin-list.ts';

export function GroupsPage() {
  const { t } = useI18n();
  const groups = useAdminList(adminApi.listGroups);
  const dialog = useEditDialog<TSkillGroup, TGroupInput>({
    values: (group) =>
      group
        ? { name: group.name, defaultMaxConcurrency: group.defaultMaxConcurrency }
        : { name: '', defaultMaxConcurrency: 5 },
    save: (group, values) => (group ? adminApi.updateGroup(group.id, values) : adminApi.createGroup(values)),
    onSaved: groups.upsert,
    fields: ['name', 'defaultMaxConcurrency'],
  });

  const columns: TableColumnsType<TSkillGroup> = [
    { title: t('common.name'), dataIndex: 'name' },
    { title: t('admin.groups.concurrency'), dataIndex: 'defaultMaxConcurrency', width: 160 },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 90,
      render: (_, group) => <EditLink onClick={() => dialog.openEdit(group)} />,
    },
  ];

  return (
    <div className="pd-page">
      <PageHeader title={t('admin.groups.title')}>
        <Button type="primary" onClick={dialog.openNew}>
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
      <EditDialog dialog={dialog} title={t(dialog.editing ? 'admin.groups.edit' : 'admin.groups.new')}>
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
      </EditDialog>
    </div>
  );
}
