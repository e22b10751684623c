import { type TDrillRun, type TStartDrillRunRequest, ZDrillRun } from '@peakdesk/contracts';
import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Form,
  InputNumber,
  Progress,
  Select,
  Space,
  Statistic,
  Table,
  Tag,
  TimePicker,
} from 'antd';
import dayjs from 'dayjs';
import { useCallback, useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { z } from 'zod';
import { api } from '../../lib/api-client.ts';
import { errorMessage } from '../../lib/form-errors.ts';
import { formatDateTime, useI18n } from '../../lib/i18n.ts';

type TForm = {
  profile: 'double11' | 'normal';
  speed: number;
  window: [dayjs.Dayjs, dayjs.Dayjs];
  dailyVolume: number;
  agents: number;
  concurrency: number;
};

const statusColor: Record<TDrillRun['status'], string> = {
  running: 'processing',
  finished: 'success',
  failed: 'error',
};

/** Start a promotion drill (simulated customers and agents in a drill organisation) and watch it run. */
export function DrillsPage() {
  const { t, language } = useI18n();
  const { message } = App.useApp();
  const [runs, setRuns] = useState<TDrillRun[]>([]);
  const [isStarting, setIsStarting] = useState(false);
  // The drill supervisor's password comes only in the answer to "start" (it is never stored).
  const [passwords, setPasswords] = useState<Record<string, string>>({});
  const [form] = Form.useForm<TForm>();

  const load = useCallback(() => {
    api
      .get('/api/drills/runs', z.array(ZDrillRun))
      .then(setRuns, (e: unknown) => message.error(errorMessage(e, t('common.requestFailed'))));
  }, [message, t]);
  useEffect(() => {
    load();
    const timer = setInterval(load, 2000);
    return () => clearInterval(timer);
  }, [load]);

  const start = async (values: TForm) => {
    setIsStarting(true);
    try {
      const body: TStartDrillRunRequest = {
        name: t('drills.defaultName'),
        profile: values.profile,
        speed: values.speed,
        from: values.window[0].format('HH:mm'),
        to: values.window[1].format('HH:mm'),
        dailyVolume: values.dailyVolume,
        agents: values.agents,
        concurrency: values.concurrency,
      };
      const run = await api.post('/api/drills/runs', body, ZDrillRun);
      const password = run.supervisor.password;
      if (password) setPasswords((p) => ({ ...p, [run.id]: password }));
      message.success(t('drills.started'));
      load();
    } catch (e) {
      message.error(errorMessage(e, t('common.requestFailed')));
    } finally {
      setIsStarting(false);
    }
  };

  const current = runs.find((r) => r.status === 'running') ?? runs.at(-1);
  const p = current?.progress;
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }} data-testid="drills-page">
      <Card title={t('drills.title')}>
        <Alert type="info" showIcon message={t('drills.explain')} style={{ marginBottom: 16 }} />
        <Form<TForm>
          form={form}
          layout="inline"
          onFinish={start}
          initialValues={{
            profile: 'double11',
            speed: 60,
            window: [dayjs('2026-11-11T00:00'), dayjs('2026-11-11T00:30')],
            dailyVolume: 3000,
            agents: 8,
            concurrency: 5,
          }}
        >
          <Form.Item name="profile" label={t('drills.profile')}>
            <Select
              style={{ width: 140 }}
              options={[
                { value: 'double11', label: t('drills.profile.double11') },
                { value: 'normal', label: t('drills.profile.normal') },
              ]}
            />
          </Form.Item>
          <Form.Item name="window" label={t('drills.window')}>
            <TimePicker.RangePicker format="HH:mm" minuteStep={5} />
          </Form.Item>
          <Form.Item name="speed" label={t('drills.speed')}>
            <InputNumber min={1} max={1000} data-testid="drill-speed" />
          </Form.Item>
          <Form.Item name="dailyVolume" label={t('drills.dailyVolume')}>
            <InputNumber min={1} max={1000000} />
          </Form.Item>
          <Form.Item name="agents" label={t('drills.agents')}>
            <InputNumber min={1} max={200} />
          </Form.Item>
          <Form.Item name="concurrency" label={t('drills.concurrency')}>
            <InputNumber min={1} max={20} />
          </Form.Item>
          <Form.Item>
            <Button type="primary" htmlType="submit" loading={isStarting} data-testid="drill-start">
              {t('drills.start')}
            </Button>
          </Form.Item>
        </Form>
      </Card>

      {current && (
        <Card
          title={
            <Space>
              {t('drills.current')}
              <Tag
                color={statusColor[current.status]}
                data-testid="drill-status"
                data-status={current.status}
              >
                {t(`drills.status.${current.status}`)}
              </Tag>
            </Space>
          }
          extra={
            <Space>
              <Link to={`/wall?org=${current.drillOrgId}`} data-testid="drill-wall-link">
                {t('drills.watchWall')}
              </Link>
              {current.status === 'finished' && (
                <a href={`/api/drills/runs/${current.id}/report`} target="_blank" rel="noreferrer noopener">
                  {t('drills.report')}
                </a>
              )}
            </Space>
          }
        >
          <Descriptions size="small" column={2}>
            <Descriptions.Item label={t('drills.supervisorLogin')}>
              {current.supervisor.email} /{' '}
              {passwords[current.id] ?? current.supervisor.password ?? t('drills.passwordShownOnce')}
            </Descriptions.Item>
            <Descriptions.Item label={t('drills.startedAt')}>
              {formatDateTime(language, current.startedAt)}
            </Descriptions.Item>
          </Descriptions>
          {p && (
            <Space size="large" wrap style={{ marginTop: 12 }}>
              <Progress
                type="circle"
                size={80}
                percent={p.planned ? Math.round((p.arrived / p.planned) * 100) : 0}
              />
              <Statistic title={t('drills.simTime')} value={p.simTime} />
              <Statistic title={t('drills.arrived')} value={`${p.arrived}/${p.planned}`} />
              <Statistic title={t('drills.waiting')} value={p.waitingForAgent} />
              <Statistic title={t('drills.rate')} value={p.messagesPerSecond} suffix="msg/s" />
              <Statistic
                title={t('drills.serviceLevel')}
                value={Math.round(p.serviceLevel * 100)}
                suffix="%"
              />
            </Space>
          )}
          {current.summary && (
            <Space size="large" wrap style={{ marginTop: 12 }} data-testid="drill-summary">
              <Statistic title={t('drills.conversations')} value={current.summary.conversations} />
              <Statistic title={t('drills.messages')} value={current.summary.messages} />
              <Statistic
                title={t('drills.botShare')}
                value={Math.round(current.summary.botResolvedShare * 100)}
                suffix="%"
              />
              <Statistic title={t('drills.handedOff')} value={current.summary.handedOff} />
              <Statistic
                title={t('drills.serviceLevel')}
                value={Math.round(current.summary.serviceLevel * 100)}
                suffix="%"
              />
              <Statistic title={t('drills.avgWait')} value={current.summary.avgWaitSeconds} suffix="s" />
              <Statistic title={t('drills.abandoned')} value={current.summary.abandoned} />
              <Statistic
                title={t('drills.lost')}
                value={current.summary.lost}
                valueStyle={{ color: current.summary.lost ? '#cf1322' : undefined }}
              />
              <Statistic
                title={t('drills.duplicated')}
                value={current.summary.duplicated}
                valueStyle={{ color: current.summary.duplicated ? '#cf1322' : undefined }}
              />
            </Space>
          )}
          {current.error && <Alert type="error" message={current.error} style={{ marginTop: 12 }} />}
        </Card>
      )}

      <Card title={t('drills.history')}>
        <Table<TDrillRun>
          rowKey="id"
          size="small"
          dataSource={[...runs].reverse()}
          pagination={false}
          columns={[
            {
              title: t('drills.startedAt'),
              dataIndex: 'startedAt',
              render: (v: string) => formatDateTime(language, v),
            },
            { title: t('drills.window'), render: (_, r) => `${r.settings.from}–${r.settings.to}` },
            {
              title: t('drills.status'),
              render: (_, r) => <Tag color={statusColor[r.status]}>{t(`drills.status.${r.status}`)}</Tag>,
            },
            { title: t('drills.conversations'), render: (_, r) => r.summary?.conversations ?? '—' },
            {
              title: t('drills.serviceLevel'),
              render: (_, r) => (r.summary ? `${Math.round(r.summary.serviceLevel * 100)}%` : '—'),
            },
            { title: t('drills.lost'), render: (_, r) => r.summary?.lost ?? '—' },
          ]}
        />
      </Card>
    </Space>
  );
}
