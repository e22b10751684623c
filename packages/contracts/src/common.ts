import { z } from 'zod';

export const ZId = z.uuid();
export const ZPlatform = z.enum(['taobao', 'tmall', 'jd', 'pdd', 'douyin', 'other']);
export type TPlatform = z.infer<typeof ZPlatform>;
export const ZRole = z.enum(['admin', 'supervisor', 'agent']);
export type TRole = z.infer<typeof ZRole>;
/** `away`: the router set it when an online/paused agent had no connection for the grace period. */
export const ZAgentStatus = z.enum(['online', 'paused', 'offline', 'away']);
export type TAgentStatus = z.infer<typeof ZAgentStatus>;

/**
 * Why a field was refused, for clients that show their own text (the web app translates code, field and
 * reason; `message` is the server's English for logs and API users). `limit` goes with the size reasons.
 */
export const ERROR_REASONS = [
  'required',
  'too_short',
  'too_long',
  'too_few',
  'too_many',
  'too_small',
  'too_big',
  'email',
  'format',
  'type',
  'choice',
  'unknown_key',
  'invalid',
] as const;
export type TErrorReason = (typeof ERROR_REASONS)[number];

/** Every error a client sees: a stable code and a human message naming what was wrong. */
export const ZErrorBody = z.object({
  code: z.string(),
  message: z.string(),
  field: z.string().optional(),
  /** One of ERROR_REASONS; a plain string so a client keeps working when a server adds one. */
  reason: z.string().optional(),
  limit: z.number().optional(),
});
export type TErrorBody = z.infer<typeof ZErrorBody>;

export const ZOk = z.object({ ok: z.literal(true) });
