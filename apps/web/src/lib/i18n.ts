import { useCallback, useSyncExternalStore } from 'react';

/** zh-CN is the source dictionary: every key must exist here, and `en` is checked against it. */
const zhCN = {
  'app.name': 'PeakDesk',
  'app.title': '客服工作台',
  'common.save': '保存',
  'common.cancel': '取消',
  'common.create': '新建',
  'common.edit': '编辑',
  'common.delete': '删除',
  'common.confirmDelete': '确定删除吗？',
  'common.actions': '操作',
  'common.search': '搜索',
  'common.all': '全部',
  'common.none': '无',
  'common.loading': '加载中…',
  'common.saved': '已保存',
  'common.created': '已创建',
  'common.deleted': '已删除',
  'common.copy': '复制',
  'common.copied': '已复制',
  'common.yes': '是',
  'common.no': '否',
  'common.retry': '重试',
  'common.refresh': '刷新',
  'common.requestFailed': '请求失败',
  'common.required': '此项为必填',
  'common.name': '名称',
  'common.createdAt': '创建时间',

  'lang.label': '语言',
  'lang.zh-CN': '简体中文',
  'lang.en': 'English',

  'login.title': '登录客服工作台',
  'login.subtitle': '大促高峰也能稳稳接待',
  'login.email': '邮箱',
  'login.password': '密码',
  'login.submit': '登录',
  'login.failed': '登录失败',

  'shell.workspace': '工作台',
  'shell.quickReplies': '快捷回复',
  'shell.admin': '管理',
  'shell.admin.stores': '店铺',
  'shell.admin.groups': '技能组',
  'shell.admin.users': '成员',
  'shell.admin.tokens': 'API 令牌',
  'shell.admin.audit': '操作日志',
  'shell.logout': '退出登录',
  'shell.changePassword': '修改密码',
  'shell.disconnected': '实时连接已断开，正在重连…消息会在恢复后自动补发。',
  'shell.notFound': '页面不存在',

  'shell.knowledge': '知识库与机器人',
  'assist.title': '推荐回复',
  'assist.empty': '暂无推荐',
  'assist.insert': '插入',
  'assist.hint': 'Alt+数字 插入',
  'assist.faq': 'FAQ',
  'assist.script': '话术',
  'assist.handoff': '机器人转人工：{reason}',
  'assist.topic': '识别话题：{topic}',
  'assist.reason.customer_request': '顾客要求人工',
  'assist.reason.unanswered': '多次未能回答',
  'assist.reason.risk': '投诉/负面情绪风险',
  'assist.reason.vip': 'VIP 顾客',
  'assist.reason.business_hours': '营业时间',
  'kb.title': '知识库与机器人',
  'kb.tab.faq': 'FAQ',
  'kb.tab.try': '试一试机器人',
  'kb.tab.settings': '机器人设置',
  'kb.tab.unanswered': '未解答问题',
  'kb.faq.id': '编号',
  'kb.faq.category': '分类',
  'kb.faq.question': '标准问题',
  'kb.faq.similar': '相似问法（每行一个）',
  'kb.faq.answer': '答案',
  'kb.faq.links': '链接（每行：标题 URL）',
  'kb.faq.store': '适用店铺',
  'kb.faq.allStores': '全部店铺',
  'kb.faq.validFrom': '生效时间',
  'kb.faq.validTo': '失效时间',
  'kb.faq.enabled': '启用',
  'kb.faq.search': '搜索问题、答案或编号',
  'kb.faq.import': '导入 CSV/XLSX',
  'kb.faq.export': '导出',
  'kb.faq.imported': '已导入 {total} 条（新增 {created}，更新 {updated}）',
  'kb.faq.new': '新建 FAQ',
  'kb.faq.similarCount': '{count} 个相似问法',
  'kb.try.placeholder': '输入顾客的问题，例如：亲，保价吗',
  'kb.try.ask': '提问',
  'kb.try.answered': '机器人会回答',
  'kb.try.abstained': '机器人不确定，不回答',
  'kb.try.handoff': '转人工（{reason}）',
  'kb.try.score': '置信度',
  'kb.try.threshold': '阈值',
  'kb.try.tokens': '分词',
  'kb.try.matched': '命中词',
  'kb.try.candidates': '候选',
  'kb.try.features': '特征贡献',
  'kb.settings.store': '店铺',
  'kb.settings.mode': '接待模式',
  'kb.settings.mode.bot_first': '机器人优先',
  'kb.settings.mode.human_first': '人工优先',
  'kb.settings.mode.bot_outside_hours': '仅营业时间外由机器人接待',
  'kb.settings.hours': '营业时间',
  'kb.settings.timezone': '时区',
  'kb.settings.maxUnanswered': '连续未解答几次后转人工',
  'kb.settings.handoffOnRisk': '投诉/负面情绪时转人工',
  'kb.settings.vipToHuman': 'VIP 顾客直接转人工',
  'kb.unanswered.question': '顾客问题',
  'kb.unanswered.score': '最高分',
  'kb.unanswered.time': '时间',
  'kb.unanswered.toFaq': '转为 FAQ',
  'kb.unanswered.dismiss': '忽略',

  'status.online': '在线',
  'status.paused': '挂起',
  'status.offline': '离线',
  'status.away': '离开',
  'status.changed': '状态已切换为「{status}」',

  'role.admin': '管理员',
  'role.supervisor': '主管',
  'role.agent': '客服',

  'password.current': '当前密码',
  'password.new': '新密码',
  'password.confirm': '确认新密码',
  'password.mismatch': '两次输入的新密码不一致',
  'password.min': '至少 8 个字符',
  'password.changed': '密码已修改',

  'conv.status.bot': '机器人',
  'conv.status.queued': '排队中',
  'conv.status.assigned': '接待中',
  'conv.status.resolved': '已解决',
  'conv.status.closed': '已关闭',
  'ws.tab.mine': '我的会话',
  'ws.tab.queued': '排队中',
  'ws.emptyList': '暂无会话',
  'ws.noSelection': '从左侧选择一个会话开始接待',
  'ws.loadOlder': '加载更早的消息',
  'ws.noMore': '没有更早的消息了',
  'ws.typing': '对方正在输入…',
  'ws.read': '已读',
  'ws.unread': '未读',
  'ws.sending': '发送中…',
  'ws.sendFailed': '发送失败',
  'ws.resolve': '结束会话',
  'ws.resolved': '会话已结束',
  'ws.composePlaceholder': '输入消息，Enter 发送，Shift+Enter 换行，输入 / 调出快捷回复',
  'ws.composeDisabled': '会话已结束，无法继续发送',
  'ws.send': '发送',
  'ws.image': '发送图片',
  'ws.imageTooLarge': '图片不能超过 {mb} MB',
  'ws.imageType': '仅支持 JPG、PNG、GIF、WebP 图片',
  'ws.imageAlt': '图片消息',
  'ws.sender.customer': '顾客',
  'ws.sender.agent': '客服',
  'ws.sender.bot': '机器人',
  'ws.sender.system': '系统',
  'ws.imagePreview': '[图片]',
  'ws.qr.empty': '没有匹配的快捷回复',
  'ws.qr.hint': '↑↓ 选择，Enter 插入，Esc 关闭',
  'customer.title': '顾客信息',
  'customer.name': '昵称',
  'customer.buyerId': '买家 ID',
  'customer.store': '店铺',
  'customer.since': '首次咨询',
  'customer.history': '历史会话',
  'customer.noHistory': '暂无历史会话',
  'customer.current': '当前',
  'customer.anonymous': '匿名访客',

  'qr.title': '快捷回复',
  'qr.subtitle': '话术支持变量 {buyer_name}、{agent_name}、{store_name}，插入时自动替换',
  'qr.category': '分类',
  'qr.scope': '范围',
  'qr.shortcut': '快捷指令',
  'qr.titleField': '标题',
  'qr.body': '内容',
  'qr.updatedAt': '更新时间',
  'qr.new': '新建快捷回复',
  'qr.edit': '编辑快捷回复',
  'qr.searchPlaceholder': '搜索指令、标题或内容',
  'qr.scope.personal': '个人',
  'qr.scope.team': '团队',
  'qr.cat.welcome': '欢迎',
  'qr.cat.waiting': '等待',
  'qr.cat.closing': '结束',
  'qr.cat.soothing': '安抚',
  'qr.cat.promotion': '促销',
  'qr.cat.logistics': '物流',
  'qr.cat.returns': '退换',
  'qr.cat.custom': '自定义',

  'platform.taobao': '淘宝',
  'platform.tmall': '天猫',
  'platform.jd': '京东',
  'platform.pdd': '拼多多',
  'platform.douyin': '抖音',
  'platform.other': '其他',

  'admin.stores.title': '店铺',
  'admin.stores.new': '新建店铺',
  'admin.stores.edit': '编辑店铺',
  'admin.stores.platform': '平台',
  'admin.stores.defaultGroup': '默认技能组',
  'admin.stores.greeting': '欢迎语',
  'admin.stores.secret': '身份签名密钥',
  'admin.stores.secretHint': '商家服务端用此密钥对买家 ID 做 HMAC-SHA256 签名，请勿泄露到前端页面。',
  'admin.stores.embed': '嵌入代码',
  'admin.stores.embedHint': '把这段代码放到店铺页面中即可接入客服挂件。',
  'admin.groups.title': '技能组',
  'admin.groups.new': '新建技能组',
  'admin.groups.edit': '编辑技能组',
  'admin.groups.concurrency': '默认接待上限',
  'admin.users.title': '成员',
  'admin.users.new': '新建成员',
  'admin.users.edit': '编辑成员',
  'admin.users.email': '邮箱',
  'admin.users.name': '姓名',
  'admin.users.role': '角色',
  'admin.users.password': '初始密码',
  'admin.users.concurrency': '接待上限',
  'admin.users.concurrencyHint': '留空则使用技能组默认值',
  'admin.users.stores': '负责店铺',
  'admin.users.groups': '技能组',
  'admin.users.status': '状态',
  'admin.users.disabled': '已停用',
  'admin.users.enabled': '启用中',
  'admin.users.disable': '停用',
  'admin.users.enable': '启用',
  'admin.tokens.title': 'API 令牌',
  'admin.tokens.new': '新建令牌',
  'admin.tokens.lastUsed': '最近使用',
  'admin.tokens.revoked': '已吊销',
  'admin.tokens.active': '有效',
  'admin.tokens.revoke': '吊销',
  'admin.tokens.confirmRevoke': '吊销后使用该令牌的集成将立即失效，确定吗？',
  'admin.tokens.createdTitle': '令牌已创建',
  'admin.tokens.createdHint': '令牌只显示这一次，请立即复制并妥善保存。',
  'admin.tokens.never': '从未使用',
  'admin.audit.title': '操作日志',
  'admin.audit.time': '时间',
  'admin.audit.actor': '操作人',
  'admin.audit.action': '动作',
  'admin.audit.target': '对象',
  'admin.audit.detail': '详情',
  'admin.audit.system': '系统',
} as const;

