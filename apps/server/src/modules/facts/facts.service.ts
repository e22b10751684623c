import { type Database, schema } from '@peakdesk/db';

/** Fact kinds written as events happen; analytics reads only these rows. */
export type FactKind =
  | 'conversation.created'
  | 'conversation.queued'
  | 'conversation.assigned'
  | 'conversation.first_agent_reply'
  | 'conversation.resolved'
  | 'conversation.reopened'
  // Routing (data carries lane, wait seconds, strategy, reason, from/to).
  | 'conversation.reassigned'
  | 'conversation.transferred'
  | 'conversation.overflowed'
  // The customer's answer to a leave-a-message offer (overflowed {action: leave_message, offered}).
  | 'conversation.left_message'
  | 'conversation.kept_waiting'
  | 'conversation.abandoned'
  | 'agent.status_changed'
  | 'message.customer'
  | 'message.agent'
  // One per bot turn; data: {query, faqId, score, reason}.
  | 'bot.answered'
  | 'bot.abstained'
  | 'bot.handed_off';

export type Fact = {
  orgId: string;
  kind: FactKind;
  storeId?: string | null;
  groupId?: string | null;
  agentId?: string | null;
  conversationId?: string | null;
  data?: Record<string, unknown>;
};

/** Takes the caller's transaction so a fact commits (or not) with the change it describes. */
export async function recordFacts(db: Database, facts: Fact[]): Promise<void> {
  if (facts.length === 0) return;
  await db.insert(schema.facts).values(
    facts.map((f) => ({
      orgId: f.orgId,
      kind: f.kind,
      storeId: f.storeId ?? null,
      groupId: f.groupId ?? null,
      agentId: f.agentId ?? null,
      conversationId: f.conversationId ?? null,
      data: f.data ?? {},
    })),
  );
}
