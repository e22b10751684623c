import { type TSetupRequest, ZMe, ZSetupStatus } from '@peakdesk/contracts';
import { Button, Form, Input } from 'antd';
import { useEffect, useState } from 'react';
import { Navigate, useSearchParams } from 'react-router-dom';
import { api } from '../../lib/api-client.ts';
import { applyFieldError, errorMessage } from '../../lib/form-errors.ts';
import { useI18n } from '../../lib/i18n.ts';
import { PageLoading } from '../../ui/page-loading.tsx';
import { AuthCard } from './auth-card.tsx';
import { useSession } from './session-context.tsx';

const FIELDS = ['token', 'orgName', 'name', 'email', 'password'] as const;

/** Whether the install still has no admin; the sign-in page sends first visitors here. */
export function useIsSetupNeeded(): boolean | null {
  const [isNeeded, setIsNeeded] = useState<boolean | null>(null);
  useEffect(() => {
    let isCurrent = true;
    api.get('/api/setup', ZSetupStatus).then(
      (s) => isCurrent && setIsNeeded(s.isNeeded),
      () => isCurrent && setIsNeeded(false),
    );
    return () => {
      isCurrent = false;
    };
  }, []);
  return isNeeded;
}

/** First run: create the organisation and its first admin with the token `peakdesk start` printed. */
export function SetupPage() {
  const { t } = useI18n();
  const { state, adoptSession } = useSession();
  const [params] = useSearchParams();
  const isNeeded = useIsSetupNeeded();
  const [form] = Form.useForm<TSetupRequest>();
  const [error, setError] = useState<string | null>(null);
  const [isSubmitting, setIsSubmitting] = useState(false);
  const tokenFromLink = params.get('token') ?? '';

  if (state.phase === 'signed-in') return <Navigate to="/workspace" replace />;
  if (isNeeded === null) return <PageLoading />;
  if (!isNeeded) return <Navigate to="/login" replace />;

  const submit = async (values: TSetupRequest) => {
    setError(null);
    setIsSubmitting(true);
    try {
      adoptSession(await api.post('/api/setup', { ...values, token: values.token || tokenFromLink }, ZMe));
    } catch (cause) {
      if (!applyFieldError(form, cause, FIELDS)) setError(errorMessage(cause, t('setup.failed')));
    } finally {
      setIsSubmitting(false);
    }
  };

  return (
    <AuthCard title={t('setup.title')} subtitle={t('setup.subtitle')} error={error} errorTestId="setup-error">
      <Form
        form={form}
        layout="vertical"
        onFinish={submit}
        requiredMark={false}
        initialValues={{ token: tokenFromLink }}
      >
        <Form.Item
          name="token"
          label={t('setup.token')}
          extra={t('setup.tokenHelp')}
          hidden={tokenFromLink !== ''}
          rules={[{ required: true, message: t('common.required') }]}
        >
          <Input autoComplete="off" data-testid="setup-token" />
        </Form.Item>
        <Form.Item
          name="orgName"
          label={t('setup.orgName')}
          rules={[{ required: true, whitespace: true, message: t('common.required') }]}
        >
          <Input autoFocus placeholder={t('setup.orgNamePlaceholder')} data-testid="setup-org" />
        </Form.Item>
        <Form.Item
          name="name"
          label={t('setup.name')}
          rules={[{ required: true, whitespace: true, message: t('common.required') }]}
        >
          <Input autoComplete="name" data-testid="setup-name" />
        </Form.Item>
        <Form.Item
          name="email"
          label={t('login.email')}
          rules={[{ required: true, message: t('common.required') }]}
        >
          <Input autoComplete="username" data-testid="setup-email" />
        </Form.Item>
        <Form.Item
          name="password"
          label={t('login.password')}
          extra={t('setup.passwordHelp')}
          rules={[{ required: true, message: t('common.required') }]}
        >
          <Input.Password autoComplete="new-password" data-testid="setup-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" block loading={isSubmitting} data-testid="setup-submit">
          {t('setup.submit')}
        </Button>
      </Form>
    </AuthCard>
  );
}
