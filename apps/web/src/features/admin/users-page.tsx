import { type TRole, type TSkillGroup, type TStore, type TUser, ZRole } from '@peakdesk/contracts';
import {
  App,
  Button,
  Form,
  Input,
  InputNumber,
  Popconfirm,
  Select,
  Space,
  Table,
  type TableColumnsType,
  Tag,
} from 'antd';
import { useEffect, useState } from 'react';
import { errorMessage } from '../../lib/form-errors.ts';
import { useI18n } from '../../lib/i18n.ts';
import { PageHeader } from '../../ui/page-header.tsx';
import { useMe } from '../auth/session-context.tsx';
import { adminApi } from './admin-api.ts';
import { EditDialog, EditLink, useEditDialog } from './edit-dialog.tsx';
import { useAdminList } from './use-admin-list.ts';

type TUserForm = {
  email: string;
  name: string;
  role: TRole;
  password: string;
  maxConcurrency: number | null;
  storeIds: string[];
  groupIds: string[];
};
const FIELDS = ['email', 'name', 'role', 'password', 'maxConcurrency', 'storeIds', 'groupIds'] as const;
const ROLE_COLORS: Record<TRole, string> = { admin: 'red', supervisor: 'gold', agent: 'blue' };

export function UsersPage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const me = useMe();
  const users = useAdminList(adminApi.listUsers);
  const [stores, setStores] = useState<TStore[]>([]);
  const [groups, setGroups] = useState<TSkillGroup[]>([]);
  const dialog = useEditDialog<TUser, TUserForm>({
    values: (user) =>
      user
        ? {
            email: user.email,
            name: user.name,
            role: user.role,
            password: '',
            maxConcurrency: user.maxConcurrency,
            storeIds: user.storeIds,
            groupIds: user.groupIds,
          }
        : {
            email: '',
            name: '',
            role: 'agent',
            password: '',
            maxConcurrency: null,
            storeIds: [],
            groupIds: [],
          },
    save: (user, values) => {
      const maxConcurrency = values.maxConcurrency ?? null;
      return user
        ? adminApi.updateUser(user.id, {
            name: values.name,
            role: values.role,
            maxConcurrency,
            storeIds: values.storeIds,
            groupIds: values.groupIds,
          })
        : adminApi.createUser({ ...values, maxConcurrency });
    },
    onSaved: users.upsert,
    fields: FIELDS,
  });

  useEffect(() => {
    adminApi.listStores().then(setStores, () => setStores([]));
    adminApi.listGroups().then(setGroups, () => setGroups([]));
  }, []);

  const setDisabled = async (user: TUser, disabled: boolean) => {
    try {
      users.upsert(await adminApi.updateUser(user.id, { disabled }));
    } catch (error) {
      message.error(errorMessage(error, t('common.requestFailed')));
    }
  };

  const names = (ids: readonly string[], all: readonly { id: string; name: string }[]) =>
    ids.map((id) => all.find((x) => x.id === id)?.name ?? id.slice(0, 8));

  const columns: TableColumnsType<TUser> = [
    { title: t('admin.users.name'), dataIndex: 'name', width: 120 },
    { title: t('admin.users.email'), dataIndex: 'email', width: 200 },
    {
      title: t('admin.users.role'),
      dataIndex: 'role',
      width: 90,
      render: (role: TRole) => <Tag color={ROLE_COLORS[role]}>{t(`role.${role}`)}</Tag>,
    },
    {
      title: t('admin.users.stores'),
      dataIndex: 'storeIds',
      render: (ids: string[]) => names(ids, stores).map((n) => <Tag key={n}>{n}</Tag>),
    },
    {
      title: t('admin.users.groups'),
      dataIndex: 'groupIds',
      render: (ids: string[]) => names(ids, groups).map((n) => <Tag key={n}>{n}</Tag>),
    },
    {
      title: t('admin.users.concurrency'),
      dataIndex: 'maxConcurrency',
      width: 100,
      render: (n: number | null) => n ?? '—',
    },
    {
      title: t('admin.users.status'),
      key: 'status',
      width: 110,
      render: (_, user) =>
        user.disabled ? (
          <Tag>{t('admin.users.disabled')}</Tag>
        ) : (
          <Tag color={user.status === 'online' ? 'green' : user.status === 'paused' ? 'gold' : 'default'}>
            {t(`status.${user.status}`)}
          </Tag>
        ),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 140,
      render: (_, user) => (
        <Space size={0}>
          <EditLink onClick={() => dialog.openEdit(user)} />
          {user.disabled ? (
            <Button type="link" size="small" onClick={() => setDisabled(user, false)}>
              {t('admin.users.enable')}
            </Button>
          ) : (
            <Popconfirm
              title={`${t('admin.users.disable')} ${user.name}?`}
              okText={t('admin.users.disable')}
              cancelText={t('common.cancel')}
              onConfirm={() => setDisabled(user, true)}
            >
              <Button type="link" size="small" danger disabled={user.id === me.user.id}>
                {t('admin.users.disable')}
              </Button>
            </Popconfirm>
          )}
        </Space>
      ),
    },
  ];

  const isCreating = dialog.editing === null;
  return (
    <div className="pd-page">
      <PageHeader title={t('admin.users.title')}>
        <Button type="primary" onClick={dialog.openNew}>
          {t('admin.users.new')}
        </Button>
      </PageHeader>
      <Table<TUser>
        rowKey="id"
        loading={users.isLoading}
        columns={columns}
        dataSource={users.items}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
      />
      <EditDialog dialog={dialog} title={t(isCreating ? 'admin.users.new' : 'admin.users.edit')}>
        <Form.Item
          name="email"
          label={t('admin.users.email')}
          rules={[{ required: true, message: t('common.required') }]}
        >
          <Input type="email" disabled={!isCreating} autoComplete="off" />
        </Form.Item>
        <Form.Item
          name="name"
          label={t('admin.users.name')}
          rules={[{ required: true, message: t('common.required') }]}
        >
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="role" label={t('admin.users.role')} rules={[{ required: true }]}>
          <Select options={ZRole.options.map((r) => ({ value: r, label: t(`role.${r}`) }))} />
        </Form.Item>
        {isCreating && (
          <Form.Item
            name="password"
            label={t('admin.users.password')}
            rules={[{ required: true, min: 8, message: t('password.min') }]}
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
        )}
        <Form.Item
          name="maxConcurrency"
          label={t('admin.users.concurrency')}
          extra={t('admin.users.concurrencyHint')}
        >
          <InputNumber min={1} max={50} precision={0} />
        </Form.Item>
        <Form.Item name="storeIds" label={t('admin.users.stores')}>
          <Select mode="multiple" options={stores.map((s) => ({ value: s.id, label: s.name }))} />
        </Form.Item>
        <Form.Item name="groupIds" label={t('admin.users.groups')}>
          <Select mode="multiple" options={groups.map((g) => ({ value: g.id, label: g.name }))} />
        </Form.Item>
      </EditDialog>
    </div>
  );
}
