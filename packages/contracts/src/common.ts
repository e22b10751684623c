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

type WithoutDefault<T> = T extends z.ZodDefault<infer Inner> ? Inner : T;
/** The shape of an update schema built from a create schema: every field optional, no defaults. */
export type UpdateShape<S extends z.ZodRawShape> = { [K in keyof S]: z.ZodOptional<WithoutDefault<S[K]>> };

/**
 * A PATCH body from a create body: every field optional and every `.default(…)` removed, so a field the
 * client did not send stays absent and keeps its stored value. `create.partial()` would keep the
 * defaults and a PATCH of `name` would reset, say, a group's concurrency to 5 (docs/security.md).
 */
export function updateSchemaOf<S extends z.ZodRawShape>(create: z.ZodObject<S>): z.ZodObject<UpdateShape<S>> {
  const shape: Record<string, z.ZodType> = {};
  for (const [key, field] of Object.entries(create.shape))
    shape[key] = z.optional(field instanceof z.ZodDefault ? field.unwrap() : field);
  return z.object(shape) as unknown as z.ZodObject<UpdateShape<S>>;
}
