import type { TPlan, TPlanSettings, TSkillGroup, TStore, TVolumeHistory } from '@peakdesk/contracts';
import {
  Alert,
  App,
  Button,
  Card,
  Form,
  Input,
  InputNumber,
  Select,
  Space,
  Table,
  type TableColumnsType,
  Tag,
  Typography,
  Upload,
} from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { applyFieldError, errorMessage, validateForm } from '../../lib/form-errors.ts';
import { formatDateTime, useI18n } from '../../lib/i18n.ts';
import { SettingsFieldErrorsProvider, useSettingsFieldErrors } from './settings-field.tsx';
import { PeakWindowsEditor, ShiftSettingsEditor } from './shift-settings-editor.tsx';
import { workforceApi } from './workforce-api.ts';

type TCreateForm = {
  name: string;
  date: string;
  history: string;
  storeId?: string;
  groupId?: string;
  upliftFactor: number;
  dailyAverage?: number;
  seedRatio: number;
};

const FACTS = 'facts';
/** No history: the seed formula from a daily average and last Double 11's ratio. */
const SEED = 'seed';

/** Histories, plans, and a promotion-day plan built from the template in one step. */
export function PlannerPage() {
  const { t, language } = useI18n();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [form] = Form.useForm<TCreateForm>();
  const [histories, setHistories] = useState<TVolumeHistory[]>([]);
  const [plans, setPlans] = useState<TPlan[]>([]);
  const [stores, setStores] = useState<TStore[]>([]);
  const [groups, setGroups] = useState<TSkillGroup[]>([]);
  const [isLoading, setIsLoading] = useState(true);
  const [isCreating, setIsCreating] = useState(false);
  // The template's shift types and peaks, edited before the first schedule is computed.
  const [templateSettings, setTemplateSettings] = useState<TPlanSettings | null>(null);
  const [shifts, setShifts] = useState<TPlanSettings['shifts'] | null>(null);
  const [peakWindows, setPeakWindows] = useState<TPlanSettings['peakWindows'] | null>(null);
  const fields = useSettingsFieldErrors();

  const load = useCallback(async () => {
    setIsLoading(true);
    try {
      const [h, p, s, g, template] = await Promise.all([
        workforceApi.listHistories(),
        workforceApi.listPlans(),
        workforceApi.listStores(),
        workforceApi.listGroups(),
        workforceApi.template(),
      ]);
      setHistories(h);
      setPlans(p);
      setStores(s);
      setGroups(g);
      setTemplateSettings(template.settings);
      setShifts((current) => current ?? template.settings.shifts);
      setPeakWindows((current) => current ?? template.settings.peakWindows);
      if (!form.getFieldValue('date')) {
        form.setFieldsValue({
          name: template.name,
          date: template.settings.dates[0] ?? '',
          // With no history the guided default is the seed formula (it needs only two numbers).
          history: h[0]?.id ?? SEED,
          upliftFactor: 1,
          seedRatio: template.settings.forecast.seedRatio,
        });
      }
    } catch (error) {
      message.error(errorMessage(error, t('common.requestFailed')));
    } finally {
      setIsLoading(false);
    }
  }, [form, message, t]);

  useEffect(() => {
    void load();
  }, [load]);

  const upload = async (file: File) => {
    try {
      const history = await workforceApi.importHistory(file);
      setHistories((prev) => [history, ...prev]);
      form.setFieldsValue({ history: history.id });
      message.success(t('wf.history.imported', { count: history.pointCount }));
    } catch (error) {
      message.error(errorMessage(error, t('common.requestFailed')));
    }
  };

  const create = async () => {
    const values = await validateForm(form);
    if (!values) return;
    setIsCreating(true);
    fields.clear();
    try {
      const template = await workforceApi.template(values.date);
      const { settings } = template;
      const plan = await workforceApi.createPlan({
        name: values.name,
        storeId: values.storeId ?? null,
        groupId: values.groupId ?? null,
        settings: {
          ...settings,
          history:
            values.history === FACTS
              ? { source: 'facts', weeks: 8 }
              : values.history === SEED
                ? { source: 'seed', dailyAverage: values.dailyAverage ?? 0 }
                : { source: 'import', historyId: values.history },
          forecast: { ...settings.forecast, upliftFactor: values.upliftFactor, seedRatio: values.seedRatio },
          shifts: shifts ?? settings.shifts,
          peakWindows: peakWindows ?? settings.peakWindows,
        },
      });
      message.success(t('wf.plan.created'));
      navigate(`/planner/${plan.id}`);
    } catch (error) {
      if (fields.show(error)) message.error(t('wf.settings.fixFields'));
      else if (!applyFieldError(form, error, ['name', 'storeId', 'groupId', 'history'])) {
        message.error(errorMessage(error, t('common.requestFailed')));
      }
    } finally {
      setIsCreating(false);
    }
  };

  const historyColumns: TableColumnsType<TVolumeHistory> = [
    { title: t('common.name'), dataIndex: 'name' },
    {
      title: t('wf.history.range'),
      render: (_, h) => `${h.firstAt.slice(0, 16)} — ${h.lastAt.slice(0, 16)}`,
    },
    { title: t('wf.history.points'), dataIndex: 'pointCount', width: 100 },
    { title: t('wf.history.total'), dataIndex: 'totalCount', width: 120 },
  ];
  const planColumns: TableColumnsType<TPlan> = [
    {
      title: t('common.name'),
      dataIndex: 'name',
      render: (name: string, p) => <Link to={`/planner/${p.id}`}>{name}</Link>,
    },
    { title: t('wf.plan.dates'), render: (_, p) => p.dates.join(', ') },
    {
      title: t('wf.plan.version'),
      width: 160,
      render: (_, p) => (
        <Space>
          <span>v{p.latestVersion}</span>
          {p.publishedVersion ? (
            <Tag color="green">{t('wf.plan.published', { v: p.publishedVersion })}</Tag>
          ) : null}
        </Space>
      ),
    },
    {
      title: t('common.createdAt'),
      dataIndex: 'updatedAt',
      render: (v: string) => formatDateTime(language, v),
    },
    {
      title: t('common.actions'),
      width: 160,
      render: (_, p) => (
        <Space>
          <Link to={`/planner/${p.id}`}>{t('wf.plan.open')}</Link>
          <Link to={`/planner/${p.id}/intraday`}>{t('wf.intraday.title')}</Link>
        </Space>
      ),
    },
  ];

  const historyChoice = Form.useWatch('history', form);
  const uploadButton = (testId: string, label: string) => (
    <Upload
      accept=".csv,.xlsx"
      showUploadList={false}
      beforeUpload={(file) => {
        void upload(file);
        return false;
      }}
    >
      <Button data-testid={testId}>{label}</Button>
    </Upload>
  );

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      {!isLoading && histories.length === 0 ? (
        <Alert
          type="info"
          showIcon
          message={t('wf.empty.title')}
          description={
            <Space direction="vertical">
              <span>{t('wf.empty.description')}</span>
              <Space>
                {uploadButton('empty-import', t('wf.history.import'))}
                <Button
                  type="primary"
                  onClick={() => form.setFieldsValue({ history: SEED })}
                  data-testid="empty-use-seed"
                >
                  {t('wf.empty.useSeed')}
                </Button>
              </Space>
            </Space>
          }
          data-testid="planner-empty"
        />
      ) : null}
      <Card title={t('wf.history.title')} extra={uploadButton('history-upload', t('wf.history.import'))}>
        <p>{t('wf.history.help')}</p>
        <Table
          rowKey="id"
          size="small"
          loading={isLoading}
          columns={historyColumns}
          dataSource={histories}
          pagination={{ pageSize: 5 }}
          data-testid="history-table"
        />
      </Card>
      <Card title={t('wf.plan.newPromotionDay')}>
        <p>{t('wf.plan.templateHelp')}</p>
        <Form form={form} layout="inline" style={{ rowGap: 12 }}>
          <Form.Item
            name="name"
            label={t('common.name')}
            rules={[{ required: true, message: t('common.required') }]}
          >
            <Input style={{ width: 200 }} data-testid="plan-name" />
          </Form.Item>
          <Form.Item
            name="date"
            label={t('wf.plan.date')}
            rules={[{ required: true, pattern: /^\d{4}-\d{2}-\d{2}$/, message: 'YYYY-MM-DD' }]}
          >
            <Input style={{ width: 130 }} placeholder="YYYY-MM-DD" data-testid="plan-date" />
          </Form.Item>
          <Form.Item name="history" label={t('wf.plan.history')} rules={[{ required: true }]}>
            <Select
              style={{ width: 220 }}
              data-testid="plan-history"
              options={[
                { value: FACTS, label: t('wf.plan.historyFacts') },
                { value: SEED, label: t('wf.plan.historySeed') },
                ...histories.map((h) => ({ value: h.id, label: h.name })),
              ]}
            />
          </Form.Item>
          {historyChoice === SEED ? (
            <Form.Item
              name="dailyAverage"
              label={t('wf.seed.dailyAverage')}
              rules={[{ required: true, message: t('common.required') }]}
            >
              <InputNumber min={1} max={10_000_000} style={{ width: 120 }} data-testid="seed-daily-average" />
            </Form.Item>
          ) : null}
          <Form.Item name="seedRatio" label={t('wf.seed.ratio')} tooltip={t('wf.seed.ratioHelp')}>
            <InputNumber min={0.1} max={100} step={0.1} style={{ width: 90 }} data-testid="seed-ratio" />
          </Form.Item>
          <Form.Item name="storeId" label={t('wf.plan.store')}>
            <Select
              allowClear
              style={{ width: 180 }}
              placeholder={t('common.all')}
              options={stores.map((s) => ({ value: s.id, label: s.name }))}
            />
          </Form.Item>
          <Form.Item name="groupId" label={t('wf.plan.group')}>
            <Select
              allowClear
              style={{ width: 140 }}
              placeholder={t('common.all')}
              options={groups.map((g) => ({ value: g.id, label: g.name }))}
            />
          </Form.Item>
          <Form.Item name="upliftFactor" label={t('wf.settings.uplift')}>
            <InputNumber min={0.1} max={20} step={0.1} style={{ width: 90 }} data-testid="plan-uplift" />
          </Form.Item>
          <Form.Item>
            <Button
              type="primary"
              loading={isCreating}
              onClick={() => void create()}
              data-testid="plan-create"
            >
              {t('wf.plan.build')}
            </Button>
          </Form.Item>
        </Form>
        {shifts && templateSettings ? (
          <SettingsFieldErrorsProvider value={fields.context}>
            <Form layout="vertical" component={false}>
              <Typography.Title level={5} style={{ marginTop: 16 }}>
                {t('wf.shifts.title')}
              </Typography.Title>
              <Typography.Paragraph type="secondary">{t('wf.shifts.help')}</Typography.Paragraph>
              <ShiftSettingsEditor
                shifts={shifts}
                intervalMinutes={templateSettings.intervalMinutes}
                onChange={(next, path) => {
                  setShifts(next);
                  fields.clear(path);
                }}
              />
              <Typography.Title level={5} style={{ marginTop: 16 }}>
                {t('wf.peaks.title')}
              </Typography.Title>
              <PeakWindowsEditor
                windows={peakWindows ?? []}
                defaults={templateSettings.peakWindows}
                onChange={(next, path) => {
                  setPeakWindows(next);
                  fields.clear(path);
                }}
              />
            </Form>
          </SettingsFieldErrorsProvider>
        ) : null}
      </Card>
      <Card title={t('wf.plan.list')}>
        <Table rowKey="id" size="small" loading={isLoading} columns={planColumns} dataSource={plans} />
      </Card>
    </Space>
  );
}
