import type { TLoginRequest } from '@peakdesk/contracts';
import { Button, Form, Input } from 'antd';
import { useState } from 'react';
import { Navigate, useLocation } from 'react-router-dom';
import { ApiError } from '../../lib/api-client.ts';
import { apiErrorText } from '../../lib/form-errors.ts';
import { useI18n } from '../../lib/i18n.ts';
import { AuthCard } from './auth-card.tsx';
import { useSession } from './session-context.tsx';
import { useIsSetupNeeded } from './setup-page.tsx';

export function LoginPage() {
  const { t } = useI18n();
  const { state, signIn } = useSession();
  const location = useLocation();
  const [form] = Form.useForm<TLoginRequest>();
  const [error, setError] = useState<string | null>(null);
  const [isSubmitting, setIsSubmitting] = useState(false);
  // A fresh install has nobody to sign in yet: the first visitor is sent to the setup page.
  const isSetupNeeded = useIsSetupNeeded();

  if (isSetupNeeded) return <Navigate to={`/setup${location.search}`} replace />;
  if (state.phase === 'signed-in') {
    const from = (location.state as { from?: string } | null)?.from;
    return <Navigate to={from && from !== '/login' ? from : '/workspace'} replace />;
  }

  const submit = async (values: TLoginRequest) => {
    setError(null);
    setIsSubmitting(true);
    try {
      await signIn(values.email, values.password);
    } catch (cause) {
      const apiError = cause instanceof ApiError ? cause : null;
      if (apiError?.field === 'email' || apiError?.field === 'password') {
        form.setFields([{ name: apiError.field, errors: [apiErrorText(apiError, { isBesideField: true })] }]);
      } else {
        setError(apiError ? apiErrorText(apiError) : t('login.failed'));
      }
    } finally {
      setIsSubmitting(false);
    }
  };

  return (
    <AuthCard title={t('login.title')} subtitle={t('login.subtitle')} error={error} errorTestId="login-error">
      <Form form={form} layout="vertical" onFinish={submit} requiredMark={false}>
        <Form.Item
          name="email"
          label={t('login.email')}
          rules={[{ required: true, message: t('common.required') }]}
        >
          <Input autoComplete="username" autoFocus data-testid="login-email" />
        </Form.Item>
        <Form.Item
          name="password"
          label={t('login.password')}
          rules={[{ required: true, message: t('common.required') }]}
        >
          <Input.Password autoComplete="current-password" data-testid="login-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" block loading={isSubmitting} data-testid="login-submit">
          {t('login.submit')}
        </Button>
      </Form>
    </AuthCard>
  );
}
