import { normalizeText } from './normalize-text.ts';

// Phrases that ask for a person. Written as patterns over normalised text (simplified, lower case);
// "人工" must not fire on 人工费/人工成本 (installation labour cost is an ordinary question).
const HUMAN_PATTERNS: readonly RegExp[] = [
  /(?:转人工|转接人工|接人工|找人工|要人工|叫人工|换人工|人工服务|人工客服|人工坐席|人工座席)(?![费成智])/,
  /^(?:人工|真人|客服|人工吧|人工啊|转|人)[?!.~,\s]*$/,
  /人工(?![费成智])/,
  /(?:找|叫|要|换|转|让|来)(?:个|一个)?(?:真人|活人|人)(?:来|跟我|和我|说|聊|回答|处理|吧|啊|!|$)/,
  /真人客服|真人回复|真人回答|有没有真人|是真人吗|不要机器人|别用机器人|不想跟机器人|不和机器人|机器人听不懂|跟机器人说不清/,
  /(?:叫|让|找)你们(?:的)?(?:客服|人|领导|经理|主管|负责人|老板)(?:出来|来|过来|说话|回复)/,
  /投诉.{0,4}(?:找人|找你们|找客服|找领导|找经理)|我要投诉|我要找你们领导|找你们领导/,
  /(?:在吗|有人吗).{0,3}(?:客服|人工)|有没有人(?:在|回)|有活人吗|能不能找个人|^kf$|^rg$/,
];

/** True when the buyer asks to be handed to a human agent (转人工 and its many spellings). */
export function detectHumanRequest(text: string): boolean {
  const normalized = normalizeText(text, { trimFillers: false });
  return HUMAN_PATTERNS.some((pattern) => pattern.test(normalized));
}
