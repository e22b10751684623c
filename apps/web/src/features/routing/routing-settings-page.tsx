import type {
  TGroupRouting,
  TLane,
  TRoutingRule,
  TRuleConditions,
  TUpdateGroupRoutingRequest,
} from '@peakdesk/contracts';
import {
  App,
  Button,
  Form,
  Input,
  InputNumber,
  Modal,
  Popconfirm,
  Select,
  Space,
  Switch,
  Table,
  type TableColumnsType,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { applyFieldError, errorMessage } from '../../lib/form-errors.ts';
import { useI18n } from '../../lib/i18n.ts';
import { adminApi, type TAdminStore } from '../admin/admin-api.ts';
import { hoursToText, type THoursText, textToHours } from './business-hours-text.ts';
import { routingApi } from './routing-api.ts';

const LANE_COLORS: Record<TLane, string> = { normal: 'default', vip: 'gold', risk: 'red' };
const GROUP_FIELDS = [
  'strategy',
  'stickyDays',
  'maxWaitSeconds',
  'overflowAction',
  'overflowGroupId',
  'noReplySeconds',
  'pauseAfterMisses',
  'serviceLevelSeconds',
  'alertQueueLength',
  'alertWaitSeconds',
  'timezone',
  'afterHoursAction',
  'afterHoursGroupId',
] as const;

type TGroupForm = Omit<TGroupRouting, 'groupId' | 'name' | 'businessHours'> & {
  hasHours: boolean;
  hours: THoursText;
};
type TTri = 'any' | 'yes' | 'no';
type TRuleForm = {
  name: string;
  storeId: string;
  position: number;
  enabled: boolean;
  groupId: string | null;
  lane: TLane;
  entries: TRuleConditions['entries'];
  tiers: TRuleConditions['tiers'];
  buyerIds: string[];
  keywords: string[];
  hasOpenTicket: TTri;
  riskFlag: TTri;
};

const tri = (v: boolean | undefined): TTri => (v === undefined ? 'any' : v ? 'yes' : 'no');
const fromTri = (v: TTri): boolean | undefined => (v === 'any' ? undefined : v === 'yes');
const nonEmpty = <T,>(a: T[] | undefined) => (a && a.length > 0 ? a : undefined);

function GroupSettings() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [groups, setGroups] = useState<TGroupRouting[]>([]);
  const [editing, setEditing] = useState<TGroupRouting | null>(null);
  const [form] = Form.useForm<TGroupForm>();
  const [isSaving, setIsSaving] = useState(false);
  const load = useCallback(
    () => routingApi.listGroups().then(setGroups, (e: unknown) => message.error(errorMessage(e, ''))),
    [message],
  );
  useEffect(() => {
    void load();
  }, [load]);
  useEffect(() => {
    if (!editing) return;
    const { groupId: _id, name: _name, businessHours, ...rest } = editing;
    form.setFieldsValue({ ...rest, hasHours: businessHours !== null, hours: hoursToText(businessHours) });
  }, [editing, form]);

  const submit = async () => {
    if (!editing) return;
    const v = await form.validateFields();
    const { hasHours, hours, ...rest } = v;
    const body: TUpdateGroupRoutingRequest = { ...rest, businessHours: hasHours ? textToHours(hours) : null };
    setIsSaving(true);
    try {
      await routingApi.updateGroup(editing.groupId, body);
      message.success(t('common.saved'));
      setEditing(null);
      await load();
    } catch (error) {
      if (!applyFieldError(form, error, GROUP_FIELDS))
        message.error(errorMessage(error, t('common.requestFailed')));
    } finally {
      setIsSaving(false);
    }
  };

  const groupOptions = (except?: string) =>
    groups.filter((g) => g.groupId !== except).map((g) => ({ value: g.groupId, label: g.name }));
  const hasHours = Form.useWatch('hasHours', form);
  const overflowAction = Form.useWatch('overflowAction', form);
  const afterHoursAction = Form.useWatch('afterHoursAction', form);
  const seconds = (v: number | null) => (v === null ? t('routing.off') : `${v}s`);

  const columns: TableColumnsType<TGroupRouting> = [
    { title: t('common.name'), dataIndex: 'name' },
    { title: t('routing.strategy'), render: (_, g) => t(`routing.strategy.${g.strategy}`) },
    { title: t('routing.maxWait'), render: (_, g) => seconds(g.maxWaitSeconds) },
    { title: t('routing.overflow'), render: (_, g) => t(`routing.overflow.${g.overflowAction}`) },
    { title: t('routing.noReply'), render: (_, g) => seconds(g.noReplySeconds) },
    {
      title: t('routing.hours'),
      render: (_, g) => (g.businessHours ? t('routing.hours.custom') : t('routing.hours.always')),
    },
    {
      title: t('common.actions'),
      width: 90,
      render: (_, g) => (
        <Button type="link" size="small" onClick={() => setEditing(g)} data-testid="routing-group-edit">
          {t('common.edit')}
        </Button>
      ),
    },
  ];
  const weekdays = [0, 1, 2, 3, 4, 5, 6] as const;

  return (
    <>
      <Table<TGroupRouting> rowKey="groupId" columns={columns} dataSource={groups} pagination={false} />
      <Modal
        open={editing !== null}
        title={`${t('routing.groupSettings')} · ${editing?.name ?? ''}`}
        okText={t('common.save')}
        cancelText={t('common.cancel')}
        confirmLoading={isSaving}
        onOk={submit}
        onCancel={() => setEditing(null)}
        width={720}
        forceRender
      >
        <Form form={form} layout="vertical" className="pd-routing-form">
          <Space wrap align="start">
            <Form.Item name="strategy" label={t('routing.strategy')}>
              <Select
                style={{ width: 200 }}
                options={(['least_busy', 'sticky', 'round_robin'] as const).map((s) => ({
                  value: s,
                  label: t(`routing.strategy.${s}`),
                }))}
              />
            </Form.Item>
            <Form.Item name="stickyDays" label={t('routing.stickyDays')}>
              <InputNumber min={1} max={365} precision={0} />
            </Form.Item>
            <Form.Item name="serviceLevelSeconds" label={t('routing.slSeconds')}>
              <InputNumber min={1} max={3600} precision={0} />
            </Form.Item>
          </Space>
          <Space wrap align="start">
            <Form.Item name="maxWaitSeconds" label={t('routing.maxWait')} tooltip={t('routing.emptyIsOff')}>
              <InputNumber min={1} max={86400} precision={0} />
            </Form.Item>
            <Form.Item name="overflowAction" label={t('routing.overflow')}>
              <Select
                data-testid="routing-overflow-action"
                style={{ width: 180 }}
                options={(['none', 'reserve_group', 'leave_message', 'bot'] as const).map((s) => ({
                  value: s,
                  label: t(`routing.overflow.${s}`),
                }))}
              />
            </Form.Item>
            {overflowAction === 'reserve_group' && (
              <Form.Item name="overflowGroupId" label={t('routing.reserveGroup')}>
                <Select style={{ width: 180 }} options={groupOptions(editing?.groupId)} />
              </Form.Item>
            )}
          </Space>
          <Space wrap align="start">
            <Form.Item name="noReplySeconds" label={t('routing.noReply')} tooltip={t('routing.emptyIsOff')}>
              <InputNumber min={1} max={86400} precision={0} />
            </Form.Item>
            <Form.Item
              name="pauseAfterMisses"
              label={t('routing.pauseAfter')}
              tooltip={t('routing.emptyIsOff')}
            >
              <InputNumber min={1} max={100} precision={0} />
            </Form.Item>
            <Form.Item name="alertQueueLength" label={t('routing.alertQueue')}>
              <InputNumber min={1} precision={0} />
            </Form.Item>
            <Form.Item name="alertWaitSeconds" label={t('routing.alertWait')}>
              <InputNumber min={1} precision={0} />
            </Form.Item>
          </Space>
          <Space wrap align="start">
            <Form.Item name="timezone" label={t('routing.timezone')}>
              <Input style={{ width: 180 }} />
            </Form.Item>
            <Form.Item name="hasHours" label={t('routing.hours.custom')} valuePropName="checked">
              <Switch />
            </Form.Item>
            <Form.Item name="afterHoursAction" label={t('routing.afterHours')}>
              <Select
                style={{ width: 180 }}
                options={(['queue', 'group', 'leave_message', 'bot'] as const).map((s) => ({
                  value: s,
                  label: t(`routing.afterHours.${s}`),
                }))}
              />
            </Form.Item>
            {afterHoursAction === 'group' && (
              <Form.Item name="afterHoursGroupId" label={t('routing.afterHoursGroup')}>
                <Select style={{ width: 180 }} options={groupOptions(editing?.groupId)} />
              </Form.Item>
            )}
          </Space>
          {hasHours && (
            <>
              <Typography.Paragraph type="secondary">{t('routing.hours.help')}</Typography.Paragraph>
              {weekdays.map((d) => (
                <Form.Item key={d} name={['hours', 'weekly', d]} label={t(`routing.weekday.${d}`)}>
                  <Input placeholder="09:00-12:00, 13:30-18:00" />
                </Form.Item>
              ))}
              <Form.Item name={['hours', 'holidays']} label={t('routing.holidays')}>
                <Input placeholder="2025-10-01, 2025-10-02" />
              </Form.Item>
              <Form.Item name={['hours', 'specialDays']} label={t('routing.specialDays')}>
                <Input.TextArea rows={3} placeholder="2025-11-11 00:00-24:00" />
              </Form.Item>
            </>
          )}
        </Form>
      </Modal>
    </>
  );
}