type TMessageKey = keyof typeof zhCN;
type TDictionary = Record<TMessageKey, string>;

const en: TDictionary = {
  'app.name': 'PeakDesk',
  'app.title': 'Agent workspace',
  'common.save': 'Save',
  'common.cancel': 'Cancel',
  'common.create': 'Create',
  'common.edit': 'Edit',
  'common.delete': 'Delete',
  'common.confirmDelete': 'Delete this item?',
  'common.actions': 'Actions',
  'common.search': 'Search',
  'common.all': 'All',
  'common.none': 'None',
  'common.loading': 'Loading…',
  'common.saved': 'Saved',
  'common.created': 'Created',
  'common.deleted': 'Deleted',
  'common.copy': 'Copy',
  'common.copied': 'Copied',
  'common.yes': 'Yes',
  'common.no': 'No',
  'common.retry': 'Retry',
  'common.refresh': 'Refresh',
  'common.requestFailed': 'Request failed',
  'common.required': 'Required',
  'common.name': 'Name',
  'common.createdAt': 'Created',

  'lang.label': 'Language',
  'lang.zh-CN': '简体中文',
  'lang.en': 'English',

  'login.title': 'Sign in to the agent workspace',
  'login.subtitle': 'Steady service through the promotion peak',
  'login.email': 'Email',
  'login.password': 'Password',
  'login.submit': 'Sign in',
  'login.failed': 'Sign-in failed',

  'shell.workspace': 'Workspace',
  'shell.quickReplies': 'Quick replies',
  'shell.admin': 'Admin',
  'shell.admin.stores': 'Stores',
  'shell.admin.groups': 'Skill groups',
  'shell.admin.users': 'Users',
  'shell.admin.tokens': 'API tokens',
  'shell.admin.audit': 'Audit log',
  'shell.logout': 'Sign out',
  'shell.changePassword': 'Change password',
  'shell.disconnected': 'Realtime connection lost, reconnecting… Pending messages are sent once it is back.',
  'shell.notFound': 'Page not found',

  'shell.knowledge': 'Knowledge & bot',
  'assist.title': 'Suggested replies',
  'assist.empty': 'No suggestions',
  'assist.insert': 'Insert',
  'assist.hint': 'Alt+number inserts',
  'assist.faq': 'FAQ',
  'assist.script': 'Script',
  'assist.handoff': 'Bot handed over: {reason}',
  'assist.topic': 'Detected topic: {topic}',
  'assist.reason.customer_request': 'customer asked for a person',
  'assist.reason.unanswered': 'questions the bot could not answer',
  'assist.reason.risk': 'complaint / negative emotion risk',
  'assist.reason.vip': 'VIP customer',
  'assist.reason.business_hours': 'business hours',
  'kb.title': 'Knowledge & bot',
  'kb.tab.faq': 'FAQ',
  'kb.tab.try': 'Try the bot',
  'kb.tab.settings': 'Bot settings',
  'kb.tab.unanswered': 'Unanswered questions',
  'kb.faq.id': 'ID',
  'kb.faq.category': 'Category',
  'kb.faq.question': 'Standard question',
  'kb.faq.similar': 'Similar questions (one per line)',
  'kb.faq.answer': 'Answer',
  'kb.faq.links': 'Links (one per line: title URL)',
  'kb.faq.store': 'Store',
  'kb.faq.allStores': 'All stores',
  'kb.faq.validFrom': 'Valid from',
  'kb.faq.validTo': 'Valid to',
  'kb.faq.enabled': 'Enabled',
  'kb.faq.search': 'Search question, answer or ID',
  'kb.faq.import': 'Import CSV/XLSX',
  'kb.faq.export': 'Export',
  'kb.faq.imported': 'Imported {total} entries ({created} new, {updated} updated)',
  'kb.faq.new': 'New FAQ',
  'kb.faq.similarCount': '{count} similar questions',
  'kb.try.placeholder': 'Type a buyer question, e.g. 亲，保价吗',
  'kb.try.ask': 'Ask',
  'kb.try.answered': 'The bot would answer',
  'kb.try.abstained': 'The bot is unsure and declines',
  'kb.try.handoff': 'Hand-off ({reason})',
  'kb.try.score': 'Confidence',
  'kb.try.threshold': 'Threshold',
  'kb.try.tokens': 'Tokens',
  'kb.try.matched': 'Matched terms',
  'kb.try.candidates': 'Candidates',
  'kb.try.features': 'Feature contributions',
  'kb.settings.store': 'Store',
  'kb.settings.mode': 'Who answers first',
  'kb.settings.mode.bot_first': 'Bot first',
  'kb.settings.mode.human_first': 'Human first',
  'kb.settings.mode.bot_outside_hours': 'Bot only outside business hours',
  'kb.settings.hours': 'Business hours',
  'kb.settings.timezone': 'Time zone',
  'kb.settings.maxUnanswered': 'Hand off after this many unanswered questions',
  'kb.settings.handoffOnRisk': 'Hand off on complaint / negative emotion',
  'kb.settings.vipToHuman': 'VIP customers go to a person',
  'kb.unanswered.question': 'Question',
  'kb.unanswered.score': 'Best score',
  'kb.unanswered.time': 'Time',
  'kb.unanswered.toFaq': 'Make an FAQ',
  'kb.unanswered.dismiss': 'Dismiss',

  'status.online': 'Online',
  'status.paused': 'Paused',
  'status.offline': 'Offline',
  'status.away': 'Away',
  'status.changed': 'Status set to “{status}”',

  'role.admin': 'Admin',
  'role.supervisor': 'Supervisor',
  'role.agent': 'Agent',

  'password.current': 'Current password',
  'password.new': 'New password',
  'password.confirm': 'Confirm new password',
  'password.mismatch': 'The new passwords do not match',
  'password.min': 'At least 8 characters',
  'password.changed': 'Password changed',

  'conv.status.bot': 'Bot',
  'conv.status.queued': 'Queued',
  'conv.status.assigned': 'Serving',
  'conv.status.resolved': 'Resolved',
  'conv.status.closed': 'Closed',
  'ws.tab.mine': 'My conversations',
  'ws.tab.queued': 'Queued',
  'ws.emptyList': 'No conversations',
  'ws.noSelection': 'Pick a conversation on the left to start serving',
  'ws.loadOlder': 'Load older messages',
  'ws.noMore': 'No older messages',
  'ws.typing': 'Customer is typing…',
  'ws.read': 'Read',
  'ws.unread': 'Unread',
  'ws.sending': 'Sending…',
  'ws.sendFailed': 'Failed to send',
  'ws.resolve': 'Resolve',
  'ws.resolved': 'Conversation resolved',
  'ws.composePlaceholder': 'Type a message. Enter to send, Shift+Enter for a new line, / for quick replies',
  'ws.composeDisabled': 'This conversation has ended',
  'ws.send': 'Send',
  'ws.image': 'Send image',
  'ws.imageTooLarge': 'Images must be at most {mb} MB',
  'ws.imageType': 'Only JPG, PNG, GIF and WebP images are supported',
  'ws.imageAlt': 'Image message',
  'ws.sender.customer': 'Customer',
  'ws.sender.agent': 'Agent',
  'ws.sender.bot': 'Bot',
  'ws.sender.system': 'System',
  'ws.imagePreview': '[Image]',
  'ws.qr.empty': 'No matching quick replies',
  'ws.qr.hint': '↑↓ to choose, Enter to insert, Esc to close',
  'customer.title': 'Customer',
  'customer.name': 'Name',
  'customer.buyerId': 'Buyer ID',
  'customer.store': 'Store',
  'customer.since': 'First contact',
  'customer.history': 'Past conversations',
  'customer.noHistory': 'No past conversations',
  'customer.current': 'Current',
  'customer.anonymous': 'Anonymous visitor',

  'qr.title': 'Quick replies',
  'qr.subtitle': 'Scripts may use {buyer_name}, {agent_name} and {store_name}; they are filled in on insert',
  'qr.category': 'Category',
  'qr.scope': 'Scope',
  'qr.shortcut': 'Shortcut',
  'qr.titleField': 'Title',
  'qr.body': 'Text',
  'qr.updatedAt': 'Updated',
  'qr.new': 'New quick reply',
  'qr.edit': 'Edit quick reply',
  'qr.searchPlaceholder': 'Search shortcut, title or text',
  'qr.scope.personal': 'Personal',
  'qr.scope.team': 'Team',
  'qr.cat.welcome': 'Welcome',
  'qr.cat.waiting': 'Waiting',
  'qr.cat.closing': 'Closing',
  'qr.cat.soothing': 'Soothing',
  'qr.cat.promotion': 'Promotion',
  'qr.cat.logistics': 'Logistics',
  'qr.cat.returns': 'Returns',
  'qr.cat.custom': 'Custom',

  'platform.taobao': 'Taobao',
  'platform.tmall': 'Tmall',
  'platform.jd': 'JD',
  'platform.pdd': 'Pinduoduo',
  'platform.douyin': 'Douyin',
  'platform.other': 'Other',

  'admin.stores.title': 'Stores',
  'admin.stores.new': 'New store',
  'admin.stores.edit': 'Edit store',
  'admin.stores.platform': 'Platform',
  'admin.stores.defaultGroup': 'Default skill group',
  'admin.stores.greeting': 'Greeting',
  'admin.stores.secret': 'Identity secret',
  'admin.stores.secretHint':
    'Your backend signs buyer ids with this secret (HMAC-SHA256). Never put it in a web page.',
  'admin.stores.embed': 'Embed snippet',
  'admin.stores.embedHint': 'Add this snippet to the store page to show the chat widget.',
  'admin.groups.title': 'Skill groups',
  'admin.groups.new': 'New skill group',
  'admin.groups.edit': 'Edit skill group',
  'admin.groups.concurrency': 'Default concurrency',
  'admin.users.title': 'Users',
  'admin.users.new': 'New user',
  'admin.users.edit': 'Edit user',
  'admin.users.email': 'Email',
  'admin.users.name': 'Name',
  'admin.users.role': 'Role',
  'admin.users.password': 'Initial password',
  'admin.users.concurrency': 'Concurrency cap',
  'admin.users.concurrencyHint': 'Leave empty to use the skill group default',
  'admin.users.stores': 'Stores',
  'admin.users.groups': 'Skill groups',
  'admin.users.status': 'Status',
  'admin.users.disabled': 'Disabled',
  'admin.users.enabled': 'Active',
  'admin.users.disable': 'Disable',
  'admin.users.enable': 'Enable',
  'admin.tokens.title': 'API tokens',
  'admin.tokens.new': 'New token',
  'admin.tokens.lastUsed': 'Last used',
  'admin.tokens.revoked': 'Revoked',
  'admin.tokens.active': 'Active',
  'admin.tokens.revoke': 'Revoke',
  'admin.tokens.confirmRevoke': 'Integrations using this token stop working at once. Revoke it?',
  'admin.tokens.createdTitle': 'Token created',
  'admin.tokens.createdHint': 'This is the only time the token is shown. Copy it and keep it safe.',
  'admin.tokens.never': 'Never',
  'admin.audit.title': 'Audit log',
  'admin.audit.time': 'Time',
  'admin.audit.actor': 'Actor',
  'admin.audit.action': 'Action',
  'admin.audit.target': 'Target',
  'admin.audit.detail': 'Detail',
  'admin.audit.system': 'System',
};

