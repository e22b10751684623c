import { Typography } from 'antd';
import type { ReactNode } from 'react';

/** The title row of a page, with its actions (e.g. "new", "refresh") on the right. */
export function PageHeader({ title, children }: { title: ReactNode; children?: ReactNode }) {
  return (
    <div className="pd-page__header">
      <Typography.Title level={4} className="pd-page__title">
        {title}
      </Typography.Title>
      {children}
    </div>
  );
}
