import { z } from 'zod';
import { updateSchemaOf, ZId } from './common.ts';

export const QUICK_REPLY_CATEGORIES = [
  'welcome',
  'waiting',
  'closing',
  'soothing',
  'promotion',
  'logistics',
  'returns',
  'custom',
] as const;
export const ZQuickReplyCategory = z.enum(QUICK_REPLY_CATEGORIES);
export type TQuickReplyCategory = z.infer<typeof ZQuickReplyCategory>;

export const ZQuickReply = z.object({
  id: ZId,
  scope: z.enum(['personal', 'team']),
  category: ZQuickReplyCategory,
  shortcut: z.string(),
  title: z.string(),
  body: z.string(),
  updatedAt: z.string(),
});
export type TQuickReply = z.infer<typeof ZQuickReply>;

export const ZCreateQuickReplyRequest = z.object({
  scope: z.enum(['personal', 'team']),
  category: ZQuickReplyCategory,
  shortcut: z
    .string()
    .trim()
    .min(1)
    .max(32)
    .regex(/^[\p{L}\p{N}_-]+$/u, 'may contain only letters, digits, _ and -'),
  title: z.string().trim().min(1).max(100),
  body: z.string().trim().min(1).max(2000),
});
export type TCreateQuickReplyRequest = z.infer<typeof ZCreateQuickReplyRequest>;
export const ZUpdateQuickReplyRequest = updateSchemaOf(ZCreateQuickReplyRequest);
export const ZQuickReplyQuery = z.object({
  q: z.string().max(100).optional(),
  category: ZQuickReplyCategory.optional(),
});

/** Variables a reply script may use; unknown `{names}` are left as written so the agent sees them. */
export type TTemplateVariables = Partial<Record<'buyer_name' | 'agent_name' | 'store_name' | string, string>>;

export function fillTemplate(body: string, vars: TTemplateVariables): string {
  return body.replace(/\{([a-z_]+)\}/g, (whole, name: string) => {
    const value = vars[name];
    return value === undefined || value === '' ? whole : value;
  });
}
