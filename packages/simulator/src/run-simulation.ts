import { ChatClient } from '@peakdesk/chat-client';
import type { TConversation, TMessage } from '@peakdesk/contracts';
import { type ArrivalCurve, sampleArrivals } from './arrival-profile.ts';
import { expectServiceLevel } from './expected-service-level.ts';
import {
  answeredWaitsOf,
  type ConversationRecord,
  createDeliveryLedger,
  type SimulationSummary,
  serviceLevelOf,
  summarise,
} from './metrics.ts';
import { AGENT_REPLIES, type CustomerScript, createCustomerScript } from './question-bank.ts';
import { createRng, type Rng } from './rng.ts';

/** Where the simulation runs: a server URL (or several, for multi-instance runs) and a drill organisation. */
export type SimulationTarget = {
  /** Customers and agents are spread over these instance URLs round-robin. */
  urls: string[];
  storeIds: string[];
  agents: { email: string; password: string }[];
};

export type SimulationOptions = {
  curve: ArrivalCurve;
  /** Simulated window of the day, in minutes (e.g. 0–60 for the midnight burst). */
  fromMinute: number;
  toMinute: number;
  /** Simulated seconds per real second. */
  speed: number;
  seed: number;
  patienceMeanMinutes: number;
  /** Simulated seconds an agent takes to answer a customer message (median). */
  agentResponseSeconds: number;
  /** Simulated minutes an agent spends on one conversation (median, lognormal). */
  handleMinutes: number;
  /** Simulated seconds a customer thinks before a follow-up. */
  customerThinkSeconds: number;
  targetSeconds: number;
  /** Chats per agent in the drill organisation: with it the summary carries the Erlang C expectation. */
  concurrency?: number;
  /** Real milliseconds to wait at the end for the agents to empty the queue (default 30 s). */
  drainTimeoutMs?: number;
  /** Called once a (real) second with live figures. */
  onProgress?: (p: SimulationProgress) => void;
  /** Lets a chaos controller act mid-run (e.g. kill an instance); resolves when done. */
  duringRun?: (elapsedRealMs: () => number) => Promise<void>;
};

export type SimulationProgress = {
  simMinute: number;
  arrived: number;
  planned: number;
  /** Conversations queued on the server (as their customers last heard): the wall's queue length. */
  waitingForAgent: number;
  active: number;
  messagesPerSecond: number;
  serviceLevel: number;
};

export type IntervalPoint = {
  minute: number;
  arrivals: number;
  queue: number;
  avgWaitSeconds: number;
  serviceLevel: number;
  botShare: number;
};

export type SimulationResult = {
  summary: SimulationSummary;
  series: IntervalPoint[];
  bucketMinutes: number;
  durationMs: number;
};

type LiveConversation = {
  record: ConversationRecord;
  customer: ChatClient;
  script: CustomerScript;
  sent: number;
  status: TConversation['status'];
  assignee: string | null;
  /** Customer messages (client ids) acknowledged by the server. */
  customerMessages: string[];
  done: boolean;
  /** Set when the customer starts leaving: later agent messages are not owed to them. */
  closing: boolean;
};

const median = (xs: number[]) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]! : 0);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

/**
 * fetch with retries while an instance is down or restarting (connection refused, 502/503), the
 * way a real client would retry; any other error answer is final.
 */
async function fetchRetrying(url: string, init: RequestInit): Promise<Response> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      const res = await fetch(url, init);
      if ((res.status !== 502 && res.status !== 503) || Date.now() > deadline) return res;
    } catch (e) {
      if (Date.now() > deadline) throw e;
    }
    await sleep(250);
  }
}