export const LANGUAGES = ['zh-CN', 'en'] as const;
export type TLanguage = (typeof LANGUAGES)[number];

const dictionaries: Record<TLanguage, TDictionary> = { 'zh-CN': zhCN, en };
const STORAGE_KEY = 'peakdesk.lang';

function isLanguage(value: unknown): value is TLanguage {
  return value === 'zh-CN' || value === 'en';
}

function readStoredLanguage(): TLanguage {
  try {
    const stored = window.localStorage.getItem(STORAGE_KEY);
    return isLanguage(stored) ? stored : 'zh-CN';
  } catch {
    // Private mode or blocked storage: fall back to the default language.
    return 'zh-CN';
  }
}

// A module-level store instead of a context: the language is global, and this keeps lib/ free of JSX.
let currentLanguage: TLanguage = readStoredLanguage();
document.documentElement.lang = currentLanguage;
const listeners = new Set<() => void>();

function setLanguage(language: TLanguage): void {
  if (language === currentLanguage) return;
  currentLanguage = language;
  try {
    window.localStorage.setItem(STORAGE_KEY, language);
  } catch {
    // Not persisted; the switch still applies to this tab.
  }
  document.documentElement.lang = language;
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}

function getLanguage(): TLanguage {
  return currentLanguage;
}

