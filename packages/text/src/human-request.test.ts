import { describe, expect, it } from 'vitest';
import { detectHumanRequest } from './human-request.ts';

const HUMAN = [
  '转人工',
  '人工',
  '人工客服',
  '找真人',
  '真人客服',
  '叫你们客服出来',
  '我要投诉找人',
  '转人工！！！',
  '轉人工',
  '人工服务谢谢',
  '我不要机器人 给我找个人来',
  '有没有真人啊',
  '你们领导呢 叫你们经理出来',
  '客服',
  '麻烦转接人工',
  '机器人听不懂人话 换人工',
  '在吗 人工客服',
  '我要投诉',
];

const ORDINARY = [
  '亲，保价吗',
  '安装要人工费吗',
  '人工成本算在里面了吗',
  '什么时候发货',
  '尾款什么时候付',
  '这个是真皮的吗',
  '客服几点上班',
  '人工智能空调好用吗',
  '快递员人很好',
  '能开发票吗',
  '帮我查下物流',
  '收到的东西坏了怎么办',
  '有没有优惠券',
  '送货上门吗',
];

describe('detectHumanRequest', () => {
  it.each(HUMAN)('hands off for %s', (text) => {
    expect(detectHumanRequest(text)).toBe(true);
  });

  it.each(ORDINARY)('keeps the bot for %s', (text) => {
    expect(detectHumanRequest(text)).toBe(false);
  });
});
