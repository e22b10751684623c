import {
  AUDIT_ACTIONS,
  AUDIT_TARGET_TYPES,
  ERROR_REASONS,
  WORKFORCE_FORECAST_METHODS,
  ZScheduleStatus,
} from '@peakdesk/contracts';
import { describe, expect, it } from 'vitest';
import { ApiError } from './api-client.ts';
import { apiErrorText, errorMessage } from './form-errors.ts';
import { DICTIONARIES, formatWait, LANGUAGES } from './i18n.ts';

// The server's and engines' source, read as text: every identifier they send is found where it is written.
const serverSource = import.meta.glob<string>(['../../../server/src/**/*.ts', '!**/*.test.ts'], {
  query: '?raw',
  import: 'default',
  eager: true,
});
const textEngine = import.meta.glob<string>(
  '../../../../packages/text/src/{pair-features,matcher-model}.ts',
  {
    query: '?raw',
    import: 'default',
    eager: true,
  },
);
const apiClient = import.meta.glob<string>('./api-client.ts', {
  query: '?raw',
  import: 'default',
  eager: true,
});

const matchesOf = (text: string, pattern: RegExp) => [...text.matchAll(pattern)].map((m) => m[1] ?? '');

/** Every error code the server can answer with: DomainErrors, not-found helpers, and the HTTP edge. */
function serverErrorCodes(): string[] {
  const codes = new Set<string>();
  for (const [path, text] of Object.entries(serverSource)) {
    for (const c of matchesOf(text, /new DomainError\(\s*'[a-z_]+',\s*'([a-z_]+)'/g)) codes.add(c);
    for (const what of matchesOf(text, /\bnotFound\(\s*'([a-z_ ]+)'\s*\)/g)) codes.add(`${what}_not_found`);
    // The scope helpers answer not-found for a row outside the caller's scope: `assertInScope(row, scope, 'faq')`.
    for (const what of matchesOf(text, /\bassert(?:InScope|Writable)\([^;]*?,\s*'([a-z_ ]+)'\s*\)/g))
      codes.add(`${what}_not_found`);
    if (/\bforbidden\(/.test(text)) codes.add('forbidden');
    if (/\binvalidInput\(/.test(text)) codes.add('invalid_input');
    // The edge maps framework errors; its reasons (after `function reasonOf`) are not codes.
    // zod's own issue codes (`ctx.addIssue({ code: 'custom' …`) are not codes the server answers with.
    const own = text.replace(/addIssue\(\{\s*code: '[a-z_]+'/g, '');
    const edge = path.endsWith('error-mapper.ts') ? (own.split('function reasonOf')[0] ?? '') : own;
    for (const c of matchesOf(edge, /code: '([a-z_]+)'/g)) codes.add(c);
    if (path.endsWith('error-mapper.ts'))
      for (const c of matchesOf(edge, /[?:] '([a-z]+(?:_[a-z]+)+)'/g)) codes.add(c);
  }
  return [...codes].sort();
}

function expectLabels(keys: readonly string[]) {
  for (const language of LANGUAGES) {
    const missing = keys.filter((key) => !DICTIONARIES[language][key]?.trim());
    expect(missing, `untranslated in ${language}`).toEqual([]);
  }
}

describe('every identifier the server sends has a label in zh-CN and en', () => {
  it('error codes, found in the server source', () => {
    const codes = serverErrorCodes();
    // The scan itself works: a few codes known to exist are among those found.
    expect(codes).toEqual(
      expect.arrayContaining([
        'email_taken',
        'conversation_not_found',
        'rate_limited',
        'invalid_plan_settings',
      ]),
    );
    expect(codes.length).toBeGreaterThan(40);
    expectLabels(codes.map((c) => `error.${c}`));
  });

  it('error codes the web client makes up itself (network, bad response)', () => {
    const codes = matchesOf(Object.values(apiClient).join('\n'), /code: '([a-z_]+)'/g);
    expect(codes).toEqual(expect.arrayContaining(['network_error', 'bad_response']));
    expectLabels(codes.map((c) => `error.${c}`));
  });

  it('the fields services refuse by name, with what was wrong', () => {
    const fields = new Set(
      Object.values(serverSource).flatMap((text) => matchesOf(text, /\binvalidInput\(\s*'([a-zA-Z]+)'/g)),
    );
    expect(fields.size).toBeGreaterThan(5);
    expectLabels([...fields].map((f) => `error.invalid_input.${f}`));
  });

  it('the reasons a refused field can have', () => {
    expectLabels(ERROR_REASONS.map((r) => `error.reason.${r}`));
  });

  it('audit actions and what they act on', () => {
    expectLabels(AUDIT_ACTIONS.map((a) => `audit.action.${a}`));
    expectLabels(AUDIT_TARGET_TYPES.map((a) => `audit.target.${a}`));
    // And the server records no action outside the list (the type says so; this says it for literals).
    const recorded = Object.values(serverSource).flatMap((text) =>
      matchesOf(text, /\.record\(\s*\w+,\s*'([a-z_.]+)'/g),
    );
    expect(recorded.length).toBeGreaterThan(20);
    expect(recorded.filter((a) => !(AUDIT_ACTIONS as readonly string[]).includes(a))).toEqual([]);
  });

  it("the bot's score features, found in the text engine", () => {
    const source = Object.values(textEngine).join('\n');
    const lists = matchesOf(source, /(?:PAIR|LIST)_FEATURE_NAMES = \[([^\]]*)\]/g).join(',');
    const names = matchesOf(lists, /'([a-zA-Z0-9]+)'/g);
    expect(names).toEqual(expect.arrayContaining(['idfCoverQuery', 'pairLogit']));
    expectLabels(names.map((n) => `kb.feature.${n}`));
  });

  it('solver statuses and forecast methods', () => {
    expectLabels(ZScheduleStatus.options.map((s) => `wf.scheduleStatus.${s}`));
    expectLabels(WORKFORCE_FORECAST_METHODS.map((m) => `wf.method.${m}`));
  });
});

describe('an API error is shown translated, never as the server English', () => {
  const error = (body: { code: string; field?: string; reason?: string; limit?: number }) =>
    new ApiError(400, { message: 'body.email: must be an email address', ...body });

  it('by reason, naming the field unless shown beside it', () => {
    const bad = error({ code: 'invalid_input', field: 'email', reason: 'email' });
    expect(apiErrorText(bad)).toBe('邮箱：请输入有效的邮箱地址');
    expect(apiErrorText(bad, { isBesideField: true })).toBe('请输入有效的邮箱地址');
    expect(
      apiErrorText(error({ code: 'invalid_input', field: 'body', reason: 'too_long', limit: 2000 })),
    ).toBe('内容：最多 2000 个字符');
  });

  it('by code and field first, list positions left out', () => {
    expect(apiErrorText(error({ code: 'invalid_plan_settings', field: 'settings.history' }))).toBe(
      '没有可用的历史咨询量：请先导入历史文件，或等系统记录会话后再选择“系统会话记录”',
    );
    expect(
      apiErrorText(
        error({
          code: 'invalid_plan_settings',
          field: 'settings.shifts.shiftTypes.1.breaks.0.lengthMinutes',
        }),
        { isBesideField: true },
      ),
    ).toBe('休息时长须是时段长度的整数倍');
  });

  it('by code, and a code it does not know by its name only', () => {
    expect(apiErrorText(error({ code: 'email_taken', field: 'email' }), { isBesideField: true })).toBe(
      '该邮箱已被使用',
    );
    expect(apiErrorText(error({ code: 'http_502' }))).toBe('服务器返回错误（HTTP 502）');
    const unknown = apiErrorText(error({ code: 'brand_new_code' }));
    expect(unknown).toBe('请求失败（brand_new_code）');
    expect(errorMessage(new Error('socket closed'), '')).toBe('请求失败');
  });
});

describe('waits are shown as minutes and seconds, not raw seconds', () => {
  it('zh-CN 分秒, en m:ss', () => {
    expect([45, 125, 1800, 3720].map((s) => formatWait('zh-CN', s))).toEqual([
      '45秒',
      '2分05秒',
      '30分00秒',
      '1小时02分',
    ]);
    expect([45, 125, 3720].map((s) => formatWait('en', s))).toEqual(['0:45', '2:05', '1:02:00']);
  });
});
