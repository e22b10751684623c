import { z } from 'zod';
import { MESSAGE_TEXT_MAX } from './chat.ts';
import { updateSchemaOf, ZId } from './common.ts';

// ---------- lanes and entry rules ----------
/** Priority lanes: complaint risk first, then VIP, then everyone else; FIFO inside a lane. */
export const ZLane = z.enum(['normal', 'vip', 'risk']);
export type TLane = z.infer<typeof ZLane>;
export const LANE_PRIORITY: Record<TLane, number> = { normal: 0, vip: 10, risk: 20 };
export const laneOfPriority = (priority: number): TLane =>
  priority >= LANE_PRIORITY.risk ? 'risk' : priority >= LANE_PRIORITY.vip ? 'vip' : 'normal';

export const ZEntryPoint = z.enum(['store_page', 'order_page', 'product_page']);
export type TEntryPoint = z.infer<typeof ZEntryPoint>;
export const ZBuyerTier = z.enum(['normal', 'vip']);
export type TBuyerTier = z.infer<typeof ZBuyerTier>;

/** Every condition given must hold; an empty object matches every conversation. */
export const ZRuleConditions = z
  .object({
    entries: z.array(ZEntryPoint).min(1).optional(),
    tiers: z.array(ZBuyerTier).min(1).optional(),
    buyerIds: z.array(z.string().trim().min(1).max(128)).min(1).max(5000).optional(),
    keywords: z.array(z.string().trim().min(1).max(50)).min(1).max(200).optional(),
    hasOpenTicket: z.boolean().optional(),
    riskFlag: z.boolean().optional(),
  })
  .strict();
export type TRuleConditions = z.infer<typeof ZRuleConditions>;

export const ZRoutingRule = z.object({
  id: ZId,
  storeId: ZId,
  position: z.number().int(),
  name: z.string(),
  enabled: z.boolean(),
  conditions: ZRuleConditions,
  /** null = the store's default group. */
  groupId: ZId.nullable(),
  lane: ZLane,
});
export type TRoutingRule = z.infer<typeof ZRoutingRule>;

export const ZCreateRoutingRuleRequest = z.object({
  storeId: ZId,
  position: z.number().int().min(0).max(10_000).default(0),
  name: z.string().trim().min(1, 'must not be empty').max(100),
  enabled: z.boolean().default(true),
  conditions: ZRuleConditions.default({}),
  groupId: ZId.nullable().default(null),
  lane: ZLane.default('normal'),
});
export type TCreateRoutingRuleRequest = z.infer<typeof ZCreateRoutingRuleRequest>;
export const ZUpdateRoutingRuleRequest = updateSchemaOf(ZCreateRoutingRuleRequest.omit({ storeId: true }));
export type TUpdateRoutingRuleRequest = z.infer<typeof ZUpdateRoutingRuleRequest>;

// ---------- business hours ----------
const ZClock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'must be HH:MM (00:00–24:00)');
export const ZPeriod = z
  .object({ start: ZClock, end: ZClock })
  .refine((p) => p.start < p.end, { message: 'end must be after start', path: ['end'] });
export type TPeriod = z.infer<typeof ZPeriod>;
const ZDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD');
const ZWeekday = z.enum(['0', '1', '2', '3', '4', '5', '6']);
export const ZBusinessHours = z.object({
  /** Weekday (0 = Sunday … 6 = Saturday) → open periods; a missing day is closed. */
  weekly: z.partialRecord(ZWeekday, z.array(ZPeriod).max(10)),
  /** Closed all day. */
  holidays: z.array(ZDate).max(366).default([]),
  /** Replace the weekly periods on a date, e.g. promotion day 00:00–24:00. */
  specialDays: z
    .array(z.object({ date: ZDate, periods: z.array(ZPeriod).max(10) }))
    .max(366)
    .default([]),
});
export type TBusinessHours = z.infer<typeof ZBusinessHours>;

const isTimeZone = (tz: string) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

// ---------- group routing settings ----------
export const ZStrategy = z.enum(['least_busy', 'sticky', 'round_robin']);
export type TStrategy = z.infer<typeof ZStrategy>;
export const ZOverflowAction = z.enum(['none', 'reserve_group', 'leave_message', 'bot']);
export const ZAfterHoursAction = z.enum(['queue', 'group', 'leave_message', 'bot']);

