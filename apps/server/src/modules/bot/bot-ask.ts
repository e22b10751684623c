import type { TBotAnswer, TBotSettings } from '@peakdesk/contracts';
import { detectHumanRequest } from '@peakdesk/text';
import type { KnowledgeAnswer, KnowledgeService } from '../knowledge/knowledge.service.ts';
import { decideTurn, type RiskDetector, type TurnDecision } from './bot-policy.ts';

export type EvaluateDeps = {
  knowledge: Pick<KnowledgeService, 'answer'>;
  detectRisk: RiskDetector;
  /** Store settings (max unanswered, risk hand-off); null store = organisation defaults. */
  settingsFor: (storeId: string) => Promise<Pick<TBotSettings, 'handoffOnRisk' | 'maxUnanswered'>>;
};

export type Evaluation = { answer: KnowledgeAnswer | null; decision: TurnDecision; result: TBotAnswer };

/**
 * One query judged as the first turn of a conversation, without one (CLI `bot ask`, "try the bot").
 * `handoff` is true when the bot would hand over right away: a request for a human, a risk phrase,
 * or no answer when the store hands off after the first unanswered question.
 */
export async function evaluateQuery(
  deps: EvaluateDeps,
  orgId: string,
  text: string,
  storeId: string | null,
): Promise<Evaluation> {
  const settings = storeId ? await deps.settingsFor(storeId) : { handoffOnRisk: true, maxUnanswered: 2 };
  const isHumanRequest = detectHumanRequest(text);
  const answer = isHumanRequest ? null : await deps.knowledge.answer(orgId, text, { storeId, limit: 5 });
  const decision = decideTurn({
    isHumanRequest,
    risk: deps.detectRisk(text),
    handoffOnRisk: settings.handoffOnRisk,
    isVip: false,
    faqId: answer?.faq?.id ?? null,
    unansweredInRow: 0,
    maxUnanswered: settings.maxUnanswered,
  });
  const faq = decision.outcome === 'answered' ? (answer?.faq ?? null) : null;
  return {
    answer,
    decision,
    result: {
      query: text,
      faqId: faq?.id ?? null,
      answer: faq?.answer ?? null,
      score: answer?.score ?? 0,
      handoff: decision.outcome === 'handoff',
    },
  };
}
