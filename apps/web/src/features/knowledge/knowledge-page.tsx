import type { TBotSettings, TBotTryResult, TFaq, TFaqLink, TUnansweredQuestion } from '@peakdesk/contracts';
import {
  App,
  Button,
  Descriptions,
  Form,
  Input,
  InputNumber,
  Modal,
  Popconfirm,
  Select,
  Space,
  Switch,
  Table,
  Tabs,
  Tag,
  Typography,
  Upload,
} from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { errorMessage } from '../../lib/form-errors.ts';
import { formatDateTime, labelOf, useI18n } from '../../lib/i18n.ts';
import { adminApi, type TAdminStore } from '../admin/admin-api.ts';
import { useMe } from '../auth/session-context.tsx';
import { knowledgeApi } from './knowledge-api.ts';

/** Links become anchors only from parsed http(s) URLs; everything else stays text. */
function SafeLink({ link }: { link: TFaqLink }) {
  let href: string | null = null;
  try {
    const url = new URL(link.url);
    if (url.protocol === 'http:' || url.protocol === 'https:') href = url.href;
  } catch {
    href = null;
  }
  if (!href) return <span>{link.title || link.url}</span>;
  return (
    <a href={href} target="_blank" rel="noopener noreferrer">
      {link.title || href}
    </a>
  );
}

type TFaqForm = {
  id?: string;
  category: string;
  question: string;
  similar: string;
  answer: string;
  links: string;
  storeId: string | null;
  validFrom: string;
  validTo: string;
  enabled: boolean;
};

const lines = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

/**
 * Which stores an entry can be written for: entries for every store change what each store's bot
 * answers, so only organisation-wide admins write them (the server refuses the rest).
 */
function useStoreChoices(stores: TAdminStore[]) {
  const { t } = useI18n();
  const isOrgWide = useMe().user.role === 'admin';
  const options = [
    ...(isOrgWide ? [{ value: null as string | null, label: t('kb.faq.allStores') }] : []),
    ...stores.map((s) => ({ value: s.id as string | null, label: s.name })),
  ];
  return { options, defaultStoreId: isOrgWide ? null : (stores[0]?.id ?? null) };
}

function parseLinks(text: string): TFaqLink[] {
  return lines(text).map((line) => {
    const at = line.lastIndexOf(' ');
    return at < 0 ? { title: line, url: line } : { title: line.slice(0, at).trim(), url: line.slice(at + 1) };
  });
}