function RuleSettings() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [rules, setRules] = useState<TRoutingRule[]>([]);
  const [stores, setStores] = useState<TAdminStore[]>([]);
  const [groups, setGroups] = useState<TGroupRouting[]>([]);
  const [editing, setEditing] = useState<TRoutingRule | null | undefined>(undefined);
  const [form] = Form.useForm<TRuleForm>();
  const load = useCallback(async () => {
    try {
      const [r, s, g] = await Promise.all([
        routingApi.listRules(),
        adminApi.listStores(),
        routingApi.listGroups(),
      ]);
      setRules(r);
      setStores(s);
      setGroups(g);
    } catch (error) {
      message.error(errorMessage(error, t('common.requestFailed')));
    }
  }, [message, t]);
  useEffect(() => {
    void load();
  }, [load]);
  useEffect(() => {
    if (editing === undefined) return;
    const c = editing?.conditions ?? {};
    form.setFieldsValue({
      name: editing?.name ?? '',
      storeId: editing?.storeId ?? stores[0]?.id ?? '',
      position: editing?.position ?? (rules.at(-1)?.position ?? 0) + 10,
      enabled: editing?.enabled ?? true,
      groupId: editing?.groupId ?? null,
      lane: editing?.lane ?? 'normal',
      entries: c.entries ?? [],
      tiers: c.tiers ?? [],
      buyerIds: c.buyerIds ?? [],
      keywords: c.keywords ?? [],
      hasOpenTicket: tri(c.hasOpenTicket),
      riskFlag: tri(c.riskFlag),
    });
  }, [editing, form, stores, rules]);

  const submit = async () => {
    const v = await form.validateFields();
    const conditions: TRuleConditions = {
      entries: nonEmpty(v.entries),
      tiers: nonEmpty(v.tiers),
      buyerIds: nonEmpty(v.buyerIds),
      keywords: nonEmpty(v.keywords),
      hasOpenTicket: fromTri(v.hasOpenTicket),
      riskFlag: fromTri(v.riskFlag),
    };
    for (const k of Object.keys(conditions) as (keyof TRuleConditions)[])
      if (conditions[k] === undefined) delete conditions[k];
    const body = {
      name: v.name,
      position: v.position,
      enabled: v.enabled,
      groupId: v.groupId ?? null,
      lane: v.lane,
      conditions,
    };
    try {
      if (editing) await routingApi.updateRule(editing.id, body);
      else await routingApi.createRule({ ...body, storeId: v.storeId });
      message.success(t('common.saved'));
      setEditing(undefined);
      await load();
    } catch (error) {
      if (!applyFieldError(form, error, ['name', 'storeId', 'position', 'groupId', 'lane']))
        message.error(errorMessage(error, t('common.requestFailed')));
    }
  };
  const remove = async (r: TRoutingRule) => {
    await routingApi.deleteRule(r.id).catch((e: unknown) => message.error(errorMessage(e, '')));
    await load();
  };

  const storeName = (id: string) => stores.find((s) => s.id === id)?.name ?? id;
  const groupName = (id: string | null) =>
    id ? (groups.find((g) => g.groupId === id)?.name ?? id) : t('routing.storeDefault');
  const describe = (c: TRuleConditions) =>
    [
      c.entries && `${t('routing.cond.entries')}: ${c.entries.map((e) => t(`routing.entry.${e}`)).join('/')}`,
      c.tiers && `${t('routing.cond.tiers')}: ${c.tiers.join('/')}`,
      c.buyerIds && `${t('routing.cond.buyerIds')}: ${c.buyerIds.length}`,
      c.keywords && `${t('routing.cond.keywords')}: ${c.keywords.join('、')}`,
      c.hasOpenTicket !== undefined &&
        `${t('routing.cond.openTicket')}: ${c.hasOpenTicket ? t('common.yes') : t('common.no')}`,
      c.riskFlag !== undefined &&
        `${t('routing.cond.risk')}: ${c.riskFlag ? t('common.yes') : t('common.no')}`,
    ]
      .filter(Boolean)
      .join('；') || t('routing.cond.all');

  const columns: TableColumnsType<TRoutingRule> = [
    { title: t('routing.position'), dataIndex: 'position', width: 70 },
    { title: t('common.name'), dataIndex: 'name' },
    { title: t('routing.store'), render: (_, r) => storeName(r.storeId) },
    { title: t('routing.conditions'), render: (_, r) => describe(r.conditions) },
    { title: t('routing.group'), render: (_, r) => groupName(r.groupId) },
    {
      title: t('routing.lane'),
      render: (_, r) => <Tag color={LANE_COLORS[r.lane]}>{t(`routing.lane.${r.lane}`)}</Tag>,
    },
    {
      title: t('routing.enabled'),
      render: (_, r) => (r.enabled ? t('common.yes') : t('common.no')),
      width: 70,
    },
    {
      title: t('common.actions'),
      width: 140,
      render: (_, r) => (
        <Space>
          <Button type="link" size="small" onClick={() => setEditing(r)}>
            {t('common.edit')}
          </Button>
          <Popconfirm title={t('common.confirmDelete')} onConfirm={() => remove(r)}>
            <Button type="link" size="small" danger>
              {t('common.delete')}
            </Button>
          </Popconfirm>
        </Space>
      ),
    },
  ];

  return (
    <>
      <div className="pd-page__header">
        <Typography.Text type="secondary">{t('routing.rules.help')}</Typography.Text>
        <Button type="primary" onClick={() => setEditing(null)} data-testid="routing-rule-new">
          {t('routing.rules.new')}
        </Button>
      </div>
      <Table<TRoutingRule> rowKey="id" columns={columns} dataSource={rules} pagination={false} />
      <Modal
        open={editing !== undefined}
        title={t(editing ? 'routing.rules.edit' : 'routing.rules.new')}
        okText={t('common.save')}
        cancelText={t('common.cancel')}
        onOk={submit}
        onCancel={() => setEditing(undefined)}
        width={640}
        forceRender
      >
        <Form form={form} layout="vertical">
          <Space wrap align="start">
            <Form.Item
              name="name"
              label={t('common.name')}
              rules={[{ required: true, message: t('common.required') }]}
            >
              <Input maxLength={100} style={{ width: 220 }} />
            </Form.Item>
            <Form.Item name="storeId" label={t('routing.store')}>
              <Select
                style={{ width: 220 }}
                disabled={Boolean(editing)}
                options={stores.map((s) => ({ value: s.id, label: s.name }))}
              />
            </Form.Item>
            <Form.Item name="position" label={t('routing.position')}>
              <InputNumber min={0} max={10000} precision={0} />
            </Form.Item>
            <Form.Item name="enabled" label={t('routing.enabled')} valuePropName="checked">
              <Switch />
            </Form.Item>
          </Space>
          <Space wrap align="start">
            <Form.Item name="groupId" label={t('routing.group')}>
              <Select
                style={{ width: 220 }}
                options={[
                  { value: null, label: t('routing.storeDefault') },
                  ...groups.map((g) => ({ value: g.groupId, label: g.name })),
                ]}
              />
            </Form.Item>
            <Form.Item name="lane" label={t('routing.lane')}>
              <Select
                style={{ width: 160 }}
                options={(['normal', 'vip', 'risk'] as const).map((l) => ({
                  value: l,
                  label: t(`routing.lane.${l}`),
                }))}
              />
            </Form.Item>
          </Space>
          <Typography.Title level={5}>{t('routing.conditions')}</Typography.Title>
          <Form.Item name="entries" label={t('routing.cond.entries')}>
            <Select
              mode="multiple"
              options={(['store_page', 'order_page', 'product_page'] as const).map((e) => ({
                value: e,
                label: t(`routing.entry.${e}`),
              }))}
            />
          </Form.Item>
          <Form.Item name="tiers" label={t('routing.cond.tiers')}>
            <Select
              mode="multiple"
              options={[
                { value: 'vip', label: 'VIP' },
                { value: 'normal', label: t('routing.lane.normal') },
              ]}
            />
          </Form.Item>
          <Form.Item name="buyerIds" label={t('routing.cond.buyerIds')}>
            <Select mode="tags" tokenSeparators={[',', '，', ' ']} />
          </Form.Item>
          <Form.Item name="keywords" label={t('routing.cond.keywords')}>
            <Select mode="tags" tokenSeparators={[',', '，']} />
          </Form.Item>
          <Space wrap>
            {(['hasOpenTicket', 'riskFlag'] as const).map((k) => (
              <Form.Item
                key={k}
                name={k}
                label={t(k === 'hasOpenTicket' ? 'routing.cond.openTicket' : 'routing.cond.risk')}
              >
                <Select
                  style={{ width: 140 }}
                  options={(['any', 'yes', 'no'] as const).map((v) => ({
                    value: v,
                    label: t(`routing.tri.${v}`),
                  }))}
                />
              </Form.Item>
            ))}
          </Space>
        </Form>
      </Modal>
    </>
  );
}

/** Admin: entry rules per store and routing settings per skill group. */
export function RoutingSettingsPage() {
  const { t } = useI18n();
  return (
    <div className="pd-page">
      <div className="pd-page__header">
        <Typography.Title level={4} className="pd-page__title">
          {t('routing.title')}
        </Typography.Title>
      </div>
      <Tabs
        items={[
          { key: 'groups', label: t('routing.tab.groups'), children: <GroupSettings /> },
          { key: 'rules', label: t('routing.tab.rules'), children: <RuleSettings /> },
        ]}
      />
    </div>
  );
}
