import {
  App,
  Button,
  Form,
  Input,
  Modal,
  Popconfirm,
  Table,
  type TableColumnsType,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { applyFieldError, errorMessage, validateForm } from '../../lib/form-errors.ts';
import { formatDateTime, useI18n } from '../../lib/i18n.ts';
import { PageHeader } from '../../ui/page-header.tsx';
import { adminApi, type TApiToken, type TCreatedToken } from './admin-api.ts';
import { useAdminList } from './use-admin-list.ts';

export function TokensPage() {
  const { t, language } = useI18n();
  const { message } = App.useApp();
  const tokens = useAdminList(adminApi.listTokens);
  const [isCreating, setIsCreating] = useState(false);
  const [created, setCreated] = useState<TCreatedToken | null>(null);
  const [form] = Form.useForm<{ name: string }>();
  const [isSaving, setIsSaving] = useState(false);

  const submit = async () => {
    const values = await validateForm(form);
    if (!values) return;
    const { name } = values;
    setIsSaving(true);
    try {
      const token = await adminApi.createToken(name);
      const { token: _plain, ...listed } = token;
      tokens.upsert(listed);
      setIsCreating(false);
      form.resetFields();
      setCreated(token);
    } catch (error) {
      if (!applyFieldError(form, error, ['name']))
        message.error(errorMessage(error, t('common.requestFailed')));
    } finally {
      setIsSaving(false);
    }
  };

  const revoke = async (token: TApiToken) => {
    try {
      await adminApi.revokeToken(token.id);
      // Reload rather than guess: the server decides whether revoked tokens stay listed.
      await tokens.reload();
    } catch (error) {
      message.error(errorMessage(error, t('common.requestFailed')));
    }
  };

  const columns: TableColumnsType<TApiToken> = [
    { title: t('common.name'), dataIndex: 'name' },
    {
      title: t('common.createdAt'),
      dataIndex: 'createdAt',
      width: 170,
      render: (iso: string) => formatDateTime(language, iso),
    },
    {
      title: t('admin.tokens.lastUsed'),
      dataIndex: 'lastUsedAt',
      width: 170,
      render: (iso: string | null) => (iso ? formatDateTime(language, iso) : t('admin.tokens.never')),
    },
    {
      title: t('admin.users.status'),
      dataIndex: 'revokedAt',
      width: 100,
      render: (iso: string | null) =>
        iso ? <Tag>{t('admin.tokens.revoked')}</Tag> : <Tag color="green">{t('admin.tokens.active')}</Tag>,
    },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 100,
      render: (_, token) =>
        token.revokedAt ? null : (
          <Popconfirm
            title={t('admin.tokens.confirmRevoke')}
            okText={t('admin.tokens.revoke')}
            cancelText={t('common.cancel')}
            onConfirm={() => revoke(token)}
          >
            <Button type="link" size="small" danger>
              {t('admin.tokens.revoke')}
            </Button>
          </Popconfirm>
        ),
    },
  ];

  return (
    <div className="pd-page">
      <PageHeader title={t('admin.tokens.title')}>
        <Button type="primary" onClick={() => setIsCreating(true)}>
          {t('admin.tokens.new')}
        </Button>
      </PageHeader>
      <Table<TApiToken>
        rowKey="id"
        loading={tokens.isLoading}
        columns={columns}
        dataSource={tokens.items}
        pagination={false}
      />
      <Modal
        open={isCreating}
        title={t('admin.tokens.new')}
        okText={t('common.create')}
        cancelText={t('common.cancel')}
        confirmLoading={isSaving}
        onOk={submit}
        onCancel={() => setIsCreating(false)}
        forceRender
      >
        <Form form={form} layout="vertical">
          <Form.Item
            name="name"
            label={t('common.name')}
            rules={[{ required: true, message: t('common.required') }]}
          >
            <Input maxLength={100} placeholder="ERP sync" />
          </Form.Item>
        </Form>
      </Modal>
      <Modal
        open={created !== null}
        title={t('admin.tokens.createdTitle')}
        onCancel={() => setCreated(null)}
        onOk={() => setCreated(null)}
        cancelButtonProps={{ style: { display: 'none' } }}
        // The plain token exists only in this dialog's state; closing it drops the last copy.
        afterClose={() => setCreated(null)}
      >
        <Typography.Paragraph type="warning">{t('admin.tokens.createdHint')}</Typography.Paragraph>
        {created && (
          <Typography.Paragraph copyable={{ text: created.token }}>
            <span className="pd-code" data-testid="created-token">
              {created.token}
            </span>
          </Typography.Paragraph>
        )}
      </Modal>
    </div>
  );
}
