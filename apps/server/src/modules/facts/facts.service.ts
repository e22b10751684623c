import { type FactKind, factKinds, type TFact } from '@peakdesk/contracts';
import { type Database, sql } from '@peakdesk/db';

/**
 * A fact to write: its kind and typed data (the catalogue in packages/contracts/src/facts.ts) and
 * the dimensions reports cut by. The platform is not passed: it is the store's, read in the insert.
 */
export type Fact = TFact & {
  orgId: string;
  storeId?: string | null;
  groupId?: string | null;
  agentId?: string | null;
  conversationId?: string | null;
};

/** A fact that does not match its kind's schema: a bug in the writer, never bad user input. */
export class InvalidFactError extends Error {
  override name = 'InvalidFactError';
}

function parseData(f: Fact): { version: number; data: unknown } {
  const def = (factKinds as Partial<Record<string, (typeof factKinds)[FactKind]>>)[f.kind];
  if (!def) throw new InvalidFactError(`fact ${String(f.kind)}: unknown fact kind`);
  const parsed = def.schema.safeParse(f.data);
  if (parsed.success) return { version: def.version, data: parsed.data };
  const issues = parsed.error.issues.map((i) => {
    const path = ['data', ...i.path.map(String)].join('.');
    return i.code === 'unrecognized_keys'
      ? `${path}: unknown field(s) ${i.keys.join(', ')}`
      : `${path}: ${i.message}`;
  });
  throw new InvalidFactError(`fact ${f.kind}: ${issues.join('; ')}`);
}

/**
 * Takes the caller's transaction so a fact commits (or not) with the change it describes. Every fact
 * is parsed against its kind's schema first (a mismatch throws InvalidFactError and so rolls the
 * change back); one statement inserts them all, in order, with each store's platform joined in.
 */
export async function recordFacts(db: Database, facts: readonly Fact[]): Promise<void> {
  if (facts.length === 0) return;
  const rows = JSON.stringify(
    facts.map((f, ord) => ({
      ord,
      org_id: f.orgId,
      kind: f.kind,
      store_id: f.storeId ?? null,
      group_id: f.groupId ?? null,
      agent_id: f.agentId ?? null,
      conversation_id: f.conversationId ?? null,
      ...parseData(f),
    })),
  );
  await db.execute(
    sql`INSERT INTO facts (org_id, kind, version, store_id, group_id, agent_id, conversation_id, platform, data)
        SELECT r.org_id, r.kind, r.version, r.store_id, r.group_id, r.agent_id, r.conversation_id, s.platform, r.data
        FROM jsonb_to_recordset(${rows}::jsonb) AS r(ord int, org_id uuid, kind text, version smallint,
          store_id uuid, group_id uuid, agent_id uuid, conversation_id uuid, data jsonb)
        LEFT JOIN stores s ON s.id = r.store_id
        ORDER BY r.ord`,
  );
}
