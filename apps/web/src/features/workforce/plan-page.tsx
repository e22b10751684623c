import {
  type TPlanComparison,
  type TPlanDetail,
  type TPlanInterval,
  type TPlanSettings,
  type TPlanVersion,
  WORKFORCE_FORECAST_METHODS,
} from '@peakdesk/contracts';
import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Form,
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
import { labelOf, useI18n } from '../../lib/i18n.ts';
import { CoverageChart, VolumeChart } from './coverage-charts.tsx';
import { SettingsField, SettingsFieldErrorsProvider, useSettingsFieldErrors } from './settings-field.tsx';
import { PeakWindowsEditor, ShiftSettingsEditor } from './shift-settings-editor.tsx';
import { clockOf, dayClockOf, workforceApi } from './workforce-api.ts';

/** Where the forecast came from and how far to trust it (seed formula, far-ahead, promotion days). */
function ForecastBasisNote({ version }: { version: TPlanVersion }) {
  const { t } = useI18n();
  const b = version.forecastBasis;
  if (!b) return null;
  const params = {
    avg: Math.round(b.dailyAverage ?? 0),
    ratio: b.ratio ?? 0,
    days: b.daysAfterHistory ?? 0,
    max: b.maxSeriesDays,
  };
  const text =
    b.kind === 'seed'
      ? t('wf.basis.seed', params)
      : b.kind === 'far-ahead'
        ? t('wf.basis.farAhead', {
            ...params,
            source: t(b.promotion === 'history' ? 'wf.basis.ratioFromHistory' : 'wf.basis.ratioFromSeed'),
          })
        : b.promotion === 'seed'
          ? t('wf.basis.promotionSeed', params)
          : b.promotion === 'history'
            ? t('wf.basis.promotionHistory', params)
            : null;
  if (!text) return null;
  return (
    <Alert
      style={{ margin: '12px 0' }}
      type={b.kind === 'series' && b.promotion === 'history' ? 'info' : 'warning'}
      showIcon
      message={text}
      data-testid="forecast-basis"
    />
  );
}

const num = (v: number | null | undefined, digits = 1) =>
  v === null || v === undefined ? '—' : v.toFixed(digits);

type TStaffing = TPlanSettings['staffing'];

/** `11-11 20:00–24:00`: a window inside one day keeps one date; one ending at midnight ends at 24:00. */
function windowLabel(start: string, end: string): string {
  const endClock =
    end.slice(0, 10) === start.slice(0, 10)
      ? clockOf(end)
      : clockOf(end) === '00:00'
        ? '24:00'
        : dayClockOf(end);
  return `${dayClockOf(start)}–${endClock}`;
}

