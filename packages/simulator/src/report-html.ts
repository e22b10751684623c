import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { SimulationResult } from './run-simulation.ts';

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const hhmm = (minute: number) =>
  `${String(Math.floor(minute / 60) % 24).padStart(2, '0')}:${String(Math.floor(minute % 60)).padStart(2, '0')}`;

/** A self-contained HTML report: ECharts is inlined, so the file opens offline. */
export function renderReportHtml(
  result: SimulationResult,
  meta: { title: string; profile: string; speed: number },
): string {
  const echarts = readFileSync(createRequire(import.meta.url).resolve('echarts/dist/echarts.min.js'), 'utf8');
  const s = result.summary;
  const x = result.series.map((p) => hhmm(p.minute));
  const data = {
    x,
    arrivals: result.series.map((p) => p.arrivals),
    queue: result.series.map((p) => p.queue),
    waits: result.series.map((p) => p.avgWaitSeconds),
    sl: result.series.map((p) => Math.round(p.serviceLevel * 1000) / 10),
    bot: result.series.map((p) => Math.round(p.botShare * 1000) / 10),
  };
  const cards: [string, string][] = [
    ['会话 conversations', String(s.conversations)],
    ['消息 messages', String(s.messages)],
    ['机器人解决 bot resolved', `${(s.botResolvedShare * 100).toFixed(1)}%`],
    ['转人工 handed off', String(s.handedOff)],
    ['服务水平 service level', `${(s.serviceLevel * 100).toFixed(1)}%`],
    ['平均等待 avg wait', `${s.avgWaitSeconds} s`],
    ['放弃 abandoned', String(s.abandoned)],
    ['丢失 lost', String(s.lost)],
    ['重复 duplicated', String(s.duplicated)],
  ];
  const chart = (id: string, title: string) =>
    `<section><h2>${esc(title)}</h2><div id="${id}" class="chart"></div></section>`;
  // JSON inside <script> must not be able to close the tag.
  const json = JSON.stringify(data).replace(/</g, '\\u003c');
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>${esc(meta.title)}</title>
<style>body{font-family:system-ui,'PingFang SC','Microsoft YaHei',sans-serif;margin:24px;color:#222}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(180px,1fr));gap:12px}
.card{border:1px solid #eee;border-radius:8px;padding:12px}.card b{display:block;font-size:22px;margin-top:4px}
.chart{height:280px}section{margin-top:24px}.bad b{color:#cf1322}</style></head><body>
<h1>${esc(meta.title)}</h1>
<p>profile <b>${esc(meta.profile)}</b> · speed ${meta.speed}× · real duration ${(result.durationMs / 1000).toFixed(1)} s</p>
<div class="cards">${cards
    .map(
      ([k, v]) =>
        `<div class="card${(k.includes('lost') || k.includes('duplicated')) && v !== '0' ? ' bad' : ''}">${esc(k)}<b>${esc(v)}</b></div>`,
    )
    .join('')}</div>
${chart('arrivals', `到达量 Arrivals (per ${result.bucketMinutes} min)`)}${chart('queue', '排队峰值 Queue (peak waiting for an agent)')}
${chart('waits', '平均等待 Average wait (s)')}${chart('sl', '服务水平 Service level (%)')}${chart('bot', '机器人承接 Bot share (%)')}
<script>${echarts}</script>
<script>const d=${json};
const mk=(id,name,series,type)=>echarts.init(document.getElementById(id)).setOption({tooltip:{trigger:'axis'},
xAxis:{type:'category',data:d.x},yAxis:{type:'value'},series:[{name,type,data:series,smooth:true}]});
mk('arrivals','arrivals',d.arrivals,'bar');mk('queue','queue',d.queue,'line');mk('waits','wait',d.waits,'line');
mk('sl','service level',d.sl,'line');mk('bot','bot share',d.bot,'line');</script></body></html>`;
}
