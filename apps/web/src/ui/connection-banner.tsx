import { Alert } from 'antd';

/** Shown above the app while the realtime socket is down; the text comes from the caller. */
export function ConnectionBanner({ isVisible, text }: { isVisible: boolean; text: string }) {
  if (!isVisible) return null;
  return <Alert type="warning" banner showIcon title={text} data-testid="connection-banner" />;
}