function FaqDialog({
  faq,
  draftQuestion,
  stores,
  isOpen,
  onClose,
  onSaved,
}: {
  faq: TFaq | null;
  draftQuestion: string;
  stores: TAdminStore[];
  isOpen: boolean;
  onClose: () => void;
  onSaved: (faq: TFaq) => void;
}) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const choices = useStoreChoices(stores);
  const { defaultStoreId } = choices;
  // An existing entry for every store shows as such (saving it is the admins'; the server says so).
  const storeOptions =
    faq?.storeId === null && !choices.options.some((o) => o.value === null)
      ? [{ value: null, label: t('kb.faq.allStores') }, ...choices.options]
      : choices.options;
  const [form] = Form.useForm<TFaqForm>();
  const [isSaving, setIsSaving] = useState(false);

  useEffect(() => {
    if (!isOpen) return;
    form.setFieldsValue({
      id: faq?.id ?? '',
      category: faq?.category ?? '',
      question: faq?.question ?? draftQuestion,
      similar: faq?.similarQuestions.join('\n') ?? '',
      answer: faq?.answer ?? '',
      links: faq?.links.map((l) => `${l.title} ${l.url}`).join('\n') ?? '',
      storeId: faq ? faq.storeId : defaultStoreId,
      validFrom: faq?.validFrom ?? '',
      validTo: faq?.validTo ?? '',
      enabled: faq?.enabled ?? true,
    });
  }, [isOpen, faq, draftQuestion, form, defaultStoreId]);

  const save = async () => {
    const v = await form.validateFields();
    const body = {
      category: v.category,
      question: v.question,
      similarQuestions: lines(v.similar ?? ''),
      answer: v.answer,
      links: parseLinks(v.links ?? ''),
      storeId: v.storeId ?? null,
      validFrom: v.validFrom || null,
      validTo: v.validTo || null,
      enabled: v.enabled,
    };
    setIsSaving(true);
    try {
      const saved = faq
        ? await knowledgeApi.updateFaq(faq.id, body)
        : await knowledgeApi.createFaq({ ...body, ...(v.id ? { id: v.id } : {}) });
      message.success(t('common.saved'));
      onSaved(saved);
    } catch (error) {
      message.error(errorMessage(error, t('common.requestFailed')));
    } finally {
      setIsSaving(false);
    }
  };

  return (
    <Modal
      open={isOpen}
      title={faq ? faq.id : t('kb.faq.new')}
      onCancel={onClose}
      onOk={save}
      confirmLoading={isSaving}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      width={640}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" data-testid="faq-form">
        {!faq && (
          <Form.Item name="id" label={t('kb.faq.id')}>
            <Input maxLength={64} />
          </Form.Item>
        )}
        <Form.Item
          name="question"
          label={t('kb.faq.question')}
          rules={[{ required: true, message: t('common.required') }]}
        >
          <Input maxLength={300} />
        </Form.Item>
        <Form.Item name="similar" label={t('kb.faq.similar')}>
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} />
        </Form.Item>
        <Form.Item
          name="answer"
          label={t('kb.faq.answer')}
          rules={[{ required: true, message: t('common.required') }]}
        >
          <Input.TextArea autoSize={{ minRows: 3, maxRows: 8 }} maxLength={4000} />
        </Form.Item>
        <Form.Item name="links" label={t('kb.faq.links')}>
          <Input.TextArea autoSize={{ minRows: 1, maxRows: 4 }} />
        </Form.Item>
        <Space wrap>
          <Form.Item name="category" label={t('kb.faq.category')}>
            <Input maxLength={50} />
          </Form.Item>
          <Form.Item name="storeId" label={t('kb.faq.store')}>
            <Select style={{ width: 200 }} options={storeOptions} />
          </Form.Item>
          <Form.Item name="enabled" label={t('kb.faq.enabled')} valuePropName="checked">
            <Switch />
          </Form.Item>
        </Space>
        <Space wrap>
          <Form.Item name="validFrom" label={t('kb.faq.validFrom')}>
            <Input placeholder="2024-11-11T00:00:00+08:00" style={{ width: 260 }} />
          </Form.Item>
          <Form.Item name="validTo" label={t('kb.faq.validTo')}>
            <Input placeholder="2024-11-12T00:00:00+08:00" style={{ width: 260 }} />
          </Form.Item>
        </Space>
      </Form>
    </Modal>
  );
}