export type TTranslate = (key: TMessageKey, params?: Record<string, string | number>) => string;

/** Replaces `{name}` placeholders; unknown names stay as written (quick-reply help text shows them). */
function translate(language: TLanguage, key: TMessageKey, params?: Record<string, string | number>): string {
  const text = dictionaries[language][key];
  if (!params) return text;
  return text.replace(/\{([a-zA-Z_]+)\}/g, (whole, name: string) => {
    const value = params[name];
    return value === undefined ? whole : String(value);
  });
}

export function useI18n(): { t: TTranslate; language: TLanguage; setLanguage: (l: TLanguage) => void } {
  const language = useSyncExternalStore(subscribe, getLanguage, getLanguage);
  const t = useCallback<TTranslate>((key, params) => translate(language, key, params), [language]);
  return { t, language, setLanguage };
}

/** Locale tag for Intl formatting of dates and numbers. */
function intlLocale(language: TLanguage): string {
  return language === 'zh-CN' ? 'zh-CN' : 'en-US';
}

export function formatDateTime(language: TLanguage, iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(intlLocale(language), { dateStyle: 'short', timeStyle: 'short' }).format(
    date,
  );
}

export function formatTime(language: TLanguage, iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const isToday = date.toDateString() === new Date().toDateString();
  return new Intl.DateTimeFormat(
    intlLocale(language),
    isToday
      ? { hour: '2-digit', minute: '2-digit' }
      : { month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' },
  ).format(date);
}
