import { randomBytes } from 'node:crypto';
import type { Database } from '@peakdesk/db';
import { loadDemoFaq } from '@peakdesk/text';
import type { UserCaller } from '../http/caller.ts';
import { hashPassword } from '../modules/accounts/secrets.ts';
import { createQuickRepliesRepository } from '../modules/quick-replies/quick-replies.repository.ts';
import type { Services } from '../services.ts';
import { DEMO_PASSWORD, demoOrg, demoQuickReplies } from './demo-data.ts';
import { seedDemoDrills } from './seed-demo-drills.ts';
import { seedDemoWorkforce } from './seed-demo-workforce.ts';
import { seedDemoRouting } from './seed-routing-demo.ts';

export type DemoLogin = { email: string; password: string; role: string; name: string };

/** Seeds the demo merchant once (idempotent); returns the logins to print. */
export async function seedDemo(s: Services, db: Database): Promise<DemoLogin[]> {
  const logins = demoOrg.users.map((u) => ({
    email: u.email,
    password: DEMO_PASSWORD,
    role: u.role,
    name: u.name,
  }));
  if (await s.accounts.repo.findUserByEmail(demoOrg.users[0]!.email)) return logins;

  const org = await s.accounts.repo.createOrganization(demoOrg.name);
  const groups = new Map<string, string>();
  for (const g of demoOrg.groups) {
    const row = await s.accounts.repo.createGroup({
      orgId: org.id,
      name: g.name,
      defaultMaxConcurrency: g.cap,
    });
    groups.set(g.name, row.id);
  }
  const storeIds: string[] = [];
  for (const st of demoOrg.stores) {
    const row = await s.accounts.repo.createStore({
      orgId: org.id,
      name: st.name,
      platform: st.platform,
      greeting: st.greeting,
      defaultGroupId: groups.get(st.defaultGroup) ?? null,
      // Random per install, kept in the database: a published demo secret would let anyone sign in
      // as any buyer of a demo store that is reachable from outside.
      identitySecret: randomBytes(24).toString('hex'),
    });
    storeIds.push(row.id);
  }
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  let adminId = '';
  for (const u of demoOrg.users) {
    const user = await s.accounts.repo.createUser(
      {
        orgId: org.id,
        email: u.email,
        name: u.name,
        role: u.role,
        passwordHash,
        maxConcurrency: u.cap ?? null,
      },
      u.role === 'admin' ? [] : storeIds,
      u.groups.map((g) => groups.get(g)!),
    );
    if (u.role === 'admin' && !adminId) adminId = user.id;
  }
  await createQuickRepliesRepository(db).insertMany(
    demoQuickReplies.map((q) => ({ orgId: org.id, ownerId: null, ...q })),
  );
  const admin: UserCaller = {
    kind: 'user',
    userId: adminId,
    orgId: org.id,
    role: 'admin',
    name: demoOrg.users[0]!.name,
    storeIds: null,
    groupIds: [],
    via: 'session',
  };
  await seedDemoRouting(s, { admin, storeIds, groups });
  // A past year of volume per store: the planner forecasts the next 11.11 with no import.
  await seedDemoWorkforce(s, {
    orgId: org.id,
    createdBy: adminId,
    stores: storeIds.map((id, i) => ({ id, name: demoOrg.stores[i]!.name })),
  });
  await seedDemoDrills(s, db, admin);
  // The demo stores answer with the bot first (40+ FAQs), and hand over on 转人工.
  await s.knowledge.importEntries(org.id, loadDemoFaq());
  for (const storeId of storeIds) await s.bot.setMode(org.id, storeId, 'bot_first');
  return logins;
}
