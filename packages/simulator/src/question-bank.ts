import type { Rng } from './rng.ts';

/** The promotion-day question mix, in the voice of real buyers (colloquial, abbreviations, typos). */
export type Topic =
  | 'presale'
  | 'logistics'
  | 'returns'
  | 'price_protection'
  | 'presale_balance'
  | 'invoice'
  | 'complaint';

type TopicBank = { weight: number; openers: string[]; followUps: string[]; humanRate: number };

export const QUESTION_BANK: Record<Topic, TopicBank> = {
  presale: {
    weight: 0.26,
    humanRate: 0.35,
    openers: [
      '在吗？这款空调1.5匹的适合多大房间啊',
      '亲 这个洗衣机是变频的吗',
      '请问现在下单有赠品吗',
      '这个和去年那款有啥区别呀',
      '双11买是不是最便宜的',
      '有没有现货啊 急用',
      '这个颜色还有吗？灰色那个',
      '能不能便宜点啊 老客户了',
      '空气炸锅5L的够三口之家用吗',
      '这款料理机噪音大不大',
    ],
    followUps: [
      '那保修多久呢',
      '包安装吗',
      '好的 那我拍了',
      '能开发票不',
      '优惠券怎么领啊',
      '嗯嗯 知道了谢谢',
    ],
  },
  logistics: {
    weight: 0.22,
    humanRate: 0.3,
    openers: [
      '你好，我的订单什么时候发货？',
      '我买的东西到哪了 三天了还没动',
      '怎么还不发货啊 都付款好几天了',
      '发什么快递啊？能发顺丰吗',
      '物流一直不更新是咋回事',
      '亲 能加急发货吗 过两天要用',
      '我拍了两件为啥只到了一件',
      '可以改地址吗 填错了',
    ],
    followUps: ['大概几天能到啊', '单号多少', '好吧 那再等等', '麻烦帮我催一下', '收到了谢谢'],
  },
  returns: {
    weight: 0.14,
    humanRate: 0.55,
    openers: [
      '东西不想要了怎么退啊',
      '尺寸不合适能换吗',
      '收到的有划痕 要退货',
      '七天无理由是从哪天开始算',
      '退款多久到账啊',
      '退货运费谁出',
    ],
    followUps: ['那我寄回去了 地址发我', '有运费险吗', '已经寄了 单号发你了', '好的谢谢'],
  },
  price_protection: {
    weight: 0.12,
    humanRate: 0.2,
    openers: [
      '亲，保价吗',
      '我前几天买的 今天降价了能退差价不',
      '双11保价到什么时候',
      '价保怎么申请啊',
      '买贵了 能补差价吗',
    ],
    followUps: ['那差价多久退回来', '需要我截图吗', 'ok 懂了'],
  },
  presale_balance: {
    weight: 0.12,
    humanRate: 0.15,
    openers: [
      '尾款什么时候付啊',
      '定金能退吗',
      '付了定金忘记付尾款了咋办',
      '尾款可以用优惠券吗',
      '预售的什么时候发货',
    ],
    followUps: ['几点开始付尾款', '定金膨胀是多少', '好的 设个闹钟'],
  },
  invoice: {
    weight: 0.07,
    humanRate: 0.4,
    openers: ['能开发票吗', '发票抬头写错了能改吗', '要开专票 怎么弄', '电子发票在哪看'],
    followUps: ['税号发你了', '多久能开好', '谢谢'],
  },
  complaint: {
    weight: 0.07,
    humanRate: 0.9,
    openers: [
      '你们怎么回事 东西坏的！',
      '少发了一件 我要投诉',
      '等了一个小时没人理 太差了',
      '再不处理我就给差评了',
      '质量太差了 要退款',
    ],
    followUps: ['转人工', '你们必须给个说法', '我要找你们主管', '算了 赶紧处理吧'],
  },
};

const HUMAN_REQUESTS = ['转人工', '人工客服', '找真人', '我要人工', '人工！'];

export type CustomerScript = {
  topic: Topic;
  messages: string[];
  /** Index in `messages` at which the customer asks for a human, or -1. */
  askHumanAt: number;
  /** Minutes the customer waits for a human before leaving. */
  patienceMinutes: number;
};

export function pickTopic(rng: Rng): Topic {
  const topics = Object.keys(QUESTION_BANK) as Topic[];
  let r = rng.next() * topics.reduce((s, t) => s + QUESTION_BANK[t].weight, 0);
  for (const t of topics) {
    r -= QUESTION_BANK[t].weight;
    if (r <= 0) return t;
  }
  return topics.at(-1)!;
}

/** One customer's conversation plan: opener, follow-ups, when (if) they ask for a human, patience. */
export function createCustomerScript(rng: Rng, opts: { patienceMeanMinutes: number }): CustomerScript {
  const topic = pickTopic(rng);
  const bank = QUESTION_BANK[topic];
  const messages = [rng.pick(bank.openers)];
  const followUps = rng.int(0, 3);
  for (let i = 0; i < followUps; i++) messages.push(rng.pick(bank.followUps));
  let askHumanAt = -1;
  if (rng.chance(bank.humanRate)) {
    askHumanAt = rng.int(1, messages.length + 1);
    messages.splice(askHumanAt, 0, rng.pick(HUMAN_REQUESTS));
  }
  return { topic, messages, askHumanAt, patienceMinutes: rng.exponential(opts.patienceMeanMinutes) };
}

export const AGENT_REPLIES = [
  '亲，您好，这边为您查询一下哦～',
  '好的亲，已经帮您备注加急了',
  '亲，这个问题我帮您登记了，请放心',
  '非常抱歉让您久等了，马上为您处理',
  '亲，还有其他可以帮您的吗？',
  '收到～稍等哦',
];
