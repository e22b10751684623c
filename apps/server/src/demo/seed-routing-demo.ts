import type { TCreateRoutingRuleRequest } from '@peakdesk/contracts';
import type { UserCaller } from '../http/caller.ts';
import { NEW_GROUP_ROUTING } from '../modules/accounts/accounts.service.ts';
import type { Services } from '../services.ts';

/** What `seedDemo` made that the routing seed builds on. */
export type DemoRoutingBase = {
  admin: UserCaller;
  /** Store ids in the order of `demoOrg.stores` (天猫, 京东). */
  storeIds: readonly string[];
  groups: ReadonlyMap<string, string>;
};

const closedAllWeek = { weekly: {}, holidays: [], specialDays: [] };

/** Rules a merchant would have before a promotion: after-sales words to 售后, VIPs first, complaints as risk. */
function demoRules(b: DemoRoutingBase): TCreateRoutingRuleRequest[] {
  const [tmall, jd] = b.storeIds;
  const afterSales = b.groups.get('售后') ?? null;
  return [
    {
      storeId: tmall!,
      position: 0,
      name: '投诉与差评优先处理',
      enabled: true,
      conditions: { keywords: ['投诉', '差评', '12315', '曝光'] },
      groupId: afterSales,
      lane: 'risk',
    },
    {
      storeId: tmall!,
      position: 1,
      name: '88VIP 会员优先',
      enabled: true,
      conditions: { tiers: ['vip'] },
      groupId: null,
      lane: 'vip',
    },
    {
      storeId: tmall!,
      position: 2,
      name: '退换货、维修、发票转售后',
      enabled: true,
      conditions: { keywords: ['退货', '退款', '换货', '维修', '发票', '安装'] },
      groupId: afterSales,
      lane: 'normal',
    },
    {
      storeId: jd!,
      position: 0,
      name: '京东售后问题转售后',
      enabled: true,
      conditions: { keywords: ['退货', '退款', '换货', '维修', '价保'] },
      groupId: afterSales,
      lane: 'normal',
    },
  ];
}

/** Customers who left a message while nobody could take them (the 留言 page's first content). */
const demoLeftMessages = [
  {
    store: 0,
    question: '空调预售定金付了，尾款什么时候付？',
    message: '预售的空调尾款哪天开始付？我白天上班，麻烦短信通知我一下。',
    contact: '13800138000',
  },
  {
    store: 0,
    question: '发票开错了',
    message: '上周买的洗衣机发票抬头开成了个人，需要改成公司：杭州山海科技有限公司，税号已发在订单留言里。',
    contact: 'shanhai-finance@example.com',
  },
  {
    store: 1,
    question: '冰箱送货能约周末吗？',
    message: '京东订单的冰箱能不能约周六上午送货安装？工作日家里没人。',
    contact: null,
  },
] as const;

/**
 * Routing for the demo merchant, through the same services the admin pages use: entry rules, a max wait
 * with leave-a-message on both groups, and a few left messages (customers who wrote outside service
 * hours). Runs once, inside `seedDemo`, before the stores switch to bot-first.
 */
export async function seedDemoRouting(s: Services, b: DemoRoutingBase): Promise<void> {
  // Left messages first: with the rules in place an after-sales question would go to another group.
  await seedDemoLeftMessages(s, b);
  for (const rule of demoRules(b)) await s.routing.createRule(b.admin, rule, async () => true);
  for (const groupId of b.groups.values())
    await s.routing.updateGroupSettings(b.admin, groupId, { ...NEW_GROUP_ROUTING });
}

/**
 * Left messages made the way a customer makes them: the groups are closed for a moment, so a
 * new conversation is offered leave-a-message after hours, the customer writes and leaves one.
 */
async function seedDemoLeftMessages(s: Services, b: DemoRoutingBase): Promise<void> {
  const groupIds = [...b.groups.values()];
  for (const groupId of groupIds)
    await s.routing.updateGroupSettings(b.admin, groupId, {
      businessHours: closedAllWeek,
      afterHoursAction: 'leave_message',
    });
  try {
    for (const m of demoLeftMessages) {
      const session = await s.chat.startWidgetSession({ storeId: b.storeIds[m.store]!, entry: 'store_page' });
      const customer = await s.chat.resolveVisitor(session.visitorToken);
      if (!customer) continue;
      const conversation = await s.chat.openConversation(customer, 'store_page', m.question);
      await s.chat.sendMessage(customer, {
        conversationId: conversation.id,
        clientId: `demo-${conversation.id.slice(0, 8)}`,
        type: 'text',
        body: m.question,
      });
      await s.routing.leaveMessageByCustomer(customer, conversation.id, {
        message: m.message,
        ...(m.contact ? { contact: m.contact } : {}),
      });
    }
  } finally {
    // Open around the clock again (the demo's default): the demo is tried at any hour.
    for (const groupId of groupIds)
      await s.routing.updateGroupSettings(b.admin, groupId, {
        businessHours: null,
        afterHoursAction: 'queue',
      });
  }
}
