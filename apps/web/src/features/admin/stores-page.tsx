import { type TPlatform, type TSkillGroup, ZPlatform } from '@peakdesk/contracts';
import { Button, Form, Input, Select, Table, type TableColumnsType, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useI18n } from '../../lib/i18n.ts';
import { PageHeader } from '../../ui/page-header.tsx';
import { adminApi, type TAdminStore, type TStoreInput } from './admin-api.ts';
import { EditDialog, EditLink, useEditDialog } from './edit-dialog.tsx';
import { useAdminList } from './use-admin-list.ts';

const PLATFORM_COLORS: Record<TPlatform, string> = {
  taobao: 'orange',
  tmall: 'red',
  jd: 'volcano',
  pdd: 'magenta',
  douyin: 'geekblue',
  other: 'default',
};

/** The snippet a merchant pastes into the store page; origin is wherever this console is served from. */
function embedSnippet(origin: string, storeId: string): string {
  return `<script src="${origin}/widget.js" data-store="${storeId}"></script>`;
}

export function StoresPage() {
  const { t } = useI18n();
  const stores = useAdminList(adminApi.listStores);
  const [groups, setGroups] = useState<TSkillGroup[]>([]);
  const dialog = useEditDialog<TAdminStore, TStoreInput>({
    values: (store) =>
      store
        ? {
            name: store.name,
            platform: store.platform,
            defaultGroupId: store.defaultGroupId,
            greeting: store.greeting,
          }
        : { name: '', platform: 'taobao', defaultGroupId: null, greeting: '' },
    save: (store, values) => {
      const body: TStoreInput = {
        ...values,
        defaultGroupId: values.defaultGroupId ?? null,
        greeting: values.greeting ?? '',
      };
      return store ? adminApi.updateStore(store.id, body) : adminApi.createStore(body);
    },
    onSaved: stores.upsert,
    fields: ['name', 'platform', 'defaultGroupId', 'greeting'],
  });

  useEffect(() => {
    adminApi.listGroups().then(setGroups, () => setGroups([]));
  }, []);

  const groupName = (id: string | null) => groups.find((g) => g.id === id)?.name ?? t('common.none');

  const columns: TableColumnsType<TAdminStore> = [
    { title: t('common.name'), dataIndex: 'name' },
    {
      title: t('admin.stores.platform'),
      dataIndex: 'platform',
      width: 110,
      render: (p: TPlatform) => <Tag color={PLATFORM_COLORS[p]}>{t(`platform.${p}`)}</Tag>,
    },
    {
      title: t('admin.stores.defaultGroup'),
      dataIndex: 'defaultGroupId',
      width: 160,
      render: (id: string | null) => groupName(id),
    },
    {
      title: t('admin.stores.greeting'),
      dataIndex: 'greeting',
      ellipsis: true,
    },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 90,
      render: (_, store) => <EditLink onClick={() => dialog.openEdit(store)} />,
    },
  ];

  return (
    <div className="pd-page">
      <PageHeader title={t('admin.stores.title')}>
        <Button type="primary" onClick={dialog.openNew}>
          {t('admin.stores.new')}
        </Button>
      </PageHeader>
      <Table<TAdminStore>
        rowKey="id"
        loading={stores.isLoading}
        columns={columns}
        dataSource={stores.items}
        pagination={false}
        expandable={{
          expandedRowRender: (store) => <StoreSecrets store={store} />,
        }}
      />
      <EditDialog dialog={dialog} title={t(dialog.editing ? 'admin.stores.edit' : 'admin.stores.new')}>
        <Form.Item
          name="name"
          label={t('common.name')}
          rules={[{ required: true, message: t('common.required') }]}
        >
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="platform" label={t('admin.stores.platform')} rules={[{ required: true }]}>
          <Select options={ZPlatform.options.map((p) => ({ value: p, label: t(`platform.${p}`) }))} />
        </Form.Item>
        <Form.Item name="defaultGroupId" label={t('admin.stores.defaultGroup')}>
          <Select
            allowClear
            placeholder={t('common.none')}
            options={groups.map((g) => ({ value: g.id, label: g.name }))}
          />
        </Form.Item>
        <Form.Item name="greeting" label={t('admin.stores.greeting')}>
          <Input.TextArea rows={3} maxLength={500} showCount />
        </Form.Item>
      </EditDialog>
    </div>
  );
}

function StoreSecrets({ store }: { store: TAdminStore }) {
  const { t } = useI18n();
  const snippet = embedSnippet(window.location.origin, store.id);
  return (
    <div style={{ display: 'grid', gap: 12, maxWidth: 820 }}>
      {store.identitySecret !== undefined && (
        <div>
          <Typography.Text strong>{t('admin.stores.secret')}</Typography.Text>
          <Typography.Paragraph type="secondary" style={{ margin: '2px 0 6px' }}>
            {t('admin.stores.secretHint')}
          </Typography.Paragraph>
          <Typography.Paragraph copyable={{ text: store.identitySecret }} style={{ margin: 0 }}>
            <span className="pd-code" data-testid="store-secret">
              {store.identitySecret}
            </span>
          </Typography.Paragraph>
        </div>
      )}
      <div>
        <Typography.Text strong>{t('admin.stores.embed')}</Typography.Text>
        <Typography.Paragraph type="secondary" style={{ margin: '2px 0 6px' }}>
          {t('admin.stores.embedHint')}
        </Typography.Paragraph>
        <Typography.Paragraph copyable={{ text: snippet }} style={{ margin: 0 }}>
          <span className="pd-code" data-testid="store-embed-snippet">
            {snippet}
          </span>
        </Typography.Paragraph>
      </div>
    </div>
  );
}
