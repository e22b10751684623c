import { z } from 'zod';
import { updateSchemaOf, ZId } from './common.ts';

// ---- knowledge: FAQ entries and articles ----
/** The merchant's own FAQ id (the `id` column of the import file). */
export const ZFaqId = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[\p{L}\p{N}_.:-]+$/u, 'may contain only letters, digits, _ . : and -');

/** Only http(s) URLs: answers are shown to buyers as links, never as markup. */
export const ZHttpUrl = z
  .string()
  .trim()
  .max(2000)
  .refine((value) => {
    try {
      const url = new URL(value);
      return url.protocol === 'https:' || url.protocol === 'http:';
    } catch {
      return false;
    }
  }, 'must be an http(s) URL');

export const ZFaqLink = z.object({ title: z.string().trim().max(100), url: ZHttpUrl });
export type TFaqLink = z.infer<typeof ZFaqLink>;

export const ZFaq = z.object({
  id: z.string(),
  storeId: ZId.nullable(),
  category: z.string(),
  question: z.string(),
  similarQuestions: z.array(z.string()),
  answer: z.string(),
  images: z.array(z.string()),
  links: z.array(ZFaqLink),
  quickReplyId: ZId.nullable(),
  validFrom: z.string().nullable(),
  validTo: z.string().nullable(),
  enabled: z.boolean(),
  updatedAt: z.string(),
});
export type TFaq = z.infer<typeof ZFaq>;

const ZIsoDateTime = z.iso.datetime({ offset: true });

const faqFields = {
  storeId: ZId.nullable(),
  category: z.string().trim().max(50),
  question: z.string().trim().min(1).max(300),
  similarQuestions: z.array(z.string().trim().min(1).max(300)).max(200),
  answer: z.string().trim().min(1).max(4000),
  images: z.array(ZHttpUrl).max(9),
  links: z.array(ZFaqLink).max(10),
  quickReplyId: ZId.nullable(),
  validFrom: ZIsoDateTime.nullable(),
  validTo: ZIsoDateTime.nullable(),
  enabled: z.boolean(),
};
export const ZFaqInput = z.object({
  ...faqFields,
  storeId: faqFields.storeId.default(null),
  category: faqFields.category.default(''),
  similarQuestions: faqFields.similarQuestions.default([]),
  images: faqFields.images.default([]),
  links: faqFields.links.default([]),
  quickReplyId: faqFields.quickReplyId.default(null),
  validFrom: faqFields.validFrom.default(null),
  validTo: faqFields.validTo.default(null),
  enabled: faqFields.enabled.default(true),
});
export type TFaqInput = z.infer<typeof ZFaqInput>;
export const ZCreateFaqRequest = ZFaqInput.extend({ id: ZFaqId.optional() });
export type TCreateFaqRequest = z.infer<typeof ZCreateFaqRequest>;
/** What a client sends (defaults filled in by the server). */
export type TCreateFaqBody = z.input<typeof ZCreateFaqRequest>;
/** Partial update: only the fields sent change. */
export const ZUpdateFaqRequest = updateSchemaOf(ZFaqInput);
export type TUpdateFaqRequest = z.infer<typeof ZUpdateFaqRequest>;

export const ZFaqListQuery = z.object({
  q: z.string().max(100).optional(),
  category: z.string().max(50).optional(),
  storeId: ZId.optional(),
});
export type TFaqListQuery = z.infer<typeof ZFaqListQuery>;

export const ZFaqFileFormat = z.enum(['csv', 'xlsx']);
export type TFaqFileFormat = z.infer<typeof ZFaqFileFormat>;
export const ZFaqImportQuery = z.object({
  format: ZFaqFileFormat.default('csv'),
  storeId: ZId.optional(),
  filename: z.string().max(200).optional(),
});
export const ZFaqImportResult = z.object({
  total: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
});
export type TFaqImportResult = z.infer<typeof ZFaqImportResult>;

export const ZArticle = z.object({
  id: ZId,
  storeId: ZId.nullable(),
  category: z.string(),
  title: z.string(),
  body: z.string(),
  enabled: z.boolean(),
  updatedAt: z.string(),
});
export type TArticle = z.infer<typeof ZArticle>;
const articleFields = {
  storeId: ZId.nullable(),
  category: z.string().trim().max(50),
  title: z.string().trim().min(1).max(200),
  body: z.string().trim().min(1).max(20000),
  enabled: z.boolean(),
};
export const ZArticleInput = z.object({
  ...articleFields,
  storeId: articleFields.storeId.default(null),
  category: articleFields.category.default(''),
  enabled: articleFields.enabled.default(true),
});
export type TArticleInput = z.infer<typeof ZArticleInput>;
export const ZUpdateArticleRequest = updateSchemaOf(ZArticleInput);
export type TUpdateArticleRequest = z.infer<typeof ZUpdateArticleRequest>;

