import type { TPlatform, TQuickReplyCategory } from '@peakdesk/contracts';

export const DEMO_PASSWORD = 'peakdesk-demo';

export const demoOrg = {
  name: '山海优选电器（演示商家）',
  groups: [
    { name: '售前', cap: 5 },
    { name: '售后', cap: 4 },
  ],
  stores: [
    {
      name: '山海优选天猫旗舰店',
      platform: 'tmall' as TPlatform,
      defaultGroup: '售前',
      greeting: '亲，欢迎光临山海优选天猫旗舰店～双11预售定金膨胀进行中，有什么可以帮您？',
    },
    {
      name: '山海优选京东自营专区',
      platform: 'jd' as TPlatform,
      defaultGroup: '售前',
      greeting: '您好，欢迎来到山海优选京东店铺，京东物流次日达，有问题随时问我哦。',
    },
  ],
  users: [
    {
      email: 'admin@demo.peakdesk.local',
      name: '王经理',
      role: 'admin' as const,
      groups: [] as string[],
      cap: null,
    },
    {
      email: 'supervisor@demo.peakdesk.local',
      name: '陈主管',
      role: 'supervisor' as const,
      groups: ['售前', '售后'],
      cap: null,
    },
    { email: 'xiaomei@demo.peakdesk.local', name: '小美', role: 'agent' as const, groups: ['售前'], cap: 5 },
    { email: 'xiaoya@demo.peakdesk.local', name: '小雅', role: 'agent' as const, groups: ['售前'], cap: 5 },
    {
      email: 'ajie@demo.peakdesk.local',
      name: '阿杰',
      role: 'agent' as const,
      groups: ['售前', '售后'],
      cap: 6,
    },
    { email: 'xiaolin@demo.peakdesk.local', name: '小林', role: 'agent' as const, groups: ['售后'], cap: 4 },
    { email: 'xiaozhou@demo.peakdesk.local', name: '小周', role: 'agent' as const, groups: ['售后'], cap: 4 },
  ],
};

export const demoQuickReplies: {
  category: TQuickReplyCategory;
  shortcut: string;
  title: string;
  body: string;
}[] = [
  {
    category: 'welcome',
    shortcut: 'hi',
    title: '欢迎语',
    body: '亲，您好～我是{store_name}的客服{agent_name}，很高兴为您服务，请问有什么可以帮您？',
  },
  {
    category: 'welcome',
    shortcut: 'hi2',
    title: '大促欢迎',
    body: '{buyer_name}您好！双11活动火热进行中，付定金立享膨胀，有任何问题随时找{agent_name}哦～',
  },
  {
    category: 'waiting',
    shortcut: 'wait',
    title: '稍等查询',
    body: '亲，稍等一下哦，{agent_name}这边马上帮您查询～',
  },
  {
    category: 'waiting',
    shortcut: 'busy',
    title: '咨询量大',
    body: '亲，今天咨询的小伙伴比较多，回复稍慢还请见谅，您的问题我已经记下了，马上为您处理！',
  },
  {
    category: 'closing',
    shortcut: 'bye',
    title: '结束语',
    body: '感谢{buyer_name}的耐心，还有其他问题随时联系我们哦，祝您生活愉快～',
  },
  {
    category: 'closing',
    shortcut: 'rate',
    title: '邀请评价',
    body: '亲，如果对{agent_name}的服务满意，麻烦稍后给个好评哦，您的鼓励是我们最大的动力～',
  },
  {
    category: 'soothing',
    shortcut: 'sorry',
    title: '安抚道歉',
    body: '非常抱歉给您带来不好的体验，{agent_name}完全理解您的心情，我这就帮您优先处理，请您放心。',
  },
  {
    category: 'soothing',
    shortcut: 'calm',
    title: '物流延迟安抚',
    body: '亲，大促期间快递量暴增，物流可能会慢一点，真的很抱歉让您久等了，我已经帮您催促仓库加急处理。',
  },
  {
    category: 'promotion',
    shortcut: 'd11',
    title: '双11规则',
    body: '亲，双11预售付定金可享定金膨胀，11月11日0点开始付尾款，尾款时间截止到11日23:59，记得按时付款哦～',
  },
  {
    category: 'promotion',
    shortcut: 'coupon',
    title: '优惠券',
    body: '亲，店铺满1000减100的券可以和平台跨店满减叠加使用，下单时系统会自动帮您选择最优惠的组合～',
  },
  {
    category: 'promotion',
    shortcut: 'baojia',
    title: '保价说明',
    body: '亲，本店支持双11价保，购买后15天内如果降价，可以联系客服申请退还差价哦～',
  },
  {
    category: 'logistics',
    shortcut: 'ship',
    title: '发货时间',
    body: '亲，现货订单付款后48小时内发货，预售商品按页面约定时间发货，发货后可以在订单详情查看物流哦～',
  },
  {
    category: 'logistics',
    shortcut: 'track',
    title: '查物流',
    body: '亲，您的包裹已经在路上啦，可以在“我的订单-查看物流”里实时查看，有异常我们会第一时间联系您。',
  },
  {
    category: 'logistics',
    shortcut: 'addr',
    title: '修改地址',
    body: '亲，还没发货的订单可以帮您修改地址，麻烦发一下新的收货人、电话和详细地址哦～',
  },
  {
    category: 'returns',
    shortcut: 'return',
    title: '七天无理由',
    body: '亲，本店支持七天无理由退换货，商品不影响二次销售即可，在订单页申请退货就可以啦～',
  },
  {
    category: 'returns',
    shortcut: 'refund',
    title: '退款进度',
    body: '亲，退款审核通过后，一般1-3个工作日原路退回，请您留意账户到账信息哦～',
  },
  {
    category: 'custom',
    shortcut: 'install',
    title: '预约安装',
    body: '亲，大家电签收后可以在订单页“预约安装”，师傅会在24小时内电话联系您确认上门时间～',
  },
];
