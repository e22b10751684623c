import type {
  TPlanComparison,
  TPlanDetail,
  TPlanInterval,
  TPlanSettings,
  TPlanVersion,
  TShiftTypeSetting,
} from '@peakdesk/contracts';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Descriptions,
  Input,
  InputNumber,
  Select,
  Space,
  Table,
  type TableColumnsType,
  Tag,
  Typography,
} from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { errorMessage } from '../../lib/form-errors.ts';
import { useI18n } from '../../lib/i18n.ts';
import { CoverageChart, VolumeChart } from './coverage-charts.tsx';
import { clockOf, dayClockOf, workforceApi } from './workforce-api.ts';

const num = (v: number | null | undefined, digits = 1) =>
  v === null || v === undefined ? '—' : v.toFixed(digits);

type TStaffing = TPlanSettings['staffing'];

/** One plan: its versions, the chosen version's forecast/requirement/schedule/roster, editing and compare. */
export function PlanPage() {
  const { planId = '' } = useParams();
  const [search, setSearch] = useSearchParams();
  const { t } = useI18n();
  const { message } = App.useApp();
  const [plan, setPlan] = useState<TPlanDetail | null>(null);
  const [version, setVersion] = useState<TPlanVersion | null>(null);
  const [draft, setDraft] = useState<TPlanSettings | null>(null);
  const [note, setNote] = useState('');
  const [isSaving, setIsSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [compareWith, setCompareWith] = useState<number | null>(null);
  const [comparison, setComparison] = useState<TPlanComparison | null>(null);
  const selected = Number(search.get('v')) || plan?.latestVersion || 0;

  const loadPlan = useCallback(async () => {
    try {
      setPlan(await workforceApi.getPlan(planId));
    } catch (e) {
      message.error(errorMessage(e, t('common.requestFailed')));
    }
  }, [planId, message, t]);

  useEffect(() => {
    void loadPlan();
  }, [loadPlan]);

  useEffect(() => {
    if (!selected) return;
    let isCurrent = true;
    workforceApi.getVersion(planId, selected).then(
      (v) => {
        if (!isCurrent) return;
        setVersion(v);
        setDraft(v.settings);
      },
      (e: unknown) => message.error(errorMessage(e, t('common.requestFailed'))),
    );
    return () => {
      isCurrent = false;
    };
  }, [planId, selected, message, t]);

  useEffect(() => {
    if (!compareWith || !selected) {
      setComparison(null);
      return;
    }
    workforceApi
      .compare(planId, compareWith, selected)
      .then(setComparison, (e: unknown) => message.error(errorMessage(e, t('common.requestFailed'))));
  }, [planId, compareWith, selected, message, t]);

  const save = async () => {
    if (!draft) return;
    setIsSaving(true);
    setError(null);
    try {
      const saved = await workforceApi.saveVersion(planId, { settings: draft, note });
      setNote('');
      await loadPlan();
      setSearch({ v: String(saved.version) });
      message.success(t('wf.plan.savedVersion', { v: saved.version }));
    } catch (e) {
      setError(errorMessage(e, t('common.requestFailed')));
    } finally {
      setIsSaving(false);
    }
  };

  const publish = async () => {
    try {
      setPlan(await workforceApi.publish(planId, selected));
      message.success(t('wf.plan.publishedNow', { v: selected }));
    } catch (e) {
      message.error(errorMessage(e, t('common.requestFailed')));
    }
  };

  const starts = useMemo(() => version?.intervals.map((i) => i.start) ?? [], [version]);
  const forecastLines = useMemo(
    () => [{ name: t('wf.chart.forecast'), values: version?.intervals.map((i) => i.forecast) ?? [] }],
    [version, t],
  );

  if (!plan || !version || !draft) return <Card loading />;

  const setStaffing = (patch: Partial<TStaffing>) =>
    setDraft({ ...draft, staffing: { ...draft.staffing, ...patch } });
  const setShift = (index: number, patch: Partial<TShiftTypeSetting>) =>
    setDraft({
      ...draft,
      shifts: {
        ...draft.shifts,
        shiftTypes: draft.shifts.shiftTypes.map((s, i) => (i === index ? { ...s, ...patch } : s)),
      },
    });

  const coverageColumns: TableColumnsType<TPlanInterval> = [
    { title: t('wf.col.interval'), dataIndex: 'start', render: (s: string) => dayClockOf(s), width: 120 },
    { title: t('wf.col.forecast'), dataIndex: 'forecast', render: (v: number) => num(v) },
    { title: t('wf.col.agents'), dataIndex: 'agents' },
    {
      title: t('wf.col.required'),
      dataIndex: 'required',
      render: (v: number) => <span data-testid="cell-required">{v}</span>,
    },
    {
      title: t('wf.col.scheduled'),
      dataIndex: 'scheduled',
      render: (v: number, r) => (
        <span data-testid="cell-scheduled" style={{ color: v < r.required ? '#cf1322' : undefined }}>
          {v}
        </span>
      ),
    },
    {
      title: t('wf.col.serviceLevel'),
      dataIndex: 'serviceLevel',
      render: (v: number | null) => num(v === null ? null : v * 100),
    },
    { title: t('wf.col.asa'), dataIndex: 'asa', render: (v: number | null) => num(v) },
  ];
  const shiftColumns: TableColumnsType<TShiftTypeSetting & { index: number }> = [
    {
      title: t('common.name'),
      render: (_, s) => (
        <Input value={s.name} onChange={(e) => setShift(s.index, { name: e.target.value })} />
      ),
    },
    {
      title: t('wf.shift.length'),
      render: (_, s) => (
        <InputNumber
          min={30}
          step={30}
          value={s.lengthMinutes}
          onChange={(v) => setShift(s.index, { lengthMinutes: v ?? s.lengthMinutes })}
        />
      ),
    },
    {
      title: t('wf.shift.startEarliest'),
      render: (_, s) => (
        <Input
          style={{ width: 80 }}
          value={s.startEarliest}
          onChange={(e) => setShift(s.index, { startEarliest: e.target.value })}
        />
      ),
    },
    {
      title: t('wf.shift.startLatest'),
      render: (_, s) => (
        <Input
          style={{ width: 80 }}
          value={s.startLatest}
          onChange={(e) => setShift(s.index, { startLatest: e.target.value })}
        />
      ),
    },
    {
      title: t('wf.shift.step'),
      render: (_, s) => (
        <InputNumber
          min={15}
          step={15}
          value={s.startStepMinutes}
          onChange={(v) => setShift(s.index, { startStepMinutes: v ?? s.startStepMinutes })}
        />
      ),
    },
    {
      title: t('wf.shift.breaks'),
      render: (_, s) =>
        s.breaks
          .map(
            (b) =>
              `${b.lengthMinutes}′ @${b.earliestAfterStartMinutes / 60}–${b.latestAfterStartMinutes / 60}h`,
          )
          .join(', '),
    },
    {
      title: t('wf.shift.cost'),
      render: (_, s) => (
        <InputNumber
          min={0.1}
          step={0.5}
          value={s.cost}
          onChange={(v) => setShift(s.index, { cost: v ?? s.cost })}
        />
      ),
    },
    {
      title: t('wf.shift.maxCount'),
      render: (_, s) => (
        <InputNumber
          min={0}
          value={s.maxCount ?? null}
          onChange={(v) => setShift(s.index, { maxCount: v === null ? undefined : v })}
        />
      ),
    },
    {
      title: t('wf.shift.partTime'),
      render: (_, s) => (
        <Checkbox
          checked={s.isPartTime}
          onChange={(e) => setShift(s.index, { isPartTime: e.target.checked })}
        />
      ),
    },
  ];

  const s = version.schedule;
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Card
        title={
          <Space>
            <Link to="/planner">{t('wf.planner.title')}</Link>
            <span>/</span>
            <span data-testid="plan-title">{plan.name}</span>
            <Tag>{plan.dates.join(', ')}</Tag>
          </Space>
        }
        extra={
          <Space>
            <Select
              style={{ width: 200 }}
              value={selected}
              data-testid="version-select"
              onChange={(v: number) => setSearch({ v: String(v) })}
              options={plan.versions.map((v) => ({
                value: v.version,
                label: `v${v.version}${v.note ? ` · ${v.note}` : ''}${plan.publishedVersion === v.version ? ` · ${t('wf.plan.publishedTag')}` : ''}`,
              }))}
            />
            <Button
              onClick={() => void publish()}
              disabled={plan.publishedVersion === selected}
              data-testid="plan-publish"
            >
              {t('wf.plan.publish')}
            </Button>
            <Button href={workforceApi.exportUrl(planId, selected)} data-testid="plan-export">
              {t('wf.plan.export')}
            </Button>
            <Link to={`/planner/${planId}/intraday`}>{t('wf.intraday.title')}</Link>
          </Space>
        }
      >
        <Descriptions size="small" column={4} data-testid="plan-summary">
          <Descriptions.Item label={t('wf.summary.method')}>{version.forecastMethod}</Descriptions.Item>
          <Descriptions.Item label={t('wf.summary.forecastTotal')}>
            {num(version.forecastTotal, 0)}
          </Descriptions.Item>
          <Descriptions.Item label={t('wf.summary.peakRequired')}>{version.peakRequired}</Descriptions.Item>
          <Descriptions.Item label={t('wf.summary.status')}>
            <Tag
              color={s.status === 'optimal' ? 'green' : s.status === 'understaffed' ? 'red' : 'orange'}
              data-testid="schedule-status"
            >
              {s.status}
            </Tag>
          </Descriptions.Item>
          <Descriptions.Item label={t('wf.summary.cost')}>{num(s.cost)}</Descriptions.Item>
          <Descriptions.Item label={t('wf.summary.gap')}>
            {s.gap === null ? '—' : `${(s.gap * 100).toFixed(2)}%`}
          </Descriptions.Item>
          <Descriptions.Item label={t('wf.summary.shifts')}>{version.shiftCount}</Descriptions.Item>
          <Descriptions.Item label={t('wf.summary.unassigned')}>
            {version.roster.unassigned.length}
          </Descriptions.Item>
        </Descriptions>
        {s.status === 'understaffed' || s.status === 'no-solution' ? (
          <Alert type="error" showIcon message={s.message} />
        ) : null}
      </Card>

      <Card title={t('wf.chart.forecastTitle')}>
        <VolumeChart starts={starts} lines={forecastLines} peaks={version.settings.peakWindows} />
      </Card>
      <Card title={t('wf.chart.coverageTitle')}>
        <CoverageChart
          starts={starts}
          required={version.intervals.map((i) => i.required)}
          scheduled={version.intervals.map((i) => i.scheduled)}
          requiredLabel={t('wf.col.required')}
          scheduledLabel={t('wf.col.scheduled')}
        />
        <Table
          rowKey="start"
          size="small"
          columns={coverageColumns}
          dataSource={version.intervals}
          pagination={false}
          scroll={{ y: 360 }}
          data-testid="coverage-table"
          onRow={(r) =>
            ({ 'data-testid': 'coverage-row', 'data-start': r.start }) as React.HTMLAttributes<HTMLElement>
          }
        />
      </Card>

      <Card title={t('wf.schedule.title')}>
        <Table
          rowKey={(r) => `${r.type}-${r.start}`}
          size="small"
          pagination={false}
          dataSource={s.shifts}
          columns={[
            { title: t('wf.col.type'), dataIndex: 'type' },
            { title: t('wf.col.start'), dataIndex: 'start', render: (v: string) => dayClockOf(v) },
            { title: t('wf.col.end'), dataIndex: 'end', render: (v: string) => dayClockOf(v) },
            {
              title: t('wf.shift.breaks'),
              render: (_, r) => r.breaks.map((b) => `${clockOf(b.start)}–${clockOf(b.end)}`).join(', '),
            },
            { title: t('wf.col.count'), dataIndex: 'count' },
          ]}
        />
        <Typography.Title level={5} style={{ marginTop: 16 }}>
          {t('wf.roster.title')}
        </Typography.Title>
        <Table
          rowKey={(r) => `${r.userId}-${r.start}`}
          size="small"
          pagination={{ pageSize: 10 }}
          dataSource={version.roster.assignments}
          columns={[
            { title: t('wf.col.agent'), dataIndex: 'name' },
            { title: t('wf.col.type'), dataIndex: 'type' },
            { title: t('wf.col.start'), dataIndex: 'start', render: (v: string) => dayClockOf(v) },
            { title: t('wf.col.end'), dataIndex: 'end', render: (v: string) => dayClockOf(v) },
          ]}
        />
        {version.roster.unassigned.length > 0 ? (
          <Alert
            type="warning"
            showIcon
            message={t('wf.roster.unassigned', { count: version.roster.unassigned.length })}
          />
        ) : null}
      </Card>

      <Card title={t('wf.settings.title')}>
        <Space wrap size="large">
          <span>
            {t('wf.settings.method')}{' '}
            <Select
              style={{ width: 160 }}
              value={draft.forecast.method}
              onChange={(method) => setDraft({ ...draft, forecast: { ...draft.forecast, method } })}
              options={[
                'auto',
                'seasonal-naive',
                'weekday-mean',
                'daily-profile',
                'holt-winters',
                'promotion-uplift',
                'promotion-ratio',
              ].map((m) => ({ value: m as TPlanSettings['forecast']['method'], label: m }))}
            />
          </span>
          <span>
            {t('wf.settings.uplift')}{' '}
            <InputNumber
              min={0.1}
              step={0.1}
              value={draft.forecast.upliftFactor}
              onChange={(v) => setDraft({ ...draft, forecast: { ...draft.forecast, upliftFactor: v ?? 1 } })}
            />
          </span>
          <span>
            {t('wf.settings.model')}{' '}
            <Select
              style={{ width: 120 }}
              value={draft.staffing.model}
              onChange={(model) => setStaffing({ model })}
              options={(['simple', 'erlang-c', 'erlang-a'] as const).map((m) => ({ value: m, label: m }))}
            />
          </span>
          <span>
            {t('wf.settings.aht')}{' '}
            <InputNumber
              min={1}
              value={draft.staffing.ahtSeconds}
              onChange={(v) => setStaffing({ ahtSeconds: v ?? 300 })}
            />
          </span>
          <span>
            {t('wf.settings.concurrency')}{' '}
            <InputNumber
              min={1}
              max={20}
              value={draft.staffing.concurrency}
              onChange={(v) => setStaffing({ concurrency: v ?? 1 })}
            />
          </span>
          <span>
            {t('wf.settings.serviceLevel')}{' '}
            <InputNumber
              min={0.01}
              max={0.99}
              step={0.05}
              value={draft.staffing.serviceLevel}
              onChange={(v) => setStaffing({ serviceLevel: v ?? 0.8 })}
            />
          </span>
          <span>
            {t('wf.settings.target')}{' '}
            <InputNumber
              min={1}
              value={draft.staffing.targetSeconds}
              onChange={(v) => setStaffing({ targetSeconds: v ?? 30 })}
            />
          </span>
          <span>
            {t('wf.settings.patience')}{' '}
            <InputNumber
              min={1}
              value={draft.staffing.patienceSeconds ?? null}
              onChange={(v) => setStaffing({ patienceSeconds: v ?? undefined })}
            />
          </span>
          <span>
            {t('wf.settings.shrinkage')}{' '}
            <InputNumber
              min={0}
              max={0.9}
              step={0.05}
              value={draft.staffing.shrinkage}
              onChange={(v) => setStaffing({ shrinkage: v ?? 0 })}
            />
          </span>
          <span>
            {t('wf.settings.timeLimit')}{' '}
            <InputNumber
              min={1}
              max={120}
              value={draft.solver.timeLimitSeconds}
              onChange={(v) => setDraft({ ...draft, solver: { ...draft.solver, timeLimitSeconds: v ?? 10 } })}
            />
          </span>
        </Space>
        <Table
          style={{ marginTop: 16 }}
          rowKey="index"
          size="small"
          pagination={false}
          columns={shiftColumns}
          dataSource={draft.shifts.shiftTypes.map((st, index) => ({ ...st, index }))}
          data-testid="shift-types"
        />
        <Space style={{ marginTop: 16 }}>
          <Input
            placeholder={t('wf.settings.note')}
            value={note}
            onChange={(e) => setNote(e.target.value)}
            style={{ width: 300 }}
          />
          <Button
            type="primary"
            loading={isSaving}
            onClick={() => void save()}
            data-testid="plan-save-version"
          >
            {t('wf.plan.saveVersion')}
          </Button>
        </Space>
        {error ? (
          <Alert style={{ marginTop: 12 }} type="error" showIcon message={error} data-testid="plan-error" />
        ) : null}
      </Card>

      <Card
        title={t('wf.compare.title')}
        extra={
          <Select
            allowClear
            style={{ width: 200 }}
            placeholder={t('wf.compare.with')}
            value={compareWith}
            onChange={(v: number | undefined) => setCompareWith(v ?? null)}
            options={plan.versions
              .filter((v) => v.version !== selected)
              .map((v) => ({ value: v.version, label: `v${v.version}` }))}
          />
        }
      >
        {comparison ? (
          <>
            <Descriptions size="small" column={4}>
              <Descriptions.Item label={t('wf.summary.forecastTotal')}>
                {num(comparison.a.forecastTotal, 0)} → {num(comparison.b.forecastTotal, 0)}
              </Descriptions.Item>
              <Descriptions.Item label={t('wf.summary.peakRequired')}>
                {comparison.a.peakRequired} → {comparison.b.peakRequired}
              </Descriptions.Item>
              <Descriptions.Item label={t('wf.summary.shifts')}>
                {comparison.a.shiftCount} → {comparison.b.shiftCount}
              </Descriptions.Item>
              <Descriptions.Item label={t('wf.summary.cost')}>
                {num(comparison.a.cost)} → {num(comparison.b.cost)}
              </Descriptions.Item>
            </Descriptions>
            <Table
              rowKey="start"
              size="small"
              pagination={false}
              scroll={{ y: 300 }}
              dataSource={comparison.intervals.filter(
                (r) =>
                  r.forecastA !== r.forecastB || r.requiredA !== r.requiredB || r.scheduledA !== r.scheduledB,
              )}
              columns={[
                { title: t('wf.col.interval'), dataIndex: 'start', render: (v: string) => dayClockOf(v) },
                {
                  title: `${t('wf.col.forecast')} A→B`,
                  render: (_, r) => `${num(r.forecastA)} → ${num(r.forecastB)}`,
                },
                {
                  title: `${t('wf.col.required')} A→B`,
                  render: (_, r) => `${r.requiredA ?? '—'} → ${r.requiredB ?? '—'}`,
                },
                {
                  title: `${t('wf.col.scheduled')} A→B`,
                  render: (_, r) => `${r.scheduledA ?? '—'} → ${r.scheduledB ?? '—'}`,
                },
              ]}
            />
          </>
        ) : (
          <Typography.Text type="secondary">{t('wf.compare.help')}</Typography.Text>
        )}
      </Card>
    </Space>
  );
}
