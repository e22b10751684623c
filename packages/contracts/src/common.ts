import { z } from 'zod';

export const ZId = z.uuid();
export const ZPlatform = z.enum(['taobao', 'tmall', 'jd', 'pdd', 'douyin', 'other']);
export type TPlatform = z.infer<typeof ZPlatform>;
export const ZRole = z.enum(['admin', 'supervisor', 'agent']);
export type TRole = z.infer<typeof ZRole>;
/** `away`: the router set it when an online/paused agent had no connection for the grace period. */
export const ZAgentStatus = z.enum(['online', 'paused', 'offline', 'away']);
export type TAgentStatus = z.infer<typeof ZAgentStatus>;

/** Every error a client sees: a stable code and a human message naming what was wrong. */
export const ZErrorBody = z.object({
  code: z.string(),
  message: z.string(),
  field: z.string().optional(),
});
export type TErrorBody = z.infer<typeof ZErrorBody>;

export const ZOk = z.object({ ok: z.literal(true) });