function FaqTab({
  stores,
  draft,
  onDraftUsed,
}: {
  stores: TAdminStore[];
  draft: string | null;
  onDraftUsed: () => void;
}) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [query, setQuery] = useState('');
  const [faqs, setFaqs] = useState<TFaq[]>([]);
  const [isLoading, setIsLoading] = useState(true);
  const [editing, setEditing] = useState<{ faq: TFaq | null; question: string } | null>(null);
  const { options: storeOptions, defaultStoreId } = useStoreChoices(stores);
  const [importStoreId, setImportStoreId] = useState<string | null | undefined>(undefined);
  const importTo = importStoreId === undefined ? defaultStoreId : importStoreId;

  const load = useCallback(async () => {
    setIsLoading(true);
    try {
      setFaqs(await knowledgeApi.listFaqs(query));
    } catch (error) {
      message.error(errorMessage(error, t('common.requestFailed')));
    } finally {
      setIsLoading(false);
    }
  }, [query, message, t]);

  useEffect(() => {
    void load();
  }, [load]);

  useEffect(() => {
    if (draft !== null) {
      setEditing({ faq: null, question: draft });
      onDraftUsed();
    }
  }, [draft, onDraftUsed]);

  const importFile = async (file: File) => {
    try {
      const r = await knowledgeApi.importFile(file, importTo);
      message.success(t('kb.faq.imported', { total: r.total, created: r.created, updated: r.updated }));
      await load();
    } catch (error) {
      // The server names file, line and field: show it as is.
      message.error(errorMessage(error, t('common.requestFailed')), 8);
    }
    return false;
  };

  return (
    <>
      <Space wrap style={{ marginBottom: 12 }}>
        <Input.Search
          allowClear
          placeholder={t('kb.faq.search')}
          onSearch={setQuery}
          style={{ width: 280 }}
          data-testid="faq-search"
        />
        <Button type="primary" onClick={() => setEditing({ faq: null, question: '' })}>
          {t('kb.faq.new')}
        </Button>
        <Select
          style={{ width: 180 }}
          aria-label={t('kb.faq.importStore')}
          value={importTo}
          onChange={setImportStoreId}
          options={storeOptions}
          data-testid="faq-import-store"
        />
        <Upload accept=".csv,.xlsx" showUploadList={false} beforeUpload={(file) => importFile(file)}>
          <Button data-testid="faq-import">{t('kb.faq.import')}</Button>
        </Upload>
        <Button href={knowledgeApi.exportUrl('csv')}>{t('kb.faq.export')} CSV</Button>
        <Button href={knowledgeApi.exportUrl('xlsx')}>{t('kb.faq.export')} XLSX</Button>
      </Space>
      <Table<TFaq>
        rowKey="id"
        size="small"
        loading={isLoading}
        dataSource={faqs}
        pagination={{ pageSize: 20 }}
        expandable={{
          expandedRowRender: (faq) => (
            <div>
              <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{faq.answer}</Typography.Paragraph>
              <Space wrap>
                {faq.links.map((l) => (
                  <SafeLink key={l.url} link={l} />
                ))}
              </Space>
              <div>
                {faq.similarQuestions.map((q) => (
                  <Tag key={q}>{q}</Tag>
                ))}
              </div>
            </div>
          ),
        }}
        columns={[
          { title: t('kb.faq.id'), dataIndex: 'id', width: 90 },
          { title: t('kb.faq.category'), dataIndex: 'category', width: 90 },
          { title: t('kb.faq.question'), dataIndex: 'question' },
          {
            title: t('kb.faq.similar'),
            width: 130,
            render: (_, faq) => t('kb.faq.similarCount', { count: faq.similarQuestions.length }),
          },
          {
            title: t('kb.faq.enabled'),
            width: 70,
            render: (_, faq) => (faq.enabled ? t('common.yes') : t('common.no')),
          },
          {
            title: t('common.actions'),
            width: 140,
            render: (_, faq) => (
              <Space>
                <Button size="small" type="link" onClick={() => setEditing({ faq, question: '' })}>
                  {t('common.edit')}
                </Button>
                <Popconfirm
                  title={t('common.confirmDelete')}
                  onConfirm={async () => {
                    await knowledgeApi.deleteFaq(faq.id);
                    setFaqs((prev) => prev.filter((f) => f.id !== faq.id));
                  }}
                >
                  <Button size="small" type="link" danger>
                    {t('common.delete')}
                  </Button>
                </Popconfirm>
              </Space>
            ),
          },
        ]}
      />
      <FaqDialog
        isOpen={editing !== null}
        faq={editing?.faq ?? null}
        draftQuestion={editing?.question ?? ''}
        stores={stores}
        onClose={() => setEditing(null)}
        onSaved={() => {
          setEditing(null);
          void load();
        }}
      />
    </>
  );
}

