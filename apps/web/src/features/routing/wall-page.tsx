import type { TDerivedAgentState, TWallSnapshot } from '@peakdesk/contracts';
import { Alert, Card, Col, Empty, Row, Statistic, Table, type TableColumnsType, Tag, Typography } from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { formatWait, useI18n } from '../../lib/i18n.ts';
import { useRealtime } from '../../lib/realtime-context.tsx';
import { EChart, type TChartOption } from '../../ui/echart.tsx';
import { routingApi } from './routing-api.ts';

const STATE_COLORS: Record<TDerivedAgentState, string> = {
  online: '#52c41a',
  busy: '#1677ff',
  paused: '#faad14',
  away: '#ff7875',
  offline: '#bfbfbf',
};
const pct = (v: number | null) => (v === null ? '—' : `${Math.round(v * 100)}%`);

/** A short two-tone beep (no audio file to ship); browsers allow it after any click on the page. */
function beep() {
  try {
    const ctx = new AudioContext();
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.frequency.value = 880;
    osc.frequency.setValueAtTime(660, ctx.currentTime + 0.15);
    gain.gain.value = 0.15;
    osc.connect(gain).connect(ctx.destination);
    osc.start();
    osc.stop(ctx.currentTime + 0.3);
    osc.onended = () => void ctx.close();
  } catch {
    // No audio device: the visual alert still shows.
  }
}

