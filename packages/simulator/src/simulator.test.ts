import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { buildArrivalCurve, sampleArrivals } from './arrival-profile.ts';
import { expectServiceLevel } from './expected-service-level.ts';
import { type ConversationRecord, createDeliveryLedger, serviceLevelOf, summarise } from './metrics.ts';
import { createCustomerScript, QUESTION_BANK } from './question-bank.ts';
import { createRng } from './rng.ts';
import { requestJson } from './run-simulation.ts';

describe('rng', () => {
  it('replays the same sequence for the same seed', () => {
    const a = createRng(42);
    const b = createRng(42);
    const xs = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(xs);
    expect(createRng(43).next()).not.toBe(xs[0]);
  });
  it('draws exponential and poisson values with the right means', () => {
    const r = createRng(7);
    const n = 20_000;
    let e = 0;
    let p = 0;
    for (let i = 0; i < n; i++) {
      e += r.exponential(3);
      p += r.poisson(4);
    }
    expect(e / n).toBeGreaterThan(2.85);
    expect(e / n).toBeLessThan(3.15);
    expect(p / n).toBeGreaterThan(3.9);
    expect(p / n).toBeLessThan(4.1);
  });
});

describe('double11 arrival curve', () => {
  const curve = buildArrivalCurve({
    profile: 'double11',
    dailyVolume: 10_000,
    intervalMinutes: 5,
    burstFactor: 6,
  });
  const perHour = (h: number) => curve.volumes.slice(h * 12, h * 12 + 12).reduce((a, b) => a + b, 0);

  it('spreads the daily volume over 24 hours', () => {
    expect(curve.volumes).toHaveLength(288);
    expect(curve.volumes.reduce((a, b) => a + b, 0)).toBeCloseTo(10_000, 6);
  });
  it('bursts 6× in the first 30 minutes after midnight', () => {
    expect(curve.volumes[0]! / curve.volumes[6]!).toBeCloseTo(6, 6);
  });
  it('peaks in 00–02, 08–10, 15–17 and 20–24 against the quiet night', () => {
    for (const h of [0, 1, 8, 9, 15, 16, 20, 21, 22, 23]) expect(perHour(h)).toBeGreaterThan(perHour(4) * 5);
    expect(perHour(9)).toBeGreaterThan(perHour(12));
  });
  it('samples arrivals inside the window, sorted, near the expected count', () => {
    const arrivals = sampleArrivals(curve, createRng(1), { fromMinute: 0, toMinute: 60 });
    expect(arrivals.every((t) => t >= 0 && t < 60)).toBe(true);
    expect([...arrivals].sort((a, b) => a - b)).toEqual(arrivals);
    expect(Math.abs(arrivals.length - perHour(0)) / perHour(0)).toBeLessThan(0.15);
  });
  it('refuses an interval that does not divide an hour', () => {
    expect(() => buildArrivalCurve({ profile: 'normal', dailyVolume: 10, intervalMinutes: 7 })).toThrow(
      /intervalMinutes/,
    );
  });
});

describe('customer scripts', () => {
  it('write colloquial questions from the bank, with a human request where drawn', () => {
    const r = createRng(3);
    const scripts = Array.from({ length: 400 }, () => createCustomerScript(r, { patienceMeanMinutes: 2 }));
    const topics = new Set(scripts.map((s) => s.topic));
    expect(topics.size).toBe(Object.keys(QUESTION_BANK).length);
    for (const s of scripts) {
      expect(s.messages.length).toBeGreaterThan(0);
      expect(QUESTION_BANK[s.topic].openers).toContain(s.messages[0]);
      if (s.askHumanAt >= 0) expect(s.messages[s.askHumanAt]).toMatch(/人工|真人/);
    }
    const complaintsAskingHuman = scripts.filter((s) => s.topic === 'complaint' && s.askHumanAt >= 0).length;
    const complaints = scripts.filter((s) => s.topic === 'complaint').length;
    expect(complaintsAskingHuman / complaints).toBeGreaterThan(0.7);
  });
});

