import { type TPlatform, type TSkillGroup, ZPlatform } from '@peakdesk/contracts';
import {
  App,
  Button,
  Form,
  Input,
  Popconfirm,
  Select,
  Space,
  Table,
  type TableColumnsType,
  Tag,
  Typography,
} from 'antd';
import { useEffect, useState } from 'react';
import { errorMessage } from '../../lib/form-errors.ts';
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
          expandedRowRender: (store) => <StoreSecrets store={store} onRotated={stores.upsert} />,
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

/** Shown only on demand: the secret signs buyer identities, so it should not sit on screen for a shoulder to read. */
const MASK = '•'.repeat(24);

function StoreSecrets({ store, onRotated }: { store: TAdminStore; onRotated: (s: TAdminStore) => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [isShown, setShown] = useState(false);
  const [isRotating, setRotating] = useState(false);
  const snippet = embedSnippet(window.location.origin, store.id);

  async function rotate() {
    setRotating(true);
    try {
      const rotated = await adminApi.rotateSecret(store.id);
      onRotated(rotated);
      setShown(true);
      message.success(t('admin.stores.rotated'));
    } catch (error) {
      message.error(errorMessage(error, t('common.requestFailed')));
    } finally {
      setRotating(false);
    }
  }

  return (
    <div style={{ display: 'grid', gap: 12, maxWidth: 820 }}>
      {store.identitySecret !== undefined && (
        <div>
          <Typography.Text strong>{t('admin.stores.secret')}</Typography.Text>
          <Typography.Paragraph type="secondary" style={{ margin: '2px 0 6px' }}>
            {t('admin.stores.secretHint')}
          </Typography.Paragraph>
          <Space wrap>
            <Typography.Text copyable={isShown ? { text: store.identitySecret } : false}>
              <span className="pd-code" data-testid="store-secret">
                {isShown ? store.identitySecret : MASK}
              </span>
            </Typography.Text>
            <Button size="small" data-testid="store-secret-reveal" onClick={() => setShown((v) => !v)}>
              {t(isShown ? 'admin.stores.hideSecret' : 'admin.stores.revealSecret')}
            </Button>
            <Popconfirm
              title={t('admin.stores.rotateConfirm')}
              description={t('admin.stores.rotateConfirmHint')}
              okText={t('admin.stores.rotate')}
              okButtonProps={{ danger: true }}
              cancelText={t('common.cancel')}
              onConfirm={rotate}
            >
              <Button size="small" danger loading={isRotating} data-testid="store-secret-rotate">
                {t('admin.stores.rotate')}
              </Button>
            </Popconfirm>
          </Space>
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
