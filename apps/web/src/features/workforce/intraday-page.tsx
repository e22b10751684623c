import type { TIntradayInterval, TIntradayView } from '@peakdesk/contracts';
import { Alert, App, Card, Col, Row, Space, Statistic, Table, type TableColumnsType, Tag } from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { errorMessage } from '../../lib/form-errors.ts';
import { useI18n } from '../../lib/i18n.ts';
import { CoverageChart, VolumeChart } from './coverage-charts.tsx';
import { clockOf, workforceApi } from './workforce-api.ts';

/** Actuals arrive as facts; the page re-reads every 15 s, cheap for one day of intervals. */
const REFRESH_MS = 15_000;

export function IntradayPage() {
  const { planId = '' } = useParams();
  const { t } = useI18n();
  const { message } = App.useApp();
  const [view, setView] = useState<TIntradayView | null>(null);

  const load = useCallback(async () => {
    try {
      setView(await workforceApi.intraday(planId, {}));
    } catch (e) {
      message.error(errorMessage(e, t('common.requestFailed')));
    }
  }, [planId, message, t]);

  useEffect(() => {
    void load();
    const timer = setInterval(() => void load(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [load]);

  const starts = useMemo(() => view?.intervals.map((i) => i.start) ?? [], [view]);
  const lines = useMemo(
    () =>
      view
        ? [
            { name: t('wf.chart.forecast'), values: view.intervals.map((i) => i.forecast) },
            { name: t('wf.chart.actual'), values: view.intervals.map((i) => i.actual) },
            {
              name: t('wf.chart.reforecast'),
              values: view.intervals.map((i) => (i.isPast ? null : i.reforecast)),
              isDashed: true,
            },
          ]
        : [],
    [view, t],
  );

  if (!view) return <Card loading />;
  const current = view.intervals.find((i) => i.isCurrent);
  const columns: TableColumnsType<TIntradayInterval> = [
    {
      title: t('wf.col.interval'),
      dataIndex: 'start',
      render: (s: string, r) => (
        <Space>
          {clockOf(s)}
          {r.isCurrent ? <Tag color="blue">{t('wf.intraday.now')}</Tag> : null}
        </Space>
      ),
    },
    { title: t('wf.col.forecast'), dataIndex: 'forecast' },
    { title: t('wf.chart.actual'), dataIndex: 'actual', render: (v: number | null) => v ?? '—' },
    { title: t('wf.chart.reforecast'), dataIndex: 'reforecast' },
    { title: t('wf.intraday.requiredPlan'), dataIndex: 'required' },
    { title: t('wf.intraday.requiredNow'), dataIndex: 'requiredReforecast' },
    { title: t('wf.col.scheduled'), dataIndex: 'scheduled' },
    {
      title: t('wf.intraday.shortfall'),
      dataIndex: 'shortfall',
      render: (v: number) => (v > 0 ? <Tag color="red">{v}</Tag> : 0),
    },
  ];

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Card
        title={
          <Space>
            <Link to={`/planner/${planId}`}>{t('wf.planner.title')}</Link>
            <span>/</span>
            <span>
              {t('wf.intraday.title')} · {view.date} · v{view.version}
            </span>
          </Space>
        }
        extra={<span>{t('wf.intraday.asOf', { time: view.asOf.slice(11, 19) })}</span>}
      >
        <Row gutter={24}>
          <Col span={6}>
            <Statistic title={t('wf.intraday.ratio')} value={view.ratio} precision={2} suffix="×" />
          </Col>
          <Col span={6}>
            <Statistic title={t('wf.intraday.signedIn')} value={view.signedInAgents} />
          </Col>
          <Col span={6}>
            <Statistic title={t('wf.intraday.requiredNow')} value={current?.requiredReforecast ?? 0} />
          </Col>
          <Col span={6}>
            <Statistic title={t('wf.col.scheduled')} value={current?.scheduled ?? 0} />
          </Col>
        </Row>
        {view.alert ? (
          <Alert
            style={{ marginTop: 16 }}
            data-testid="reserve-alert"
            type={view.alert.level === 'critical' ? 'error' : 'warning'}
            showIcon
            message={t('wf.intraday.alert', { count: view.alert.reserveAgents })}
            description={view.alert.intervals
              .map((i) => t('wf.intraday.alertInterval', { time: clockOf(i.start), count: i.shortfall }))
              .join('；')}
          />
        ) : (
          <Alert style={{ marginTop: 16 }} type="success" showIcon message={t('wf.intraday.ok')} />
        )}
      </Card>
      <Card title={t('wf.intraday.volumeTitle')}>
        <VolumeChart starts={starts} lines={lines} peaks={[]} />
      </Card>
      <Card title={t('wf.intraday.staffTitle')}>
        <CoverageChart
          starts={starts}
          required={view.intervals.map((i) => i.requiredReforecast)}
          scheduled={view.intervals.map((i) => i.scheduled)}
          requiredLabel={t('wf.intraday.requiredNow')}
          scheduledLabel={t('wf.col.scheduled')}
        />
        <Table
          rowKey="start"
          size="small"
          pagination={false}
          scroll={{ y: 360 }}
          columns={columns}
          dataSource={view.intervals}
        />
      </Card>
    </Space>
  );
}