function TryTab({ stores }: { stores: TAdminStore[] }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [storeId, setStoreId] = useState<string | undefined>(undefined);
  const [result, setResult] = useState<TBotTryResult | null>(null);

  const ask = async (text: string) => {
    if (!text.trim()) return;
    try {
      setResult(await knowledgeApi.tryBot(text.trim(), storeId));
    } catch (error) {
      message.error(errorMessage(error, t('common.requestFailed')));
    }
  };

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space wrap>
        <Select
          allowClear
          style={{ width: 220 }}
          placeholder={t('kb.faq.allStores')}
          value={storeId}
          onChange={setStoreId}
          options={stores.map((s) => ({ value: s.id, label: s.name }))}
        />
        <Input.Search
          style={{ width: 420 }}
          placeholder={t('kb.try.placeholder')}
          enterButton={t('kb.try.ask')}
          onSearch={ask}
          data-testid="try-input"
        />
      </Space>
      {result && (
        <div data-testid="try-result">
          <Descriptions size="small" column={1} bordered>
            <Descriptions.Item label={t('kb.try.ask')}>
              {result.outcome === 'answered' && <Tag color="green">{t('kb.try.answered')}</Tag>}
              {result.outcome === 'abstained' && <Tag>{t('kb.try.abstained')}</Tag>}
              {result.outcome === 'handoff' && (
                <Tag color="orange">
                  {t('kb.try.handoff', { reason: result.reason ? t(`assist.reason.${result.reason}`) : '' })}
                </Tag>
              )}
              {result.faqId && <Tag>{result.faqId}</Tag>}
            </Descriptions.Item>
            {result.answer && (
              <Descriptions.Item label={t('kb.faq.answer')}>
                <span style={{ whiteSpace: 'pre-wrap' }}>{result.answer}</span>
              </Descriptions.Item>
            )}
            <Descriptions.Item label={t('kb.try.score')}>
              {result.score.toFixed(3)} ({t('kb.try.threshold')} {result.why.threshold.toFixed(3)})
            </Descriptions.Item>
            <Descriptions.Item label={t('kb.try.tokens')}>
              {result.why.queryTokens.join(' / ')}
            </Descriptions.Item>
            <Descriptions.Item label={t('kb.try.matched')}>
              {result.why.matchedTerms.join(' / ')}
            </Descriptions.Item>
          </Descriptions>
          <Typography.Title level={5}>{t('kb.try.candidates')}</Typography.Title>
          <Table
            size="small"
            pagination={false}
            rowKey="faqId"
            dataSource={result.candidates}
            columns={[
              { title: t('kb.faq.id'), dataIndex: 'faqId', width: 90 },
              { title: t('kb.faq.question'), dataIndex: 'question' },
              { title: t('kb.try.variant'), dataIndex: 'variant' },
              {
                title: t('kb.try.score'),
                dataIndex: 'score',
                width: 90,
                render: (v: number) => v.toFixed(3),
              },
            ]}
          />
          <Typography.Title level={5}>{t('kb.try.features')}</Typography.Title>
          <Table
            size="small"
            pagination={false}
            rowKey="name"
            dataSource={result.why.features}
            columns={[
              {
                title: t('kb.try.feature'),
                dataIndex: 'name',
                render: (name: string) => labelOf(`kb.feature.${name}`, name),
              },
              { title: t('kb.try.value'), dataIndex: 'value', render: (v: number) => v.toFixed(3) },
              { title: t('kb.try.weight'), dataIndex: 'weight', render: (v: number) => v.toFixed(3) },
              {
                title: t('kb.try.contribution'),
                dataIndex: 'contribution',
                render: (v: number) => v.toFixed(3),
              },
            ]}
          />
        </div>
      )}
    </Space>
  );
}

function SettingsTab({ stores }: { stores: TAdminStore[] }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [storeId, setStoreId] = useState<string | undefined>(stores[0]?.id);
  const [form] = Form.useForm<TBotSettings>();

  useEffect(() => {
    if (!storeId && stores[0]) setStoreId(stores[0].id);
  }, [stores, storeId]);

  useEffect(() => {
    if (!storeId) return;
    knowledgeApi.settings(storeId).then(
      (s) => form.setFieldsValue(s),
      (error: unknown) => message.error(errorMessage(error, t('common.requestFailed'))),
    );
  }, [storeId, form, message, t]);

  const save = async () => {
    if (!storeId) return;
    const v = await form.validateFields();
    try {
      form.setFieldsValue(
        await knowledgeApi.saveSettings(storeId, {
          mode: v.mode,
          timezone: v.timezone,
          hoursStart: v.hoursStart,
          hoursEnd: v.hoursEnd,
          maxUnanswered: v.maxUnanswered,
          handoffOnRisk: v.handoffOnRisk,
          vipToHuman: v.vipToHuman,
        }),
      );
      message.success(t('common.saved'));
    } catch (error) {
      message.error(errorMessage(error, t('common.requestFailed')));
    }
  };

  return (
    <Form form={form} layout="vertical" style={{ maxWidth: 520 }} data-testid="bot-settings">
      <Form.Item label={t('kb.settings.store')}>
        <Select
          value={storeId}
          onChange={setStoreId}
          options={stores.map((s) => ({ value: s.id, label: s.name }))}
        />
      </Form.Item>
      <Form.Item name="mode" label={t('kb.settings.mode')}>
        <Select
          options={(['bot_first', 'human_first', 'bot_outside_hours'] as const).map((m) => ({
            value: m,
            label: t(`kb.settings.mode.${m}`),
          }))}
        />
      </Form.Item>
      <Space>
        <Form.Item name="hoursStart" label={t('kb.settings.hours')}>
          <Input style={{ width: 90 }} />
        </Form.Item>
        <Form.Item name="hoursEnd" label=" ">
          <Input style={{ width: 90 }} />
        </Form.Item>
        <Form.Item name="timezone" label={t('kb.settings.timezone')}>
          <Input style={{ width: 180 }} />
        </Form.Item>
      </Space>
      <Form.Item name="maxUnanswered" label={t('kb.settings.maxUnanswered')}>
        <InputNumber min={1} max={10} />
      </Form.Item>
      <Form.Item name="handoffOnRisk" label={t('kb.settings.handoffOnRisk')} valuePropName="checked">
        <Switch />
      </Form.Item>
      <Form.Item name="vipToHuman" label={t('kb.settings.vipToHuman')} valuePropName="checked">
        <Switch />
      </Form.Item>
      <Button type="primary" onClick={save}>
        {t('common.save')}
      </Button>
    </Form>
  );
}

