import { describe, expect, it } from 'vitest';
import {
  decideTurn,
  detectRiskByKeywords,
  isBotServing,
  isWithinBusinessHours,
  type TurnInput,
} from './bot-policy.ts';

const base: TurnInput = {
  isHumanRequest: false,
  risk: { level: 'none', matched: [] },
  handoffOnRisk: true,
  isVip: false,
  faqId: null,
  unansweredInRow: 0,
  maxUnanswered: 2,
};

const cases: [Partial<TurnInput>, string, string | null][] = [
  [{ faqId: 'f1' }, 'answered', null],
  [{}, 'abstained', null],
  [{ unansweredInRow: 1 }, 'handoff', 'unanswered'],
  [{ isHumanRequest: true, faqId: 'f1' }, 'handoff', 'customer_request'],
  [{ risk: { level: 'risk', matched: ['12315'] }, faqId: 'f1' }, 'handoff', 'risk'],
  [{ risk: { level: 'negative', matched: ['垃圾'] }, handoffOnRisk: false, faqId: 'f1' }, 'answered', null],
  [{ isVip: true, faqId: 'f1' }, 'handoff', 'vip'],
  [{ maxUnanswered: 1 }, 'handoff', 'unanswered'],
];

describe('decideTurn', () => {
  it.each(cases)('%o → %s %s', (patch, outcome, reason) => {
    expect(decideTurn({ ...base, ...patch })).toEqual({ outcome, reason });
  });
});

describe('risk keywords', () => {
  it('flags complaints and negative emotion', () => {
    expect(detectRiskByKeywords('再不处理我就打12315投诉').level).toBe('risk');
    expect(detectRiskByKeywords('什么破服务，气死了').level).toBe('negative');
    expect(detectRiskByKeywords('保价吗').level).toBe('none');
  });
});

describe('business hours', () => {
  const hours = {
    timezone: 'Asia/Shanghai',
    hoursStart: '09:00',
    hoursEnd: '23:00',
    workDays: [1, 2, 3, 4, 5],
  };
  it('uses the store time zone and working days', () => {
    expect(isWithinBusinessHours(hours, new Date('2024-11-11T02:00:00Z'))).toBe(true); // Mon 10:00
    expect(isWithinBusinessHours(hours, new Date('2024-11-10T16:30:00Z'))).toBe(false); // Mon 00:30
    expect(isWithinBusinessHours(hours, new Date('2024-11-09T02:00:00Z'))).toBe(false); // Sat 10:00
  });
  it('handles shifts across midnight', () => {
    const night = { ...hours, hoursStart: '20:00', hoursEnd: '02:00' };
    expect(isWithinBusinessHours(night, new Date('2024-11-11T17:00:00Z'))).toBe(true); // Tue 01:00 (Mon shift)
    expect(isWithinBusinessHours(night, new Date('2024-11-11T04:00:00Z'))).toBe(false); // Mon 12:00
  });
  it('maps modes to who answers first', () => {
    const at = new Date('2024-11-11T02:00:00Z');
    expect(isBotServing('bot_first', hours, at)).toBe(true);
    expect(isBotServing('human_first', hours, at)).toBe(false);
    expect(isBotServing('bot_outside_hours', hours, at)).toBe(false);
    expect(isBotServing('bot_outside_hours', hours, new Date('2024-11-10T16:30:00Z'))).toBe(true);
  });
});
