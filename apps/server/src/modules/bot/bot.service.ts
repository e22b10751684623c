import {
  type TBotAnswer,
  type TBotContext,
  type TBotSettings,
  type TBotTryResult,
  type THandoffReason,
  type TMessage,
  type TSuggestions,
  type TUnansweredQuestion,
  type TUpdateBotSettingsRequest,
  ZId,
} from '@peakdesk/contracts';
import type { Database } from '@peakdesk/db';
import { detectHumanRequest } from '@peakdesk/text';
import { z } from 'zod';
import type { ConversationRef, EventBus } from '../../events/event-bus.ts';
import type { ListenerContext, Outbox } from '../../events/outbox.ts';
import { requireRole, type UserCaller } from '../../http/caller.ts';
import { notFound } from '../../http/domain-error.ts';
import { assertStoreInScope, scopeOf } from '../../http/scope.ts';
import type { Jobs } from '../../jobs/jobs.ts';
import type { AccountsRepository } from '../accounts/accounts.repository.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { ChatService } from '../chat/chat.service.ts';
import { recordFacts } from '../facts/facts.service.ts';
import type { KnowledgeService } from '../knowledge/knowledge.service.ts';
import type { QuickReplyRow } from '../quick-replies/quick-replies.repository.ts';
import { type BotSettingsRow, createBotRepository } from './bot.repository.ts';
import { evaluateQuery } from './bot-ask.ts';
import {
  ABSTAIN_REPLY,
  decideTurn,
  detectRiskByKeywords,
  HANDOFF_REPLIES,
  isBotServing,
  type RiskDetector,
} from './bot-policy.ts';

const DEFAULT_SETTINGS: Omit<BotSettingsRow, 'storeId' | 'orgId' | 'updatedAt'> = {
  mode: 'human_first',
  timezone: 'Asia/Shanghai',
  hoursStart: '09:00',
  hoursEnd: '23:00',
  workDays: [1, 2, 3, 4, 5, 6, 7],
  maxUnanswered: 2,
  handoffOnRisk: true,
  vipToHuman: true,
};

export const toSettingsDto = (storeId: string, row: BotSettingsRow | null): TBotSettings => {
  const s = row ?? DEFAULT_SETTINGS;
  return {
    storeId,
    mode: s.mode,
    timezone: s.timezone,
    hoursStart: s.hoursStart,
    hoursEnd: s.hoursEnd,
    workDays: s.workDays,
    maxUnanswered: s.maxUnanswered,
    handoffOnRisk: s.handoffOnRisk,
    vipToHuman: s.vipToHuman,
  };
};

/** Pluggable signals: quality inspection replaces `detectRisk`, a CRM or order module `isVip`. */
export type BotHooks = {
  detectRisk: RiskDetector;
  isVip: (customer: { id: string; tier: 'normal' | 'vip' }) => Promise<boolean>;
};

const defaultHooks: BotHooks = {
  detectRisk: detectRiskByKeywords,
  // The buyer tier routing keeps on the customer (VIP list sync, supervisors' flags).
  isVip: async (customer) => customer.tier === 'vip',
};

/** The FAQ answer as the buyer sees it: text, then links and images as plain URLs (never markup). */
/** How many of the customer's latest texts agent assist tries before it suggests nothing. */
const SUGGESTION_LOOKBACK = 5;

export function formatFaqAnswer(faq: {
  answer: string;
  links: { title: string; url: string }[];
  images: string[];
}) {
  const lines = [faq.answer];
  for (const link of faq.links)
    lines.push(link.title && link.title !== link.url ? `${link.title}：${link.url}` : link.url);
  for (const image of faq.images) lines.push(image);
  return lines.join('\n');
}

const SETTINGS_TTL_MS = 2000;

/** The turn decided to hand off: routing takes the conversation (idempotent: only from status `bot`). */
const HANDOFF_JOB = { id: 'bot.handoff', version: 1, payload: z.object({ conversationId: ZId }) };

export type BotServiceDeps = {
  db: Database;
  bus: EventBus;
  chat: ChatService;
  knowledge: KnowledgeService;
  accounts: AccountsRepository;
  audit: AuditService;
  jobs: Jobs;
  findQuickReply: (caller: UserCaller, id: string) => Promise<QuickReplyRow | null>;
  hooks?: Partial<BotHooks>;
};

