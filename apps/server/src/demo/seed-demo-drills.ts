import { readFileSync } from 'node:fs';
import type { TDrillRun } from '@peakdesk/contracts';
import { type Database, schema } from '@peakdesk/db';
import { eq } from 'drizzle-orm';
import type { UserCaller } from '../http/caller.ts';
import type { Services } from '../services.ts';

const DAY_MS = 86_400_000;

type RecordedRun = {
  settings: TDrillRun['settings'];
  progress: TDrillRun['progress'];
  summary: NonNullable<TDrillRun['summary']>;
  seconds: number;
};

/**
 * Two past drills for the demo merchant: a drill organisation each (made by the drills service, as a
 * real drill makes it) and a finished run holding the settings, last progress and summary of a real
 * short run (6 simulated minutes of a Double 11 midnight at 30×, 3 and then 6 agents) recorded once
 * from `peakdesk simulate` against a test server into demo-drill-runs.json: a run takes 35–45 s, too
 * slow for start-up. Their HTML reports are not kept (1 MB each). Idempotent: skipped once the
 * organisation has any drill run.
 */
export async function seedDemoDrills(s: Services, db: Database, admin: UserCaller, now = new Date()) {
  const [existing] = await db
    .select({ id: schema.drillRuns.id })
    .from(schema.drillRuns)
    .where(eq(schema.drillRuns.orgId, admin.orgId))
    .limit(1);
  if (existing) return;
  const recorded = JSON.parse(
    readFileSync(new URL('./demo-drill-runs.json', import.meta.url), 'utf8'),
  ) as RecordedRun[];
  for (const [i, run] of recorded.entries()) {
    const drill = await s.drills.createDrillOrganization(admin, {
      name: run.settings.name,
      agents: run.settings.agents,
      stores: 1,
      concurrency: run.settings.concurrency,
    });
    const startedAt = new Date(now.getTime() - (recorded.length - i) * 7 * DAY_MS);
    const finishedAt = new Date(startedAt.getTime() + run.seconds * 1000);
    await db.insert(schema.drillRuns).values({
      orgId: admin.orgId,
      drillOrgId: drill.orgId,
      status: 'finished',
      instanceId: 'demo-seed',
      heartbeatAt: finishedAt,
      supervisorEmail: drill.supervisor.email,
      settings: run.settings,
      progress: run.progress,
      summary: run.summary,
      reportHtml: null,
      startedBy: admin.userId,
      startedAt,
      finishedAt,
    });
  }
}
