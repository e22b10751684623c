import { Alert, Card, Typography } from 'antd';
import type { ReactNode } from 'react';
import { LanguageSwitch } from '../../ui/language-switch.tsx';

/** The centred card of the sign-in and setup pages: title, subtitle, an error, then the form. */
export function AuthCard(props: {
  title: string;
  subtitle: string;
  error: string | null;
  errorTestId: string;
  children: ReactNode;
}) {
  return (
    <div className="pd-login">
      <div className="pd-login__lang">
        <LanguageSwitch />
      </div>
      <Card className="pd-login__card">
        <Typography.Title level={3} style={{ marginBottom: 4 }}>
          {props.title}
        </Typography.Title>
        <Typography.Paragraph type="secondary">{props.subtitle}</Typography.Paragraph>
        {props.error && (
          <Alert
            type="error"
            title={props.error}
            showIcon
            style={{ marginBottom: 16 }}
            data-testid={props.errorTestId}
          />
        )}
        {props.children}
      </Card>
    </div>
  );
}