describe('delivery ledger and summary', () => {
  it('counts lost and duplicated messages end to end', () => {
    const l = createDeliveryLedger();
    l.expect('a');
    l.expect('b');
    l.expect('c');
    l.receive('a');
    l.receive('b');
    l.receive('b');
    expect(l.lost()).toBe(1);
    expect(l.duplicated()).toBe(1);
  });
  it('computes service level, waits and bot share in simulated time', () => {
    const l = createDeliveryLedger();
    const s = summarise(
      [
        // handed off at 0, first reply after 100 ms real = 6 s simulated at speed 60: within 30 s
        {
          id: '1',
          arrivedAtMs: 0,
          handedOffAtMs: 0,
          firstAgentReplyAtMs: 100,
          botAnswered: 0,
          abandoned: false,
        },
        // first reply after 1 s real = 60 s simulated: missed
        {
          id: '2',
          arrivedAtMs: 0,
          handedOffAtMs: 0,
          firstAgentReplyAtMs: 1000,
          botAnswered: 1,
          abandoned: false,
        },
        {
          id: '3',
          arrivedAtMs: 0,
          handedOffAtMs: null,
          firstAgentReplyAtMs: null,
          botAnswered: 2,
          abandoned: false,
        },
        {
          id: '4',
          arrivedAtMs: 0,
          handedOffAtMs: 0,
          firstAgentReplyAtMs: null,
          botAnswered: 0,
          abandoned: true,
        },
      ],
      l,
      { targetSeconds: 30, speed: 60, messages: 9, nowMs: 5000, resolvedByAgents: 1, queuedAtEnd: 0 },
    );
    expect(s).toMatchObject({
      conversations: 4,
      messages: 9,
      handedOff: 3,
      abandoned: 1,
      botResolvedShare: 0.25,
    });
    expect(s.serviceLevel).toBeCloseTo(1 / 3, 3);
    expect(s.avgWaitSeconds).toBeCloseTo(33, 1);
  });
});

describe('service level: one definition for the live figure and the summary', () => {
  const rec = (o: Partial<ConversationRecord>): ConversationRecord => ({
    id: 'x',
    arrivedAtMs: 0,
    handedOffAtMs: 0,
    firstAgentReplyAtMs: null,
    botAnswered: 0,
    abandoned: false,
    ...o,
  });
  const opts = { targetSeconds: 30, speed: 60 };

  it('counts a customer still waiting past the target as missed, live and at the end', () => {
    // One answered in 6 s simulated, two never answered: the old live figure said 100%.
    const records = [rec({ firstAgentReplyAtMs: 100 }), rec({}), rec({ abandoned: true })];
    const live = serviceLevelOf(records, { ...opts, nowMs: 10_000 });
    expect(live).toBeCloseTo(1 / 3, 3);
    const s = summarise(records, createDeliveryLedger(), {
      ...opts,
      messages: 3,
      nowMs: 10_000,
      resolvedByAgents: 1,
      queuedAtEnd: 1,
    });
    expect(s.serviceLevel).toBeCloseTo(live, 3);
  });

  it('leaves a customer who has waited less than the target undecided', () => {
    const records = [rec({ firstAgentReplyAtMs: 100 }), rec({ handedOffAtMs: 9_900 })];
    expect(serviceLevelOf(records, { ...opts, nowMs: 10_000 })).toBe(1);
    expect(serviceLevelOf(records, { ...opts, nowMs: 11_000 })).toBe(0.5);
  });
});

describe('Erlang C expectation of a drill', () => {
  const base = {
    agents: 8,
    concurrency: 5,
    windowMinutes: 10,
    handleMinutes: 4,
    responseSeconds: 20,
    targetSeconds: 30,
  };

  it('is near 1 for ample slots, falls as load nears capacity, and 0 past it', () => {
    const light = expectServiceLevel({ ...base, handedOff: 20 });
    expect(light.servers).toBe(40);
    expect(light.ahtSeconds).toBe(260);
    // The greeting alone (median 20 s, σ 0.5) misses 30 s for about a fifth of the chats.
    expect(light.serviceLevel).toBeGreaterThan(0.7);
    expect(light.serviceLevel).toBeLessThan(0.9);
    const heavy = expectServiceLevel({ ...base, handedOff: 88 });
    expect(heavy.serviceLevel).toBeLessThan(light.serviceLevel);
    expect(expectServiceLevel({ ...base, handedOff: 200 }).serviceLevel).toBe(0);
    expect(light.floor).toBeCloseTo(light.serviceLevel - 0.15, 3);
  });
});

describe('the simulator HTTP client', () => {
  it('sends no JSON content type on a request without a body (a strict server refuses it)', async () => {
    const seen: (string | undefined)[] = [];
    const server = createServer((req, res) => {
      seen.push(req.headers['content-type']);
      res.setHeader('content-type', 'application/json');
      res.end('{"ok":true}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      await requestJson(`${url}/resolve`, { method: 'POST', token: 't' });
      await requestJson(`${url}/status`, { method: 'PUT', token: 't', body: '{"status":"online"}' });
    } finally {
      server.close();
    }
    expect(seen).toEqual([undefined, 'application/json']);
  });
});