// ---- bot ----
export const ZBotMode = z.enum(['bot_first', 'human_first', 'bot_outside_hours']);
export type TBotMode = z.infer<typeof ZBotMode>;
const ZClock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM');

export const ZBotSettings = z.object({
  storeId: ZId,
  mode: ZBotMode,
  timezone: z.string(),
  hoursStart: ZClock,
  hoursEnd: ZClock,
  /** ISO weekdays, 1 = Monday … 7 = Sunday. */
  workDays: z.array(z.number().int().min(1).max(7)),
  /** Hand off after this many questions in a row the bot could not answer. */
  maxUnanswered: z.number().int().min(1).max(10),
  handoffOnRisk: z.boolean(),
  /** VIP buyers (customer tier `vip`) are handed to a human at their first message. */
  vipToHuman: z.boolean(),
});
export type TBotSettings = z.infer<typeof ZBotSettings>;
export const ZUpdateBotSettingsRequest = updateSchemaOf(ZBotSettings.omit({ storeId: true })).refine(
  (v) => {
    if (!v.timezone) return true;
    try {
      new Intl.DateTimeFormat('en', { timeZone: v.timezone });
      return true;
    } catch {
      return false;
    }
  },
  { message: 'unknown time zone', path: ['timezone'] },
);
export type TUpdateBotSettingsRequest = z.infer<typeof ZUpdateBotSettingsRequest>;

export const ZHandoffReason = z.enum(['customer_request', 'unanswered', 'risk', 'vip', 'business_hours']);
export type THandoffReason = z.infer<typeof ZHandoffReason>;

/** One answer as `peakdesk bot ask` prints it (a stable contract). */
export const ZBotAnswer = z.object({
  query: z.string(),
  faqId: z.string().nullable(),
  answer: z.string().nullable(),
  score: z.number(),
  handoff: z.boolean(),
});
export type TBotAnswer = z.infer<typeof ZBotAnswer>;

export const ZBotTryRequest = z.object({ text: z.string().trim().min(1).max(500), storeId: ZId.optional() });
export const ZBotTryResult = ZBotAnswer.extend({
  /** answered | abstained | handoff (with the reason). */
  outcome: z.enum(['answered', 'abstained', 'handoff']),
  reason: ZHandoffReason.nullable(),
  candidates: z.array(
    z.object({ faqId: z.string(), question: z.string(), variant: z.string(), score: z.number() }),
  ),
  why: z.object({
    normalizedQuery: z.string(),
    queryTokens: z.array(z.string()),
    decision: z.string(),
    threshold: z.number(),
    matchedTerms: z.array(z.string()),
    features: z.array(
      z.object({ name: z.string(), value: z.number(), weight: z.number(), contribution: z.number() }),
    ),
  }),
});
export type TBotTryResult = z.infer<typeof ZBotTryResult>;

export const ZUnansweredQuestion = z.object({
  id: ZId,
  storeId: ZId.nullable(),
  conversationId: ZId.nullable(),
  question: z.string(),
  topFaqId: z.string().nullable(),
  score: z.number(),
  createdAt: z.string(),
});
export type TUnansweredQuestion = z.infer<typeof ZUnansweredQuestion>;

/** What the agent learns about the bot's part of a conversation. */
export const ZBotContext = z.object({
  conversationId: ZId,
  turns: z.number().int(),
  answered: z.number().int(),
  topic: z.string().nullable(),
  topicFaqId: z.string().nullable(),
  handoffReason: ZHandoffReason.nullable(),
  handedOffAt: z.string().nullable(),
});
export type TBotContext = z.infer<typeof ZBotContext>;

// ---- agent assist ----
export const ZSuggestion = z.object({
  kind: z.enum(['faq', 'script']),
  id: z.string(),
  title: z.string(),
  body: z.string(),
  score: z.number(),
  links: z.array(ZFaqLink),
});
export type TSuggestion = z.infer<typeof ZSuggestion>;
export const ZSuggestions = z.object({
  /** The customer message the suggestions are for (null: nothing to suggest for yet). */
  query: z.string().nullable(),
  items: z.array(ZSuggestion),
});
export type TSuggestions = z.infer<typeof ZSuggestions>;
