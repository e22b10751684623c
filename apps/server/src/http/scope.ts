import { sql } from '@peakdesk/db';
import { type AnyColumn, and, eq, inArray, isNull, or, type SQL } from 'drizzle-orm';
import type { Caller } from './caller.ts';
import { forbidden, notFound } from './domain-error.ts';

/**
 * The one tenancy mechanism (docs/architecture.md, "Scope"): what part of which organisation a caller
 * may touch. Every repository query that reads or writes tenant rows is narrowed with `scopedWhere` /
 * `scopedSql`, and every row loaded by id is checked with `assertInScope` before it is used or
 * changed; rows outside the scope answer not-found, so their existence is not leaked.
 */
export type Scope = {
  orgId: string;
  /** `all`: every store of the organisation (org-wide admins, system work such as timers). */
  storeIds: readonly string[] | 'all';
};

export function scopeOf(caller: Caller): Scope {
  if (caller.kind === 'customer') return { orgId: caller.orgId, storeIds: [caller.storeId] };
  return { orgId: caller.orgId, storeIds: caller.storeIds ?? 'all' };
}

/** The whole organisation: for system work (timers, bot turns, seeds) that acts for no caller. */
export const orgScope = (orgId: string): Scope => ({ orgId, storeIds: 'all' });

export const isOrgWide = (scope: Scope) => scope.storeIds === 'all';

/**
 * A row's tenancy, from a Drizzle row (`orgId`, `storeId`) or a raw SQL row (`org_id`, `store_id`).
 * `storeId` null (or a table without stores) = the row belongs to the whole organisation.
 */
type Tenancy = { orgId: string; storeId: string | null };
type TenantRow = { orgId: string; storeId?: string | null } | { org_id: string; store_id?: string | null };

function tenancyOf(row: TenantRow): Tenancy {
  return 'orgId' in row
    ? { orgId: row.orgId, storeId: row.storeId ?? null }
    : { orgId: row.org_id, storeId: row.store_id ?? null };
}

/** Whether the scope may see a store (an org-wide row, `storeId` null, is seen by every store). */
export function canSeeStore(scope: Scope, storeId: string | null): boolean {
  return storeId === null || scope.storeIds === 'all' || scope.storeIds.includes(storeId);
}

export function inScope(row: TenantRow, scope: Scope): boolean {
  const t = tenancyOf(row);
  return t.orgId === scope.orgId && canSeeStore(scope, t.storeId);
}

/** The row if it is the scope's, else not-found naming `what` (`faq` → `faq_not_found`). */
export function assertInScope<T extends TenantRow>(row: T | null | undefined, scope: Scope, what: string): T {
  if (!row || !inScope(row, scope)) throw notFound(what);
  return row;
}

/**
 * For a write: the row must be in scope (else not-found) and, when it belongs to the whole
 * organisation, the caller must be org-wide too — a store-limited supervisor may read an org-wide
 * FAQ but not change what every other store's bot answers.
 */
export function assertWritable<T extends TenantRow>(
  row: T | null | undefined,
  scope: Scope,
  what: string,
): T {
  const r = assertInScope(row, scope, what);
  if (tenancyOf(r).storeId === null && !isOrgWide(scope))
    throw forbidden(`${what}: an organisation-wide entry is changed by an organisation-wide admin`);
  return r;
}

/** A store a write points at (e.g. `storeId` of a new FAQ): outside the scope → not-found. */
export function assertStoreInScope(scope: Scope, storeId: string | null | undefined, what = 'store') {
  if (storeId === undefined) return;
  if (storeId === null) {
    if (!isOrgWide(scope))
      throw forbidden(`${what}: an organisation-wide entry is created by an organisation-wide admin`);
    return;
  }
  if (!canSeeStore(scope, storeId)) throw notFound(what);
}

/**
 * Drizzle condition: the table's rows of the scope. `storeId` column given: rows of the scope's
 * stores, plus org-wide rows (store null) unless `orgWideRows: false`.
 */
export function scopedWhere(
  table: { orgId: AnyColumn; storeId?: AnyColumn },
  scope: Scope,
  opts: { orgWideRows?: boolean } = {},
): SQL {
  const org = eq(table.orgId, scope.orgId);
  if (!table.storeId || scope.storeIds === 'all') return org;
  const orgWide = opts.orgWideRows === false ? undefined : isNull(table.storeId);
  const stores = scope.storeIds.length ? inArray(table.storeId, [...scope.storeIds]) : undefined;
  const store = stores && orgWide ? or(stores, orgWide) : (stores ?? orgWide ?? sql`false`);
  return and(org, store) as SQL;
}

/**
 * The same condition for raw SQL over a table alias with `org_id` / `store_id` columns
 * (`scopedSql('c', scope)` → `c.org_id = … AND c.store_id IN (…)`); `orgColumn: null` for a table
 * without one (e.g. `user_stores`), `storeColumn: null` for one without stores.
 */
export function scopedSql(
  alias: string,
  scope: Scope,
  opts: { orgColumn?: string | null; storeColumn?: string | null } = {},
): SQL {
  const col = (name: string) => sql.raw(`${alias}.${name}`);
  const orgColumn = opts.orgColumn === undefined ? 'org_id' : opts.orgColumn;
  const storeColumn = opts.storeColumn === undefined ? 'store_id' : opts.storeColumn;
  const conds: SQL[] = orgColumn ? [sql`${col(orgColumn)} = ${scope.orgId}`] : [];
  if (storeColumn !== null && scope.storeIds !== 'all')
    conds.push(
      scope.storeIds.length
        ? sql`${col(storeColumn)} IN (${sql.join(
            scope.storeIds.map((id) => sql`${id}`),
            sql`, `,
          )})`
        : sql`false`,
    );
  return conds.length ? sql.join(conds, sql` AND `) : sql`true`;
}
