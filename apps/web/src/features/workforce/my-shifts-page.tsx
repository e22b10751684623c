import type { TMyShift } from '@peakdesk/contracts';
import { App, Card, Empty, Table, type TableColumnsType } from 'antd';
import { useEffect, useState } from 'react';
import { errorMessage } from '../../lib/form-errors.ts';
import { useI18n } from '../../lib/i18n.ts';
import { clockOf, workforceApi } from './workforce-api.ts';

/** 我的班次: the signed-in user's shifts from published plans (yesterday onwards). */
export function MyShiftsPage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [shifts, setShifts] = useState<TMyShift[] | null>(null);

  useEffect(() => {
    workforceApi.myShifts().then(setShifts, (e: unknown) => {
      setShifts([]);
      message.error(errorMessage(e, t('common.requestFailed')));
    });
  }, [message, t]);

  const columns: TableColumnsType<TMyShift> = [
    { title: t('wf.plan.date'), render: (_, s) => s.start.slice(0, 10) },
    { title: t('wf.col.type'), dataIndex: 'type' },
    {
      title: t('wf.myShifts.time'),
      render: (_, s) =>
        `${clockOf(s.start)} – ${clockOf(s.end)}${s.end.slice(0, 10) !== s.start.slice(0, 10) ? ' (+1)' : ''}`,
    },
    { title: t('wf.myShifts.plan'), render: (_, s) => `${s.planName} v${s.version}` },
  ];
  return (
    <Card title={t('wf.myShifts.title')}>
      <Table
        rowKey={(s) => `${s.planId}-${s.start}`}
        loading={shifts === null}
        columns={columns}
        dataSource={shifts ?? []}
        pagination={false}
        locale={{ emptyText: <Empty description={t('wf.myShifts.empty')} /> }}
        data-testid="my-shifts"
      />
    </Card>
  );
}
