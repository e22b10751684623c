import type { FastifyInstance } from 'fastify';
import type { Services } from '../services.ts';
import { demoOrg } from './demo-data.ts';

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** A fake store page with the widget embedded exactly as a merchant would embed it. */
export function registerDemoRoutes(app: FastifyInstance, s: Services) {
  app.get('/demo', { schema: { hide: true } }, async (req, reply) => {
    const admin = await s.accounts.repo.findUserByEmail(demoOrg.users[0]!.email);
    const org = admin
      ? await s.accounts.repo.getOrganization(admin.orgId)
      : await s.accounts.repo.firstOrganization();
    const stores = org ? await s.accounts.repo.listStores(org.id) : [];
    const wanted = (req.query as { store?: string }).store;
    const store = stores.find((x) => x.id === wanted) ?? stores[0];
    if (!store)
      return reply.status(404).type('text/plain; charset=utf-8').send('no store yet: start with --demo');
    const links = stores
      .map(
        (x) =>
          `<a href="/demo?store=${esc(x.id)}"${x.id === store.id ? ' class="on"' : ''}>${esc(x.name)}</a>`,
      )
      .join(' ');
    const products = [
      ['山海智能变频空调 1.5匹', '¥2,599', '双11定金¥100抵¥300'],
      ['山海滚筒洗衣机 10公斤', '¥1,899', '前1小时付尾款送烘干套装'],
      ['山海空气炸锅 5L', '¥299', '跨店每满300减50'],
      ['山海破壁料理机', '¥459', '价保15天'],
    ]
      .map(
        ([n, p, t]) =>
          `<div class="card"><div class="img"></div><h3>${n}</h3><b>${p}</b><small>${t}</small></div>`,
      )
      .join('');
    return reply.type('text/html; charset=utf-8').send(`<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(store.name)} · PeakDesk 演示店铺</title>
<style>body{font-family:system-ui,'PingFang SC','Microsoft YaHei',sans-serif;margin:0;background:#f5f5f5;color:#222}
header{background:#ff5000;color:#fff;padding:16px 24px}header h1{margin:0;font-size:20px}nav{padding:8px 24px;background:#fff}
nav a{margin-right:12px;color:#555}nav a.on{color:#ff5000;font-weight:bold}.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(200px,1fr));gap:16px;padding:24px}
.card{background:#fff;border-radius:8px;padding:12px}.card .img{height:120px;background:linear-gradient(135deg,#ffd7c2,#ffe9dc);border-radius:6px}
.card h3{font-size:15px}.card b{color:#ff5000;font-size:18px;display:block}.card small{color:#888}</style></head>
<body><header><h1>${esc(store.name)}</h1><div>双11 狂欢 · 定金膨胀 · 跨店满减</div></header><nav>${links}</nav>
<div class="grid">${products}</div>
<script src="/widget.js" data-store="${esc(store.id)}"></script></body></html>`);
  });
}