const ZGroupRoutingFields = z.object({
  strategy: ZStrategy,
  stickyDays: z.number().int().min(1).max(365),
  maxWaitSeconds: z.number().int().min(1).max(86_400).nullable(),
  overflowAction: ZOverflowAction,
  overflowGroupId: ZId.nullable(),
  noReplySeconds: z.number().int().min(1).max(86_400).nullable(),
  pauseAfterMisses: z.number().int().min(1).max(100).nullable(),
  serviceLevelSeconds: z.number().int().min(1).max(3600),
  alertQueueLength: z.number().int().min(1).nullable(),
  alertWaitSeconds: z.number().int().min(1).nullable(),
  timezone: z.string().refine(isTimeZone, 'must be an IANA time zone such as Asia/Shanghai'),
  businessHours: ZBusinessHours.nullable(),
  afterHoursAction: ZAfterHoursAction,
  afterHoursGroupId: ZId.nullable(),
});
export const ZGroupRouting = ZGroupRoutingFields.extend({ groupId: ZId, name: z.string() });
export type TGroupRouting = z.infer<typeof ZGroupRouting>;

export const ZUpdateGroupRoutingRequest = updateSchemaOf(ZGroupRoutingFields)
  .refine((r) => r.overflowAction !== 'reserve_group' || r.overflowGroupId, {
    message: 'a reserve group is required when overflowing to a reserve group',
    path: ['overflowGroupId'],
  })
  .refine((r) => r.afterHoursAction !== 'group' || r.afterHoursGroupId, {
    message: 'a group is required when after-hours chats go to another group',
    path: ['afterHoursGroupId'],
  });
export type TUpdateGroupRoutingRequest = z.infer<typeof ZUpdateGroupRoutingRequest>;

// ---------- customers (hooks for VIP lists and quality inspection) ----------
export const ZCustomerRoutingFlags = z.object({
  tier: ZBuyerTier.optional(),
  riskFlag: z.boolean().optional(),
});
export type TCustomerRoutingFlags = z.infer<typeof ZCustomerRoutingFlags>;

// ---------- queue ----------
export const ZQueuePosition = z.object({
  conversationId: ZId,
  /** 1-based place in the group's queue (lanes first, FIFO inside a lane); 0 when held after hours. */
  position: z.number().int().min(0),
  queueLength: z.number().int().min(0),
  /** null when nobody who could serve is online. */
  etaSeconds: z.number().int().min(0).nullable(),
  /** The group's max wait passed: the customer may leave a message instead (until they keep waiting). */
  leaveMessageOffered: z.boolean(),
  /**
   * The group is outside its business hours (afterHoursAction leave_message): not in the queue, nobody
   * will be assigned; leave-a-message is offered (no keep-waiting). `serviceHours` describes the weekly
   * hours (zh-CN), null when there are none to show.
   */
  afterHours: z.object({ serviceHours: z.string().nullable() }).nullable(),
});
export type TQueuePosition = z.infer<typeof ZQueuePosition>;

// ---------- leave-a-message (offered after the max wait) ----------
/** A phone number (7–15 digits; spaces, dashes and a leading + allowed), an e-mail address or a WeChat ID. */
export const isContact = (s: string): boolean => {
  if (/^\+?[\d\s-]+$/.test(s)) {
    const digits = s.replace(/\D/g, '').length;
    return digits >= 7 && digits <= 15;
  }
  if (s.includes('@')) return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(s);
  return /^[A-Za-z][-_A-Za-z0-9]{5,19}$/.test(s);
};
export const ZLeaveMessageRequest = z.object({
  message: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(MESSAGE_TEXT_MAX, `must be at most ${MESSAGE_TEXT_MAX} characters`),
  /** Optional; empty means none. */
  contact: z
    .string()
    .trim()
    .max(64, 'must be at most 64 characters')
    .refine((s) => s === '' || isContact(s), 'must be a phone number, an e-mail address or a WeChat ID')
    .optional(),
});
export type TLeaveMessageRequest = z.infer<typeof ZLeaveMessageRequest>;

// ---------- transfers and supervision ----------
export const ZTransferRequest = z
  .object({
    toAgentId: ZId.optional(),
    toGroupId: ZId.optional(),
    note: z.string().trim().max(500).default(''),
  })
  .refine((r) => (r.toAgentId ? 1 : 0) + (r.toGroupId ? 1 : 0) === 1, {
    message: 'give exactly one of toAgentId or toGroupId',
    path: ['toAgentId'],
  });
export type TTransferRequest = z.infer<typeof ZTransferRequest>;
export const ZTransferNotice = z.object({
  conversationId: ZId,
  fromName: z.string(),
  note: z.string(),
});
export type TTransferNotice = z.infer<typeof ZTransferNotice>;