/** The roster's gap for the reserve team: how many more people, and in which windows. */
function RosterGapView({ gap }: { gap: TPlanVersion['roster']['gap'] }) {
  const { t } = useI18n();
  if (gap.windows.length === 0) {
    return (
      <Alert
        type="success"
        showIcon
        style={{ marginTop: 8 }}
        message={t('wf.roster.noGap')}
        data-testid="roster-gap"
      />
    );
  }
  return (
    <Alert
      type="warning"
      showIcon
      style={{ marginTop: 8 }}
      data-testid="roster-gap"
      data-people={gap.people}
      message={t('wf.roster.gap', { people: gap.people })}
      description={
        <Table
          rowKey="start"
          size="small"
          pagination={false}
          dataSource={gap.windows}
          data-testid="roster-gap-table"
          onRow={(w) =>
            ({
              'data-testid': 'roster-gap-row',
              'data-start': w.start,
              'data-people': w.people,
            }) as React.HTMLAttributes<HTMLElement>
          }
          columns={[
            { title: t('wf.roster.gapWindow'), render: (_, w) => windowLabel(w.start, w.end) },
            { title: t('wf.roster.gapPeople'), dataIndex: 'people' },
            { title: t('wf.roster.gapStaffHours'), dataIndex: 'staffHours' },
          ]}
        />
      }
    />
  );
}

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
  const [defaultPeaks, setDefaultPeaks] = useState<TPlanSettings['peakWindows'] | null>(null);
  const fields = useSettingsFieldErrors();
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
    // The template's peaks are what "reset" restores; the page works without them.
    workforceApi.template().then(
      (template) => setDefaultPeaks(template.settings.peakWindows),
      () => setDefaultPeaks(null),
    );
  }, []);

  useEffect(() => {
    if (!selected) return;
    let isCurrent = true;
    workforceApi.getVersion(planId, selected).then(
      (v) => {
        if (!isCurrent) return;
        setVersion(v);
        setDraft(v.settings);
        fields.clear();
      },
      (e: unknown) => message.error(errorMessage(e, t('common.requestFailed'))),
    );
    return () => {
      isCurrent = false;
    };
  }, [planId, selected, message, t, fields.clear]);

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
    fields.clear();
    try {
      const saved = await workforceApi.saveVersion(planId, { settings: draft, note });
      setNote('');
      await loadPlan();
      setSearch({ v: String(saved.version) });
      message.success(t('wf.plan.savedVersion', { v: saved.version }));
    } catch (e) {
      // A settings error goes next to its field; anything else (history gone, solver down) above Save.
      if (fields.show(e)) message.error(t('wf.settings.fixFields'));
      else setError(errorMessage(e, t('common.requestFailed')));
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

  /** A draft edit; `path` (settings-relative) clears that field's error, none clears them all. */
  const edit = (next: TPlanSettings, path?: string) => {
    setDraft(next);
    fields.clear(path);
  };
  const setStaffing = (patch: Partial<TStaffing>) => {
    const key = Object.keys(patch)[0];
    edit({ ...draft, staffing: { ...draft.staffing, ...patch } }, `staffing.${key}`);
  };

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
          <Descriptions.Item label={t('wf.summary.method')}>
            {labelOf(`wf.method.${version.forecastMethod}`, version.forecastMethod)}
          </Descriptions.Item>
          <Descriptions.Item label={t('wf.summary.forecastTotal')}>
            {num(version.forecastTotal, 0)}
          </Descriptions.Item>
          <Descriptions.Item label={t('wf.summary.peakRequired')}>{version.peakRequired}</Descriptions.Item>
          <Descriptions.Item label={t('wf.summary.status')}>
            <Tag
              color={s.status === 'optimal' ? 'green' : s.status === 'understaffed' ? 'red' : 'orange'}
              data-testid="schedule-status"
              data-status={s.status}
            >
              {labelOf(`wf.scheduleStatus.${s.status}`, s.status)}
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
        <ForecastBasisNote version={version} />
        {s.status === 'understaffed' || s.status === 'no-solution' ? (
          <Alert type="error" showIcon message={s.message} data-testid="schedule-alert" />
        ) : s.status === 'time-limit-heuristic' ? (
          <Alert
            type="warning"
            showIcon
            message={t('wf.status.heuristic')}
            description={s.message}
            data-testid="schedule-alert"
          />
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
          // Shifts of one type and start differ by their breaks: the key needs them too.
          rowKey={(r) => `${r.type}-${r.start}-${r.breaks.map((b) => b.start).join(',')}`}
          size="small"
          pagination={false}
          dataSource={s.shifts}
          data-testid="schedule-table"
          onRow={(r) =>
            ({
              'data-testid': 'shift-row',
              'data-type': r.type,
              'data-start': r.start,
              'data-count': r.count,
            }) as React.HTMLAttributes<HTMLElement>
          }
          columns={[
            { title: t('wf.col.type'), dataIndex: 'type' },
            { title: t('wf.col.start'), dataIndex: 'start', render: (v: string) => dayClockOf(v) },
            { title: t('wf.col.end'), dataIndex: 'end', render: (v: string) => dayClockOf(v) },
            {
              title: t('wf.shift.breaks'),
              render: (_, r) => (
                <span data-testid="cell-breaks">
                  {r.breaks.map((b) => `${clockOf(b.start)}–${clockOf(b.end)}`).join(', ')}
                </span>
              ),
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
        <RosterGapView gap={version.roster.gap} />
      </Card>

      <Card title={t('wf.settings.title')}>
        <SettingsFieldErrorsProvider value={fields.context}>
          <Form layout="vertical" component={false}>
            <Space wrap size="middle" align="start">
              <SettingsField path="forecast.method" label={t('wf.settings.method')} width={170}>
                <Select
                  value={draft.forecast.method}
                  onChange={(method) =>
                    edit({ ...draft, forecast: { ...draft.forecast, method } }, 'forecast.method')
                  }
                  options={WORKFORCE_FORECAST_METHODS.map((m) => ({
                    value: m,
                    label: labelOf(`wf.method.${m}`, m),
                  }))}
                />
              </SettingsField>
              <SettingsField path="forecast.upliftFactor" label={t('wf.settings.uplift')} width={110}>
                <InputNumber
                  min={0.1}
                  step={0.1}
                  value={draft.forecast.upliftFactor}
                  onChange={(v) =>
                    edit(
                      { ...draft, forecast: { ...draft.forecast, upliftFactor: v ?? 1 } },
                      'forecast.upliftFactor',
                    )
                  }
                />
              </SettingsField>
              <SettingsField path="staffing.model" label={t('wf.settings.model')} width={120}>
                <Select
                  value={draft.staffing.model}
                  onChange={(model) => setStaffing({ model })}
                  options={(['simple', 'erlang-c', 'erlang-a'] as const).map((m) => ({ value: m, label: m }))}
                />
              </SettingsField>
              <SettingsField path="staffing.ahtSeconds" label={t('wf.settings.aht')} width={140}>
                <InputNumber
                  min={1}
                  value={draft.staffing.ahtSeconds}
                  onChange={(v) => setStaffing({ ahtSeconds: v ?? 300 })}
                />
              </SettingsField>
              <SettingsField path="staffing.concurrency" label={t('wf.settings.concurrency')} width={110}>
                <InputNumber
                  min={1}
                  max={20}
                  value={draft.staffing.concurrency}
                  onChange={(v) => setStaffing({ concurrency: v ?? 1 })}
                />
              </SettingsField>
              <SettingsField path="staffing.serviceLevel" label={t('wf.settings.serviceLevel')} width={110}>
                <InputNumber
                  min={0.01}
                  max={0.99}
                  step={0.05}
                  value={draft.staffing.serviceLevel}
                  onChange={(v) => setStaffing({ serviceLevel: v ?? 0.8 })}
                />
              </SettingsField>
              <SettingsField path="staffing.targetSeconds" label={t('wf.settings.target')} width={120}>
                <InputNumber
                  min={1}
                  value={draft.staffing.targetSeconds}
                  onChange={(v) => setStaffing({ targetSeconds: v ?? 30 })}
                />
              </SettingsField>
              <SettingsField path="staffing.patienceSeconds" label={t('wf.settings.patience')} width={170}>
                <InputNumber
                  min={1}
                  value={draft.staffing.patienceSeconds ?? null}
                  onChange={(v) => setStaffing({ patienceSeconds: v ?? undefined })}
                />
              </SettingsField>
              <SettingsField path="staffing.shrinkage" label={t('wf.settings.shrinkage')} width={110}>
                <InputNumber
                  min={0}
                  max={0.9}
                  step={0.05}
                  value={draft.staffing.shrinkage}
                  onChange={(v) => setStaffing({ shrinkage: v ?? 0 })}
                />
              </SettingsField>
              <SettingsField path="solver.timeLimitSeconds" label={t('wf.settings.timeLimit')} width={130}>
                <InputNumber
                  min={1}
                  max={120}
                  value={draft.solver.timeLimitSeconds}
                  onChange={(v) =>
                    edit(
                      { ...draft, solver: { ...draft.solver, timeLimitSeconds: v ?? 10 } },
                      'solver.timeLimitSeconds',
                    )
                  }
                />
              </SettingsField>
            </Space>
            <Typography.Title level={5}>{t('wf.shifts.title')}</Typography.Title>
            <Typography.Paragraph type="secondary">{t('wf.shifts.help')}</Typography.Paragraph>
            <ShiftSettingsEditor
              shifts={draft.shifts}
              intervalMinutes={draft.intervalMinutes}
              onChange={(shifts, path) => edit({ ...draft, shifts }, path)}
            />
            <Typography.Title level={5} style={{ marginTop: 16 }}>
              {t('wf.peaks.title')}
            </Typography.Title>
            <PeakWindowsEditor
              windows={draft.peakWindows}
              defaults={defaultPeaks}
              onChange={(peakWindows, path) => edit({ ...draft, peakWindows }, path)}
            />
          </Form>
        </SettingsFieldErrorsProvider>
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