function UnansweredTab({ onMakeFaq }: { onMakeFaq: (question: string) => void }) {
  const { t, language } = useI18n();
  const { message } = App.useApp();
  const [rows, setRows] = useState<TUnansweredQuestion[]>([]);

  useEffect(() => {
    knowledgeApi
      .unanswered()
      .then(setRows, (error: unknown) => message.error(errorMessage(error, t('common.requestFailed'))));
  }, [message, t]);

  const close = async (row: TUnansweredQuestion, status: 'resolved' | 'dismissed') => {
    await knowledgeApi.closeUnanswered(row.id, status);
    setRows((prev) => prev.filter((r) => r.id !== row.id));
    if (status === 'resolved') onMakeFaq(row.question);
  };

  return (
    <Table<TUnansweredQuestion>
      rowKey="id"
      size="small"
      dataSource={rows}
      columns={[
        { title: t('kb.unanswered.question'), dataIndex: 'question' },
        {
          title: t('kb.unanswered.score'),
          dataIndex: 'score',
          width: 90,
          render: (v: number) => v.toFixed(2),
        },
        {
          title: t('kb.unanswered.time'),
          dataIndex: 'createdAt',
          width: 150,
          render: (v: string) => formatDateTime(language, v),
        },
        {
          title: t('common.actions'),
          width: 180,
          render: (_, row) => (
            <Space>
              <Button size="small" type="link" onClick={() => void close(row, 'resolved')}>
                {t('kb.unanswered.toFaq')}
              </Button>
              <Button size="small" type="link" onClick={() => void close(row, 'dismissed')}>
                {t('kb.unanswered.dismiss')}
              </Button>
            </Space>
          ),
        },
      ]}
    />
  );
}

export function KnowledgePage() {
  const { t } = useI18n();
  const [stores, setStores] = useState<TAdminStore[]>([]);
  const [tab, setTab] = useState('faq');
  const [draft, setDraft] = useState<string | null>(null);
  const clearDraft = useCallback(() => setDraft(null), []);

  useEffect(() => {
    adminApi.listStores().then(setStores, () => setStores([]));
  }, []);

  return (
    <div className="pd-page" data-testid="knowledge-page">
      <Typography.Title level={4}>{t('kb.title')}</Typography.Title>
      <Tabs
        activeKey={tab}
        onChange={setTab}
        items={[
          {
            key: 'faq',
            label: t('kb.tab.faq'),
            children: <FaqTab stores={stores} draft={draft} onDraftUsed={clearDraft} />,
          },
          { key: 'try', label: t('kb.tab.try'), children: <TryTab stores={stores} /> },
          { key: 'settings', label: t('kb.tab.settings'), children: <SettingsTab stores={stores} /> },
          {
            key: 'unanswered',
            label: t('kb.tab.unanswered'),
            children: (
              <UnansweredTab
                onMakeFaq={(question) => {
                  setDraft(question);
                  setTab('faq');
                }}
              />
            ),
          },
        ]}
      />
    </div>
  );
}