// ---------- supervisor wall ----------
export const ZDerivedAgentState = z.enum(['online', 'busy', 'paused', 'away', 'offline']);
export type TDerivedAgentState = z.infer<typeof ZDerivedAgentState>;
/** The wall's wait alert for a group that set neither an alert threshold nor a max wait: 10 minutes. */
export const DEFAULT_WAIT_ALERT_SECONDS = 600;
export const ZWallGroup = z.object({
  groupId: ZId,
  name: z.string(),
  queueLength: z.number().int(),
  queuedByLane: z.record(ZLane, z.number().int()),
  longestWaitSeconds: z.number().int(),
  serviceLevelSeconds: z.number().int(),
  /** Share of conversations answered by an agent within T seconds of queueing; null = none to judge. */
  serviceLevel15: z.number().nullable(),
  serviceLevel60: z.number().nullable(),
  agentsOnline: z.number().int(),
  freeSlots: z.number().int(),
  isOpen: z.boolean(),
  /** Customers holding an after-hours leave-a-message offer (outside the queue and its numbers). */
  afterHoursOffers: z.number().int(),
  /**
   * `no_agents`: customers wait and no member is online; `wait`: the longest wait passed the group's
   * alert threshold, or, when none is set, its max wait, or else DEFAULT_WAIT_ALERT_SECONDS.
   */
  alerts: z.array(z.enum(['queue_length', 'wait', 'no_agents'])),
  /** The wait the `wait` alert compares against. */
  waitAlertSeconds: z.number().int(),
});
export const ZWallAgent = z.object({
  id: ZId,
  name: z.string(),
  state: ZDerivedAgentState,
  active: z.number().int(),
  cap: z.number().int(),
  groupIds: z.array(ZId),
});
export const ZWallWaiting = z.object({
  conversationId: ZId,
  customerName: z.string(),
  agentId: ZId,
  agentName: z.string(),
  waitingSeconds: z.number().int(),
});
export const ZWallSnapshot = z.object({
  at: z.string(),
  groups: z.array(ZWallGroup),
  agents: z.array(ZWallAgent),
  waitingForReply: z.array(ZWallWaiting),
  /** Mean absolute error of the queue-wait estimate over the last hour (seconds); null = no samples. */
  estimateErrorSeconds: z.number().nullable(),
  estimateSamples: z.number().int(),
  /** Left messages (leave-a-message placeholders) of the organisation not yet handled. */
  openLeaveMessages: z.number().int(),
  /**
   * Set when the wall watches a drill organisation: its latest run, and the drill's service level
   * in simulated time (first agent reply within `targetSeconds` simulated = targetSeconds / speed
   * real seconds, over every conversation queued since the run started). It is the definition the
   * drill page, its summary and its report use (`serviceLevelOf` in @peakdesk/simulator).
   */
  drill: z
    .object({
      runId: ZId,
      name: z.string(),
      status: z.enum(['running', 'finished', 'failed']),
      speed: z.number(),
      targetSeconds: z.number().int(),
      startedAt: z.string(),
      finishedAt: z.string().nullable(),
      /** null until a queued conversation's outcome is known. */
      serviceLevel: z.number().nullable(),
      /** Conversations queued for a human since the run started. */
      queued: z.number().int(),
    })
    .nullable(),
});
export type TWallSnapshot = z.infer<typeof ZWallSnapshot>;
export type TWallGroup = z.infer<typeof ZWallGroup>;
export type TWallAgent = z.infer<typeof ZWallAgent>;

/** `handled` = a supervisor or admin marked it done (stored as placeholder status 'closed'). */
export const ZLeaveMessageStatus = z.enum(['open', 'handled']);
export const ZLeaveMessage = z.object({
  id: ZId,
  storeId: ZId,
  storeName: z.string(),
  customerId: ZId,
  customerName: z.string(),
  conversationId: ZId.nullable(),
  status: ZLeaveMessageStatus,
  /** When it was left: after the group's max wait, or outside business hours. */
  reason: z.enum(['max_wait', 'after_hours', 'other']),
  /** What the customer wrote; empty only for rows recorded before the customer was asked (≤ 0007). */
  message: z.string(),
  contact: z.string().nullable(),
  createdAt: z.string(),
  handledAt: z.string().nullable(),
  handledByName: z.string().nullable(),
});
export type TLeaveMessage = z.infer<typeof ZLeaveMessage>;
export const ZLeaveMessageQuery = z.object({ status: ZLeaveMessageStatus.optional() });
export const ZUpdateLeaveMessageRequest = z.object({ status: ZLeaveMessageStatus });
export type TUpdateLeaveMessageRequest = z.infer<typeof ZUpdateLeaveMessageRequest>;