export function createBotService(deps: BotServiceDeps) {
  const { db, chat, knowledge, jobs } = deps;
  const hooks: BotHooks = { ...defaultHooks, ...deps.hooks };
  const repo = createBotRepository(db);
  const settingsCache = new Map<string, { value: TBotSettings; at: number }>();
  // One turn at a time per conversation, so replies keep the order of the questions.
  const queues = new Map<string, Promise<void>>();
  let listenedOn: Outbox | undefined;

  async function settingsFor(storeId: string): Promise<TBotSettings> {
    const cached = settingsCache.get(storeId);
    if (cached && Date.now() - cached.at < SETTINGS_TTL_MS) return cached.value;
    const value = toSettingsDto(storeId, await repo.getSettings(storeId));
    settingsCache.set(storeId, { value, at: Date.now() });
    return value;
  }

  const evaluate = (orgId: string, text: string, storeId: string | null) =>
    evaluateQuery({ knowledge, detectRisk: hooks.detectRisk, settingsFor }, orgId, text, storeId);

  /**
   * One bot turn for one customer message. Everything it writes — state, unanswered question, fact,
   * the reply and the hand-off job — commits in `once`, with the `bot.turn` processed marker: a
   * redelivered event (crash, lease expiry, replay) finds the marker and answers nothing.
   */
  async function runTurn(
    orgId: string,
    ref: ConversationRef,
    message: TMessage,
    once: ListenerContext['once'],
  ): Promise<void> {
    const conv = await chat.repo.getConversation(ref.id);
    if (conv?.status !== 'bot') return; // handed off meanwhile: the agent has it now
    const settings = await settingsFor(conv.storeId);
    const state = await repo.getState(conv.id);
    const text = message.type === 'text' ? message.body : '';
    const isHumanRequest = detectHumanRequest(text);
    const customer = settings.vipToHuman ? await chat.repo.getCustomer(conv.customerId) : null;
    const isVip = customer !== null && (await hooks.isVip(customer));
    const answer =
      isHumanRequest || !text
        ? null
        : await knowledge.answer(orgId, text, { storeId: conv.storeId, limit: 3 });
    const decision = decideTurn({
      isHumanRequest,
      risk: hooks.detectRisk(text),
      handoffOnRisk: settings.handoffOnRisk,
      isVip,
      faqId: answer?.faq?.id ?? null,
      unansweredInRow: state?.unansweredInRow ?? 0,
      maxUnanswered: settings.maxUnanswered,
    });
    // Topic: what the bot answered last, else its best guess for this question.
    const topicFaq = answer?.faq ?? answer?.candidates[0]?.faq ?? null;
    const topicFaqId = topicFaq?.id ?? state?.topicFaqId ?? null;
    const topic = topicFaq
      ? [topicFaq.category, topicFaq.question].filter(Boolean).join(' · ')
      : (state?.topic ?? null);
    const isAnswered = decision.outcome === 'answered';
    const isUnanswered = decision.outcome === 'abstained' || decision.reason === 'unanswered';
    const replyText =
      decision.outcome === 'answered' && answer?.faq
        ? formatFaqAnswer(answer.faq)
        : decision.outcome === 'handoff'
          ? HANDOFF_REPLIES[decision.reason]
          : ABSTAIN_REPLY;
    let reply: Awaited<ReturnType<ChatService['insertBotMessageIn']>> = null;
    const isDone = await once(async (txDb) => {
      const tx = createBotRepository(txDb);
      await tx.saveState({
        conversationId: conv.id,
        orgId,
        turns: (state?.turns ?? 0) + 1,
        answered: (state?.answered ?? 0) + (isAnswered ? 1 : 0),
        unansweredInRow: isAnswered ? 0 : (state?.unansweredInRow ?? 0) + (isUnanswered ? 1 : 0),
        topicFaqId,
        topic,
        handoffReason: decision.reason,
        handedOffAt: decision.outcome === 'handoff' ? new Date() : null,
      });
      if (isUnanswered && text)
        await tx.insertUnanswered({
          orgId,
          storeId: conv.storeId,
          conversationId: conv.id,
          question: text.slice(0, 500),
          topFaqId: answer?.candidates[0]?.faq.id ?? null,
          score: answer?.score ?? 0,
        });
      await recordFacts(txDb, [
        {
          orgId,
          kind:
            decision.outcome === 'answered'
              ? 'bot.answered'
              : decision.outcome === 'abstained'
                ? 'bot.abstained'
                : 'bot.handed_off',
          storeId: conv.storeId,
          groupId: conv.groupId,
          conversationId: conv.id,
          data: {
            query: text.slice(0, 200),
            faqId: isAnswered ? (answer?.faq?.id ?? null) : null,
            topFaqId: answer?.candidates[0]?.faq.id ?? null,
            score: answer?.score ?? 0,
            reason: decision.reason,
          },
        },
      ]);
      reply = await chat.insertBotMessageIn(
        txDb,
        { orgId, conversationId: conv.id },
        replyText,
        `bot-${message.id}`,
      );
      if (decision.outcome === 'handoff')
        await jobs.scheduleIn(txDb, HANDOFF_JOB, {
          key: `${HANDOFF_JOB.id}:${conv.id}`,
          orgId,
          runAt: new Date(),
          payload: { conversationId: conv.id },
        });
    });
    if (!isDone) return;
    if (reply) chat.publishStored(orgId, reply);
    if (decision.outcome === 'handoff') jobs.nudge(HANDOFF_JOB.id);
  }

  function enqueueTurn(
    orgId: string,
    ref: ConversationRef,
    message: TMessage,
    once: ListenerContext['once'],
  ): Promise<void> {
    const previous = queues.get(ref.id) ?? Promise.resolve();
    const next = previous.then(() => runTurn(orgId, ref, message, once));
    const settled = next.catch(() => undefined);
    queues.set(ref.id, settled);
    void settled.then(() => {
      if (queues.get(ref.id) === settled) queues.delete(ref.id);
    });
    return next;
  }

  async function storeOf(caller: UserCaller, storeId: string) {
    assertStoreInScope(scopeOf(caller), storeId);
    const store = await deps.accounts.getStore(caller.orgId, storeId);
    if (!store) throw notFound('store');
    return store;
  }

  return {
    repo,
    settingsFor,

    /** Wired into chat: whether a new conversation of this store starts with the bot. */
    async initialStatus(c: { storeId: string }): Promise<'bot' | 'queued'> {
      const s = await settingsFor(c.storeId);
      return isBotServing(s.mode, s, new Date()) ? 'bot' : 'queued';
    },

    /**
     * The durable listener `bot.turn`: customer messages of conversations the bot serves (status
     * `bot` as the message insert left it), at least once from the outbox, answered exactly once
     * (`ctx.once`). Turns of one conversation run one at a time on an instance, in event order.
     */
    listen(outbox: Outbox) {
      listenedOn = outbox;
      outbox.listen({
        name: 'bot.turn',
        events: ['message.created'],
        accepts: (e) =>
          e.payload.conversation.status === 'bot' && e.payload.message.senderType === 'customer',
        handle: (e, ctx) => enqueueTurn(e.payload.orgId, e.payload.conversation, e.payload.message, ctx.once),
      });
      jobs.register({
        ...HANDOFF_JOB,
        handle: async (p) => {
          await chat.handoffToHuman(p.conversationId);
        },
      });
    },

    /** Exposed for tests: resolves when every stored customer message has had its turn (and hand-off). */
    async idle(): Promise<void> {
      await listenedOn?.drain();
      while (queues.size > 0) await Promise.all([...queues.values()]);
      await jobs.runDue();
    },

    async ask(orgId: string, text: string, storeId: string | null = null): Promise<TBotAnswer> {
      return (await evaluate(orgId, text, storeId)).result;
    },

    async tryBot(caller: UserCaller, text: string, storeId: string | undefined): Promise<TBotTryResult> {
      if (storeId) await storeOf(caller, storeId);
      const { answer, decision, result } = await evaluate(caller.orgId, text, storeId ?? null);
      const top = answer?.match.why.top;
      return {
        ...result,
        outcome: decision.outcome,
        reason: decision.reason,
        candidates: (answer?.candidates ?? []).map((c) => ({
          faqId: c.faq.id,
          question: c.faq.question,
          variant: c.variant,
          score: c.score,
        })),
        why: {
          normalizedQuery: answer?.match.why.normalizedQuery ?? text,
          queryTokens: answer?.match.why.queryTokens ?? [],
          decision:
            decision.outcome === 'handoff'
              ? `handoff:${decision.reason}`
              : (answer?.match.why.decision ?? ''),
          threshold: answer?.match.why.threshold ?? 0,
          matchedTerms: top?.matchedTerms ?? [],
          features: top?.features ?? [],
        },
      };
    },

    async getSettings(caller: UserCaller, storeId: string): Promise<TBotSettings> {
      await storeOf(caller, storeId);
      return toSettingsDto(storeId, await repo.getSettings(storeId));
    },

    async updateSettings(
      caller: UserCaller,
      storeId: string,
      req: TUpdateBotSettingsRequest,
    ): Promise<TBotSettings> {
      requireRole(caller, 'admin', 'supervisor');
      const store = await storeOf(caller, storeId);
      const current = toSettingsDto(storeId, await repo.getSettings(storeId));
      const { storeId: _s, ...base } = current;
      const defined = Object.fromEntries(Object.entries(req).filter(([, v]) => v !== undefined));
      const row = await repo.upsertSettings({ ...base, ...defined, storeId, orgId: store.orgId });
      settingsCache.delete(storeId);
      await deps.audit.record(caller, 'bot.settings', 'store', storeId, { mode: row.mode });
      return toSettingsDto(storeId, row);
    },

    /** Seeds and CLI: set a store's mode without a caller. */
    async setMode(orgId: string, storeId: string, mode: TBotSettings['mode']) {
      await repo.upsertSettings({
        ...DEFAULT_SETTINGS,
        ...(await repo.getSettings(storeId)),
        storeId,
        orgId,
        mode,
      });
      settingsCache.delete(storeId);
    },

    async listUnanswered(caller: UserCaller, limit = 200): Promise<TUnansweredQuestion[]> {
      requireRole(caller, 'admin', 'supervisor');
      return (await repo.listUnanswered(scopeOf(caller), limit)).map((r) => ({
        id: r.id,
        storeId: r.storeId,
        conversationId: r.conversationId,
        question: r.question,
        topFaqId: r.topFaqId,
        score: r.score,
        createdAt: r.createdAt.toISOString(),
      }));
    },

    async closeUnanswered(caller: UserCaller, id: string, status: 'resolved' | 'dismissed') {
      requireRole(caller, 'admin', 'supervisor');
      if (!(await repo.setUnansweredStatus(scopeOf(caller), id, status)))
        throw notFound('unanswered_question');
    },

    async context(caller: UserCaller, conversationId: string): Promise<TBotContext> {
      await chat.getConversation(caller, conversationId);
      const state = await repo.getState(conversationId);
      return {
        conversationId,
        turns: state?.turns ?? 0,
        answered: state?.answered ?? 0,
        topic: state?.topic ?? null,
        topicFaqId: state?.topicFaqId ?? null,
        handoffReason: (state?.handoffReason as THandoffReason | null | undefined) ?? null,
        handedOffAt: state?.handedOffAt?.toISOString() ?? null,
      };
    },

    /**
     * Agent assist: FAQ answers and their linked scripts for the customer's latest message that matches
     * any. 转人工 or 在吗 match nothing; the question before them (the topic the bot recognised) still does.
     */
    async suggestions(caller: UserCaller, conversationId: string): Promise<TSuggestions> {
      const conv = await chat.getConversation(caller, conversationId);
      const page = await chat.history(caller, conversationId, { limit: 30 });
      const texts = [...page.messages]
        .reverse()
        .filter((m) => m.senderType === 'customer' && m.type === 'text')
        .slice(0, SUGGESTION_LOOKBACK);
      const latest = texts[0];
      if (!latest) return { query: null, items: [] };
      let query = latest.body;
      let answer = await knowledge.answer(caller.orgId, query, { storeId: conv.storeId, limit: 3 });
      for (const earlier of texts.slice(1)) {
        if (answer.candidates.length > 0) break;
        query = earlier.body;
        answer = await knowledge.answer(caller.orgId, query, { storeId: conv.storeId, limit: 3 });
      }
      const items: TSuggestions['items'] = [];
      for (const c of answer.candidates) {
        items.push({
          kind: 'faq',
          id: c.faq.id,
          title: c.faq.question,
          body: formatFaqAnswer(c.faq),
          score: c.score,
          links: c.faq.links,
        });
        const script = c.faq.quickReplyId ? await deps.findQuickReply(caller, c.faq.quickReplyId) : null;
        if (script && !items.some((i) => i.kind === 'script' && i.id === script.id))
          items.push({
            kind: 'script',
            id: script.id,
            title: script.title,
            body: script.body,
            score: c.score,
            links: [],
          });
      }
      return { query, items: items.slice(0, 5) };
    },
  };
}

export type BotService = ReturnType<typeof createBotService>;