/** Supervisor wall: queues, waits, service level, agents by state and load; pushed every few seconds. */
export function WallPage() {
  const { t, language } = useI18n();
  const realtime = useRealtime();
  const [wall, setWall] = useState<TWallSnapshot | null>(null);
  const alerting = useRef(new Set<string>());

  // `?org=` watches a drill organisation: its pushes go to its own supervisors, so poll instead.
  const [params] = useSearchParams();
  const drillOrgId = params.get('org');
  useEffect(() => {
    routingApi.wall(drillOrgId).then(setWall, () => undefined);
    if (!drillOrgId) return undefined;
    const timer = setInterval(() => routingApi.wall(drillOrgId).then(setWall, () => undefined), 2000);
    return () => clearInterval(timer);
  }, [drillOrgId]);
  useEffect(() => {
    if (!realtime || drillOrgId) return undefined;
    const on = (w: TWallSnapshot) => setWall(w);
    realtime.socket.on('routing:wall', on);
    return () => {
      realtime.socket.off('routing:wall', on);
    };
  }, [realtime, drillOrgId]);

  const alerts = useMemo(
    () =>
      (wall?.groups ?? []).flatMap((g) =>
        g.alerts.map((a) => ({ key: `${g.groupId}:${a}`, group: g, kind: a })),
      ),
    [wall],
  );
  // Sound only when a threshold is newly crossed, not on every refresh.
  useEffect(() => {
    const now = new Set(alerts.map((a) => a.key));
    if ([...now].some((k) => !alerting.current.has(k))) beep();
    alerting.current = now;
  }, [alerts]);

  const groupNames = wall?.groups.map((g) => g.name) ?? [];
  const queueOption: TChartOption = {
    tooltip: { trigger: 'axis' },
    legend: { top: 0, data: [t('routing.lane.risk'), t('routing.lane.vip'), t('routing.lane.normal')] },
    grid: { left: 40, right: 16, top: 36, bottom: 28 },
    xAxis: { type: 'category', data: groupNames },
    yAxis: { type: 'value', minInterval: 1 },
    series: (['risk', 'vip', 'normal'] as const).map((lane) => ({
      name: t(`routing.lane.${lane}`),
      type: 'bar',
      stack: 'queue',
      data: wall?.groups.map((g) => g.queuedByLane[lane] ?? 0) ?? [],
      itemStyle: { color: lane === 'risk' ? '#ff4d4f' : lane === 'vip' ? '#faad14' : '#1677ff' },
    })),
  };
  const states: TDerivedAgentState[] = ['online', 'busy', 'paused', 'away', 'offline'];
  const agentOption: TChartOption = {
    tooltip: { trigger: 'axis' },
    grid: { left: 40, right: 16, top: 16, bottom: 28 },
    xAxis: { type: 'category', data: states.map((s) => t(`routing.state.${s}`)) },
    yAxis: { type: 'value', minInterval: 1 },
    series: [
      {
        type: 'bar',
        data: states.map((s) => ({
          value: wall?.agents.filter((a) => a.state === s).length ?? 0,
          itemStyle: { color: STATE_COLORS[s] },
        })),
      },
    ],
  };
  const slOption: TChartOption = {
    tooltip: { trigger: 'axis' },
    legend: { top: 0, data: [t('routing.sl15'), t('routing.sl60')] },
    grid: { left: 40, right: 16, top: 36, bottom: 28 },
    xAxis: { type: 'category', data: groupNames },
    yAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } },
    series: (['serviceLevel15', 'serviceLevel60'] as const).map((k) => ({
      name: t(k === 'serviceLevel15' ? 'routing.sl15' : 'routing.sl60'),
      type: 'bar',
      data: wall?.groups.map((g) => (g[k] === null ? 0 : Math.round((g[k] ?? 0) * 100))) ?? [],
    })),
  };

  const agentColumns: TableColumnsType<TSnapshotAgent> = [
    { title: t('common.name'), dataIndex: 'name' },
    {
      title: t('routing.state'),
      render: (_, a) => <Tag color={STATE_COLORS[a.state]}>{t(`routing.state.${a.state}`)}</Tag>,
    },
    { title: t('routing.load'), render: (_, a) => `${a.active} / ${a.cap}` },
  ];
  const waitingColumns: TableColumnsType<TSnapshotWaiting> = [
    { title: t('routing.customer'), dataIndex: 'customerName' },
    { title: t('routing.agent'), dataIndex: 'agentName' },
    {
      title: t('routing.waiting'),
      render: (_, w) => (
        <Typography.Text type={w.waitingSeconds > 60 ? 'danger' : undefined}>
          {formatWait(language, w.waitingSeconds)}
        </Typography.Text>
      ),
    },
  ];

  return (
    <div className="pd-page" data-testid="wall-page">
      <div className="pd-page__header">
        <Typography.Title level={4} className="pd-page__title">
          {t('routing.wall.title')}
        </Typography.Title>
        <Link to="/leave-messages" data-testid="wall-open-leave-messages">
          <Statistic
            title={t('routing.wall.openLeaveMessages')}
            value={wall?.openLeaveMessages ?? 0}
            valueStyle={wall?.openLeaveMessages ? { color: '#d46b08' } : undefined}
          />
        </Link>
        <Typography.Text type="secondary">
          {wall?.estimateErrorSeconds !== null && wall?.estimateErrorSeconds !== undefined
            ? t('routing.wall.estimateError', { error: wall.estimateErrorSeconds, n: wall.estimateSamples })
            : ''}
        </Typography.Text>
      </div>
      {wall?.drill ? (
        <Alert
          type="info"
          showIcon
          data-testid="wall-drill"
          style={{ marginTop: 8 }}
          message={t('routing.wall.drill', {
            name: wall.drill.name,
            speed: wall.drill.speed,
            status: t(`routing.wall.drillStatus.${wall.drill.status}`),
            sl: pct(wall.drill.serviceLevel),
            target: wall.drill.targetSeconds,
            queued: wall.drill.queued,
          })}
        />
      ) : null}
      {alerts.map((a) => (
        <Alert
          key={a.key}
          type="error"
          showIcon
          banner
          data-testid="wall-alert"
          data-alert={a.kind}
          message={
            a.kind === 'no_agents'
              ? t('routing.alert.noAgents', { group: a.group.name, value: a.group.queueLength })
              : a.kind === 'wait'
                ? t('routing.alert.wait', {
                    group: a.group.name,
                    value: formatWait(language, a.group.longestWaitSeconds),
                    target: formatWait(language, a.group.waitAlertSeconds),
                  })
                : t('routing.alert.queue', { group: a.group.name, value: a.group.queueLength })
          }
        />
      ))}
      {!wall ? (
        <Empty />
      ) : (
        <>
          <Row gutter={[12, 12]} style={{ marginTop: 12 }}>
            {wall.groups.map((g) => (
              <Col key={g.groupId} xs={24} md={12} xl={6}>
                <Card
                  size="small"
                  title={g.name}
                  extra={
                    g.isOpen ? null : (
                      <Tag>
                        {t('routing.closed')}
                        {g.afterHoursOffers > 0
                          ? ` · ${t('routing.afterHoursOffers', { n: g.afterHoursOffers })}`
                          : ''}
                      </Tag>
                    )
                  }
                  data-testid="wall-group"
                >
                  <Row gutter={8}>
                    <Col span={12}>
                      <Statistic
                        title={t('routing.queueLength')}
                        value={g.queueLength}
                        valueStyle={g.alerts.includes('queue_length') ? { color: '#cf1322' } : undefined}
                      />
                    </Col>
                    <Col span={12}>
                      <Statistic
                        title={t('routing.longestWait')}
                        value={formatWait(language, g.longestWaitSeconds)}
                        valueStyle={g.alerts.includes('wait') ? { color: '#cf1322' } : undefined}
                      />
                    </Col>
                    <Col span={12}>
                      <Statistic
                        title={t('routing.slWithin', { s: g.serviceLevelSeconds })}
                        value={`${pct(g.serviceLevel15)} / ${pct(g.serviceLevel60)}`}
                      />
                    </Col>
                    <Col span={12}>
                      <Statistic
                        title={t('routing.agentsFree')}
                        value={`${g.agentsOnline} / ${g.freeSlots}`}
                      />
                    </Col>
                  </Row>
                </Card>
              </Col>
            ))}
          </Row>
          <Row gutter={[12, 12]} style={{ marginTop: 12 }}>
            <Col xs={24} xl={8}>
              <Card size="small" title={t('routing.chart.queue')}>
                <EChart option={queueOption} height={240} testId="wall-queue-chart" />
              </Card>
            </Col>
            <Col xs={24} xl={8}>
              <Card size="small" title={t('routing.chart.sl')}>
                <EChart option={slOption} height={240} />
              </Card>
            </Col>
            <Col xs={24} xl={8}>
              <Card size="small" title={t('routing.chart.agents')}>
                <EChart option={agentOption} height={240} />
              </Card>
            </Col>
          </Row>
          <Row gutter={[12, 12]} style={{ marginTop: 12 }}>
            <Col xs={24} xl={12}>
              <Card size="small" title={t('routing.agentsTable')}>
                <Table<TSnapshotAgent>
                  rowKey="id"
                  size="small"
                  columns={agentColumns}
                  dataSource={wall.agents}
                  pagination={false}
                />
              </Card>
            </Col>
            <Col xs={24} xl={12}>
              <Card size="small" title={t('routing.waitingForReply')}>
                <Table<TSnapshotWaiting>
                  rowKey="conversationId"
                  size="small"
                  columns={waitingColumns}
                  dataSource={wall.waitingForReply}
                  pagination={false}
                />
              </Card>
            </Col>
          </Row>
        </>
      )}
    </div>
  );
}

type TSnapshotAgent = TWallSnapshot['agents'][number];
type TSnapshotWaiting = TWallSnapshot['waitingForReply'][number];