async function json<T>(url: string, init: RequestInit & { token?: string } = {}): Promise<T> {
  // A content type only with a body: `application/json` and no body is refused by strict servers.
  const headers: Record<string, string> =
    init.body === undefined ? {} : { 'content-type': 'application/json' };
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  const res = await fetchRetrying(url, {
    ...init,
    headers: { ...headers, ...(init.headers as Record<string, string>) },
  });
  const body = (await res.json()) as T & { message?: string };
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${url}: ${res.status} ${body.message ?? ''}`);
  return body;
}

export async function login(url: string, email: string, password: string): Promise<string> {
  const res = await fetchRetrying(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (!res.ok) throw new Error(`login ${email}: ${res.status} ${await res.text()}`);
  const token = /pd_session=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')?.[1];
  if (!token) throw new Error(`login ${email}: no session cookie`);
  return decodeURIComponent(token);
}

export { json as requestJson };

/**
 * Replays a stretch of a promotion day against running PeakDesk instances through the public API
 * and sockets: customers arrive on the curve with scripted questions and patience, simulated agents
 * answer through the agent socket API and resolve over REST. Lost and duplicated messages are
 * counted end to end (by client id) at the receivers and in the stored history.
 */
export async function runSimulation(
  target: SimulationTarget,
  o: SimulationOptions,
): Promise<SimulationResult> {
  const rng = createRng(o.seed);
  const realPerSimMinute = 60_000 / o.speed;
  const arrivals = sampleArrivals(o.curve, rng, { fromMinute: o.fromMinute, toMinute: o.toMinute });
  const ledger = createDeliveryLedger();
  const live = new Map<string, LiveConversation>();
  const records: ConversationRecord[] = [];
  let messages = 0;
  let messagesThisSecond = 0;
  const started = Date.now();
  const simMinuteNow = () => o.fromMinute + (Date.now() - started) / realPerSimMinute;
  const simMs = (simSeconds: number) => (simSeconds * 1000) / o.speed;
  const urlFor = (i: number) => target.urls[i % target.urls.length]!;
  const adminTokens: { url: string; token: string }[] = [];
  let resolvedByAgents = 0;
  /** Real milliseconds from a customer's send to its ack: the run's transport delay. */
  const ackMs: number[] = [];

  // ---- agents ----
  type Agent = {
    id: string;
    client: ChatClient;
    token: string;
    url: string;
    active: Set<string>;
    watched: Set<string>;
  };
  const agents: Agent[] = [];
  const agentRng = createRng(o.seed ^ 0x5eed);
  for (const [i, a] of target.agents.entries()) {
    const url = urlFor(i);
    const token = await login(url, a.email, a.password);
    const me = await json<{ user: { id: string } }>(`${url}/api/auth/me`, { token });
    const client = new ChatClient({ url, auth: { token } });
    const agent: Agent = { id: me.user.id, client, token, url, active: new Set(), watched: new Set() };
    agents.push(agent);
    if (adminTokens.length === 0) adminTokens.push({ url, token });
    client.on('message', (m) => onAgentMessage(agent, m, agentRng));
    client.on('conversation', (c) => onAgentConversation(agent, c, agentRng));
    // Assignments made while this agent's socket was down arrive as no event: after every
    // (re)connect, ask for the list, as the workspace does.
    client.on('connection', (state) => {
      if (state !== 'connected') return;
      json<TConversation[]>(`${url}/api/conversations?scope=mine`, { token })
        .then((list) => {
          for (const c of list) onAgentConversation(agent, c, agentRng);
        })
        .catch(() => {});
    });
    await json(`${url}/api/me/status`, { method: 'PUT', token, body: JSON.stringify({ status: 'online' }) });
  }

  function onAgentConversation(agent: Agent, c: TConversation, r: Rng) {
    const conv = live.get(c.id);
    if (conv) {
      conv.status = c.status;
      conv.assignee = c.assigneeId;
    }
    if (c.assigneeId !== agent.id || c.status !== 'assigned' || agent.active.has(c.id)) return;
    agent.active.add(c.id);
    agent.watched.add(c.id);
    void agent.client.watch(c.id, 0);
    // Agents greet a new chat first (within their response time), then answer each message.
    setTimeout(
      () => void agentSend(agent, c.id, '亲，您好～我来为您处理，请稍等'),
      simMs(r.lognormal(o.agentResponseSeconds, 0.5)),
    );
    // The conversation ends after the handle time; then the agent resolves it over REST.
    const handle = simMs(r.lognormal(o.handleMinutes * 60, 0.4));
    setTimeout(() => void finishByAgent(agent, c.id), handle);
  }

  async function finishByAgent(agent: Agent, conversationId: string) {
    if (!agent.active.has(conversationId)) return;
    await agentSend(agent, conversationId, '感谢您的耐心，还有问题随时找我们哦～');
    try {
      await json(`${agent.url}/api/conversations/${conversationId}/resolve`, {
        method: 'POST',
        token: agent.token,
      });
      resolvedByAgents++;
    } catch {
      // Already resolved or moved elsewhere (e.g. reassigned): nothing to do.
    }
    agent.active.delete(conversationId);
    const conv = live.get(conversationId);
    if (conv) conv.done = true;
  }

  function onAgentMessage(agent: Agent, m: TMessage, r: Rng) {
    if (m.senderType !== 'customer') return;
    // Per receiving agent: a chat requeued from one agent to another is synced in full by the
    // second, which is a first delivery to them, not a duplicate.
    ledger.receive(`agent:${agent.id}:${m.clientId}`);
    if (!agent.active.has(m.conversationId)) return;
    setTimeout(
      () => void agentSend(agent, m.conversationId, r.pick(AGENT_REPLIES)),
      simMs(r.lognormal(o.agentResponseSeconds, 0.5)),
    );
  }

  async function agentSend(agent: Agent, conversationId: string, body: string) {
    if (!agent.active.has(conversationId)) return;
    try {
      const m = await agent.client.send({ conversationId, type: 'text', body });
      messages++;
      messagesThisSecond++;
      const conv = live.get(conversationId);
      if (conv && !conv.closing) ledger.expect(`customer:${m.clientId}`);
    } catch {
      // The conversation was taken away (reassigned): the message was refused, not lost.
    }
  }

  // ---- customers ----
  async function runCustomer(index: number, arrivalMinute: number) {
    const r = createRng(o.seed + index * 7919);
    const url = urlFor(index + 1);
    const storeId = target.storeIds[index % target.storeIds.length]!;
    const session = await json<{ visitorToken: string }>(`${url}/api/widget/session`, {
      method: 'POST',
      body: JSON.stringify({ storeId }),
    });
    const customer = new ChatClient({ url, auth: { visitorToken: session.visitorToken } });
    const script = createCustomerScript(r, { patienceMeanMinutes: o.patienceMeanMinutes });
    const record: ConversationRecord = {
      id: '',
      arrivedAtMs: Date.now(),
      handedOffAtMs: null,
      firstAgentReplyAtMs: null,
      botAnswered: 0,
      abandoned: false,
    };
    void arrivalMinute;
    let replies = 0;
    let conv: LiveConversation | undefined;
    customer.on('message', (m) => {
      if (m.senderType === 'agent') {
        ledger.receive(`customer:${m.clientId}`);
        replies++;
        record.firstAgentReplyAtMs ??= Date.now();
      } else if (m.senderType === 'bot') {
        replies++;
        record.botAnswered++;
      }
    });
    customer.on('conversation', (c) => {
      if (conv) {
        conv.status = c.status;
        conv.assignee = c.assigneeId;
      }
      if ((c.status === 'queued' || c.status === 'assigned') && record.handedOffAtMs === null)
        record.handedOffAtMs = Date.now();
      if (c.status === 'resolved' && conv) conv.done = true;
    });
    // Opening is idempotent (it returns the active conversation), so a timed-out attempt is retried.
    let opened: TConversation | undefined;
    for (let attempt = 0; !opened; attempt++) {
      try {
        opened = await customer.openConversation();
      } catch (e) {
        if (attempt >= 5) throw e;
        await sleep(500);
      }
    }
    record.id = opened.id;
    if (opened.status !== 'bot') record.handedOffAtMs ??= Date.now();
    conv = {
      record,
      customer,
      script,
      sent: 0,
      status: opened.status,
      assignee: opened.assigneeId,
      customerMessages: [],
      done: false,
      closing: false,
    };
    live.set(opened.id, conv);
    records.push(record);

    for (const body of script.messages) {
      const sentAt = Date.now();
      const m = await customer.send({ conversationId: opened.id, type: 'text', body });
      ackMs.push(Date.now() - sentAt);
      conv.customerMessages.push(m.clientId);
      conv.sent++;
      messages++;
      messagesThisSecond++;
      const before = replies;
      // Wait for an answer (bot or agent), within the customer's patience once handed off.
      const deadline = Date.now() + simMs(script.patienceMinutes * 60 + 60);
      while (replies === before && !conv.done && Date.now() < deadline) await sleep(50);
      if (replies === before && !conv.done) break;
      await sleep(simMs(r.exponential(o.customerThinkSeconds)));
    }
    // Stay until an agent resolves, or leave when patience runs out waiting for one.
    const leaveAt = Date.now() + simMs(script.patienceMinutes * 60);
    while (!conv.done) {
      const waitingForHuman = record.handedOffAtMs !== null && record.firstAgentReplyAtMs === null;
      const botFinished = record.handedOffAtMs === null && replies > 0;
      if (botFinished) break;
      if (waitingForHuman && Date.now() > leaveAt) {
        record.abandoned = true;
        // Closing the chat tells the server, as the widget does: the conversation leaves the queue.
        await json(`${url}/api/widget/conversations/${opened.id}/leave`, {
          method: 'POST',
          token: session.visitorToken,
        }).catch(() => {});
        break;
      }
      if (Date.now() > leaveAt + simMs(3600)) break;
      await sleep(100);
    }
    await leave(customer, conv);
  }

  /**
   * A customer leaving first catches up, like an open chat tab would: wait for the connection (an
   * instance may be restarting), then sync. Only agent messages acknowledged before this point are
   * owed to the customer.
   */
  async function leave(customer: ChatClient, conv: LiveConversation) {
    conv.closing = true;
    for (let i = 0; i < 150 && !customer.connected; i++) await sleep(100);
    await customer.watch(conv.record.id).catch(() => {});
    customer.close();
  }

  // ---- run ----
  const customerTasks: Promise<void>[] = [];
  let launched = 0;
  const serviceLevelNow = () =>
    serviceLevelOf(records, { targetSeconds: o.targetSeconds, speed: o.speed, nowMs: Date.now() });
  // The wall's queue length: conversations the server holds as queued.
  const queuedNow = () => [...live.values()].filter((c) => c.status === 'queued' && !c.done).length;
  const seriesMap = new Map<number, { arrivals: number; queueSamples: number[] }>();
  // About a dozen points per chart, whatever the window length.
  const bucketMinutes = Math.max(1, Math.round((o.toMinute - o.fromMinute) / 12));
  const bucketOf = (minute: number) => Math.floor(minute / bucketMinutes) * bucketMinutes;
  const progressTimer = setInterval(() => {
    const minute = simMinuteNow();
    const waiting = queuedNow();
    const b = seriesMap.get(bucketOf(minute)) ?? { arrivals: 0, queueSamples: [] };
    b.queueSamples.push(waiting);
    seriesMap.set(bucketOf(minute), b);
    o.onProgress?.({
      simMinute: minute,
      arrived: launched,
      planned: arrivals.length,
      waitingForAgent: waiting,
      active: [...live.values()].filter((c) => !c.done).length,
      messagesPerSecond: messagesThisSecond,
      serviceLevel: serviceLevelNow(),
    });
    messagesThisSecond = 0;
  }, 1000);

  const chaos = o.duringRun?.(() => Date.now() - started);
  for (const [i, minute] of arrivals.entries()) {
    await sleep((minute - o.fromMinute) * realPerSimMinute - (Date.now() - started));
    launched++;
    const b = seriesMap.get(bucketOf(minute)) ?? { arrivals: 0, queueSamples: [] };
    b.arrivals++;
    seriesMap.set(bucketOf(minute), b);
    customerTasks.push(
      runCustomer(i, minute).catch((e: unknown) => {
        process.stderr.write(
          `simulated customer ${i} failed: ${e instanceof Error ? e.message : String(e)}\n`,
        );
      }),
    );
  }
  await Promise.all(customerTasks);
  await chaos;
  // Let in-flight agent replies and resolves land before counting.
  for (let i = 0; i < 100 && agents.some((a) => a.client.pendingCount() > 0); i++) await sleep(100);
  await sleep(1000);
  // The agents work off what is still assigned or queued; the run ends when the server's queue is empty.
  const queuedOnServer = async () => {
    const a = adminTokens[0];
    if (!a) return 0;
    const list = await json<TConversation[]>(`${a.url}/api/conversations?scope=queued`, {
      token: a.token,
    }).catch(() => null);
    return list ? list.filter((c) => c.status === 'queued').length : Number.POSITIVE_INFINITY;
  };
  const drainUntil = Date.now() + (o.drainTimeoutMs ?? 30_000);
  let queuedAtEnd = await queuedOnServer();
  while ((queuedAtEnd > 0 || agents.some((a) => a.active.size > 0)) && Date.now() < drainUntil) {
    await sleep(250);
    queuedAtEnd = await queuedOnServer();
  }
  clearInterval(progressTimer);
  // Agents catch up too (one may have been on a killed instance): reconnect, then sync what they hold.
  for (const a of agents) {
    for (let i = 0; i < 150 && !a.client.connected; i++) await sleep(100);
    await Promise.all([...a.watched].map((id) => a.client.watch(id).catch(() => {})));
  }

  // Customer messages must have reached the agent the conversation was assigned to (once each).
  for (const c of live.values())
    if (c.assignee) for (const id of c.customerMessages) ledger.expect(`agent:${c.assignee}:${id}`);
  // And each must be stored exactly once: check the history the server kept.
  const admin = adminTokens[0];
  let storedDuplicates = 0;
  if (admin) {
    for (const c of live.values()) {
      const page = await json<{ messages: TMessage[] }>(
        `${admin.url}/api/conversations/${c.record.id}/messages?limit=200`,
        {
          token: admin.token,
        },
      ).catch(() => ({ messages: [] as TMessage[] }));
      const counts = new Map<string, number>();
      for (const m of page.messages)
        counts.set(`${m.senderType}:${m.clientId}`, (counts.get(`${m.senderType}:${m.clientId}`) ?? 0) + 1);
      for (const [k, n] of counts)
        if (n > 1) {
          storedDuplicates += n - 1;
          if (process.env.PEAKDESK_SIM_DEBUG)
            process.stderr.write(`stored twice: ${c.record.id} ${k} ×${n}\n`);
        }
      const stored = new Set(page.messages.map((m) => m.clientId));
      for (const id of c.customerMessages) if (!stored.has(id)) ledger.expect(`stored:${id}`);
    }
  }
  for (const a of agents) {
    await json(`${a.url}/api/me/status`, {
      method: 'PUT',
      token: a.token,
      body: JSON.stringify({ status: 'offline' }),
    }).catch(() => {});
    a.client.close();
  }

  if (process.env.PEAKDESK_SIM_DEBUG)
    process.stderr.write(
      `lost: ${ledger.lostKeys().join(' ')}\nreceived twice: ${ledger.duplicatedKeys().join(' ')}\n`,
    );
  const summary = summarise(records, ledger, {
    targetSeconds: o.targetSeconds,
    speed: o.speed,
    messages,
    nowMs: Date.now(),
    resolvedByAgents,
    queuedAtEnd: Number.isFinite(queuedAtEnd) ? queuedAtEnd : -1,
  });
  summary.duplicated += storedDuplicates;
  if (o.concurrency)
    summary.expected = expectServiceLevel({
      agents: target.agents.length,
      concurrency: o.concurrency,
      handedOff: summary.handedOff,
      windowMinutes: o.toMinute - o.fromMinute,
      handleMinutes: o.handleMinutes,
      responseSeconds: o.agentResponseSeconds,
      targetSeconds: o.targetSeconds,
      latencySeconds: (1.5 * median(ackMs) * o.speed) / 1000,
    });
  const endMs = Date.now();
  const series: IntervalPoint[] = [...seriesMap.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([minute, b]) => {
      const inBucket = records.filter(
        (r) => bucketOf(o.fromMinute + (r.arrivedAtMs - started) / realPerSimMinute) === minute,
      );
      const waits = answeredWaitsOf(inBucket, o.speed);
      return {
        minute,
        arrivals: b.arrivals,
        queue: b.queueSamples.length ? Math.max(...b.queueSamples) : 0,
        avgWaitSeconds: waits.length
          ? Math.round((waits.reduce((x, y) => x + y, 0) / waits.length) * 10) / 10
          : 0,
        serviceLevel: serviceLevelOf(inBucket, {
          targetSeconds: o.targetSeconds,
          speed: o.speed,
          nowMs: endMs,
        }),
        botShare: inBucket.length
          ? inBucket.filter((r) => r.handedOffAtMs === null).length / inBucket.length
          : 0,
      };
    });
  return { summary, series, bucketMinutes, durationMs: Date.now() - started };
}
