import { describe, expect, it } from 'vitest';
import { normalizeText } from './normalize-text.ts';

describe('normalizeText', () => {
  it('folds full-width latin and digits to half-width and lower case', () => {
    expect(normalizeText('ＡＢＣ１２３型号', { trimFillers: false })).toBe('abc123型号');
  });

  it('converts traditional characters to simplified', () => {
    expect(normalizeText('請問運費險怎麼賠著急', { trimFillers: false })).toBe('请问运费险怎么赔着急');
  });

  it('keeps a simplified 么 instead of turning it into 幺', () => {
    expect(normalizeText('肿么还没发货', { trimFillers: false })).toBe('肿么还没发货');
  });

  it('collapses repeated punctuation', () => {
    expect(normalizeText('发货了吗？？？！！', { trimFillers: false })).toBe('发货了吗?');
    expect(normalizeText('好吧！！！', { trimFillers: false })).toBe('好吧!');
    expect(normalizeText('等等。。。好的～～', { trimFillers: false })).toBe('等等…好的~');
  });

  it('strips emoji, bracket emoticons and repeated urgency characters', () => {
    expect(normalizeText('快点发货😭😭[捂脸] 急急急', { trimFillers: false })).toBe('快点发货急');
  });

  it('unifies whitespace and removes spaces inside Chinese text', () => {
    expect(normalizeText('  保 价\t吗  ', { trimFillers: false })).toBe('保价吗');
    expect(normalizeText('iphone 15  pro', { trimFillers: false })).toBe('iphone 15 pro');
  });

  it('trims greetings at the start and mood particles at the end', () => {
    expect(normalizeText('亲，保价吗？')).toBe('保价吗?');
    expect(normalizeText('在吗在吗，尾款什么时候付呀')).toBe('尾款什么时候付');
    expect(normalizeText('你好 请问能开发票吗亲')).toBe('能开发票吗亲');
  });

  it('keeps a message that is only a greeting', () => {
    expect(normalizeText('在吗')).toBe('在吗');
  });

  it('keeps digits such as order numbers intact', () => {
    expect(normalizeText('订单号 2024111100012 到哪了')).toBe('订单号 2024111100012 到哪了');
  });
});
