import { z } from 'zod';
import { ZId } from './common.ts';

export const ZCreateDrillRequest = z.object({
  name: z.string().trim().min(1).max(100).default('大促演练'),
  agents: z.number().int().min(1).max(500).default(10),
  stores: z.number().int().min(1).max(10).default(1),
  concurrency: z.number().int().min(1).max(20).default(5),
});
export type TCreateDrillRequest = z.infer<typeof ZCreateDrillRequest>;

export const ZDrillOrganization = z.object({
  orgId: ZId,
  name: z.string(),
  storeIds: z.array(ZId),
  groupId: ZId,
  agents: z.array(z.object({ email: z.string(), password: z.string() })),
  supervisor: z.object({ email: z.string(), password: z.string() }),
});
export type TDrillOrganization = z.infer<typeof ZDrillOrganization>;

const ZHhMm = z.string().regex(/^([01]\d|2[0-4]):[0-5]\d$/, 'must be HH:MM');

export const ZStartDrillRunRequest = z
  .object({
    name: z.string().trim().min(1).max(100).default('大促演练'),
    profile: z.enum(['double11', 'normal']).default('double11'),
    speed: z.number().min(1).max(1000).default(60),
    from: ZHhMm.default('00:00'),
    to: ZHhMm.default('00:30'),
    dailyVolume: z.number().int().min(1).max(1_000_000).default(3000),
    agents: z.number().int().min(1).max(200).default(8),
    concurrency: z.number().int().min(1).max(20).default(5),
  })
  .refine((r) => r.to > r.from, { message: 'must be after from', path: ['to'] });
export type TStartDrillRunRequest = z.infer<typeof ZStartDrillRunRequest>;

export const ZDrillRun = z.object({
  id: ZId,
  status: z.enum(['running', 'finished', 'failed']),
  drillOrgId: ZId,
  /** The password is in the answer to the start request only; it is never stored. */
  supervisor: z.object({ email: z.string(), password: z.string().nullable() }),
  settings: ZStartDrillRunRequest,
  progress: z
    .object({
      simTime: z.string(),
      arrived: z.number(),
      planned: z.number(),
      active: z.number(),
      waitingForAgent: z.number(),
      messagesPerSecond: z.number(),
      serviceLevel: z.number(),
    })
    .nullable(),
  summary: z
    .object({
      conversations: z.number(),
      messages: z.number(),
      botResolvedShare: z.number(),
      handedOff: z.number(),
      serviceLevel: z.number(),
      avgWaitSeconds: z.number(),
      abandoned: z.number(),
      lost: z.number(),
      duplicated: z.number(),
      /** Absent in runs recorded before these figures existed. */
      resolvedByAgents: z.number().optional(),
      queuedAtEnd: z.number().optional(),
      expected: z
        .object({
          servers: z.number(),
          arrivalsPerHour: z.number(),
          ahtSeconds: z.number(),
          targetSeconds: z.number(),
          latencySeconds: z.number(),
          serviceLevel: z.number(),
          floor: z.number(),
        })
        .optional(),
    })
    .nullable(),
  error: z.string().nullable(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
});
export type TDrillRun = z.infer<typeof ZDrillRun>;
