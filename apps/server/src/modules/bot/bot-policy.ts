import type { TBotMode, THandoffReason } from '@peakdesk/contracts';

/** What the quality-inspection hook says about one customer message. */
export type RiskAssessment = { level: 'none' | 'negative' | 'risk'; matched: string[] };
/** Quality inspection plugs in here; the default is a keyword rule. */
export type RiskDetector = (text: string) => RiskAssessment;

const RISK_WORDS = [
  '投诉',
  '12315',
  '差评',
  '举报',
  '曝光',
  '消协',
  '工商局',
  '市场监管',
  '律师',
  '起诉',
  '媒体',
  '315',
];
const NEGATIVE_WORDS = [
  '垃圾',
  '骗子',
  '骗人',
  '气死',
  '太差',
  '无语',
  '坑人',
  '恶心',
  '滚',
  '什么破',
  '退钱',
  '欺诈',
];

export const detectRiskByKeywords: RiskDetector = (text) => {
  const risk = RISK_WORDS.filter((w) => text.includes(w));
  if (risk.length > 0) return { level: 'risk', matched: risk };
  const negative = NEGATIVE_WORDS.filter((w) => text.includes(w));
  return negative.length > 0 ? { level: 'negative', matched: negative } : { level: 'none', matched: [] };
};

export type BusinessHours = { timezone: string; hoursStart: string; hoursEnd: string; workDays: number[] };

const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

/** True when `now` falls in the store's business hours (an end before the start spans midnight). */
export function isWithinBusinessHours(hours: BusinessHours, now: Date): boolean {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: hours.timezone,
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(now);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  const day = WEEKDAYS[part('weekday')] ?? 0;
  const clock = `${part('hour')}:${part('minute')}`;
  const { hoursStart: start, hoursEnd: end } = hours;
  if (start === end) return hours.workDays.includes(day);
  if (start < end) return hours.workDays.includes(day) && clock >= start && clock < end;
  // Overnight: the part after midnight belongs to the previous day's shift.
  if (clock >= start) return hours.workDays.includes(day);
  const previous = day === 1 ? 7 : day - 1;
  return clock < end && hours.workDays.includes(previous);
}

/** Whether a new conversation of the store starts with the bot. */
export function isBotServing(mode: TBotMode, hours: BusinessHours, now: Date): boolean {
  switch (mode) {
    case 'bot_first':
      return true;
    case 'human_first':
      return false;
    case 'bot_outside_hours':
      return !isWithinBusinessHours(hours, now);
  }
}

export type TurnInput = {
  isHumanRequest: boolean;
  risk: RiskAssessment;
  handoffOnRisk: boolean;
  isVip: boolean;
  /** The FAQ the matcher would answer with (null: it abstained). */
  faqId: string | null;
  /** Unanswered questions in a row before this one. */
  unansweredInRow: number;
  maxUnanswered: number;
};

export type TurnDecision =
  | { outcome: 'answered'; reason: null }
  | { outcome: 'abstained'; reason: null }
  | { outcome: 'handoff'; reason: THandoffReason };

/** One bot turn, decided from a table of rules; a request for a human always wins. */
export function decideTurn(t: TurnInput): TurnDecision {
  if (t.isHumanRequest) return { outcome: 'handoff', reason: 'customer_request' };
  if (t.handoffOnRisk && t.risk.level !== 'none') return { outcome: 'handoff', reason: 'risk' };
  if (t.isVip) return { outcome: 'handoff', reason: 'vip' };
  if (t.faqId) return { outcome: 'answered', reason: null };
  if (t.unansweredInRow + 1 >= t.maxUnanswered) return { outcome: 'handoff', reason: 'unanswered' };
  return { outcome: 'abstained', reason: null };
}

/** What the bot tells the buyer when it hands over (the agent sees it in the transcript too). */
export const HANDOFF_REPLIES: Record<THandoffReason, string> = {
  customer_request: '好的亲，正在为您转接人工客服，请稍候～',
  unanswered: '抱歉亲，这个问题小助手暂时回答不了，正在为您转接人工客服，请稍候～',
  risk: '非常抱歉给您带来不好的体验，已为您优先转接人工客服处理，请稍候～',
  vip: '尊敬的会员您好，正在为您转接专属客服，请稍候～',
  business_hours: '正在为您转接人工客服，请稍候～',
};

export const ABSTAIN_REPLY =
  '抱歉亲，小助手没有完全理解您的问题。您可以换个说法问问，或回复「转人工」联系人工客服～';
