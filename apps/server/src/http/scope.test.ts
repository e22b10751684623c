import { schema } from '@peakdesk/db';
import { PgDialect } from 'drizzle-orm/pg-core';
import { describe, expect, it } from 'vitest';
import type { UserCaller } from './caller.ts';
import { DomainError } from './domain-error.ts';
import {
  assertInScope,
  assertStoreInScope,
  assertWritable,
  inScope,
  type Scope,
  scopedSql,
  scopedWhere,
  scopeOf,
} from './scope.ts';

const ORG = '00000000-0000-4000-8000-000000000001';
const OTHER_ORG = '00000000-0000-4000-8000-000000000002';
const X = '00000000-0000-4000-8000-00000000000a';
const Y = '00000000-0000-4000-8000-00000000000b';
const all: Scope = { orgId: ORG, storeIds: 'all' };
const storeX: Scope = { orgId: ORG, storeIds: [X] };
const none: Scope = { orgId: ORG, storeIds: [] };

const user = (storeIds: string[] | null): UserCaller => ({
  kind: 'user',
  userId: 'u',
  orgId: ORG,
  role: storeIds ? 'supervisor' : 'admin',
  name: 'n',
  storeIds,
  groupIds: [],
  via: 'session',
});

/** What the thrown error says: `not_found`, `forbidden`, or `ok`. */
function outcome(fn: () => unknown): string {
  try {
    fn();
    return 'ok';
  } catch (e) {
    if (e instanceof DomainError) return e.kind;
    throw e;
  }
}

describe('scope', () => {
  it('is built from the caller: admins org-wide, staff their stores, visitors their store', () => {
    expect(scopeOf(user(null))).toEqual({ orgId: ORG, storeIds: 'all' });
    expect(scopeOf(user([X]))).toEqual({ orgId: ORG, storeIds: [X] });
    expect(scopeOf({ kind: 'customer', customerId: 'c', storeId: Y, orgId: ORG })).toEqual({
      orgId: ORG,
      storeIds: [Y],
    });
  });

  const rows = [
    // row, scope, in scope, writable
    [{ orgId: ORG, storeId: X }, all, true, 'ok'],
    [{ orgId: ORG, storeId: X }, storeX, true, 'ok'],
    [{ orgId: ORG, storeId: Y }, storeX, false, 'not_found'],
    [{ orgId: ORG, storeId: null }, storeX, true, 'forbidden'],
    [{ orgId: ORG, storeId: null }, all, true, 'ok'],
    [{ orgId: ORG, storeId: X }, none, false, 'not_found'],
    [{ orgId: OTHER_ORG, storeId: X }, all, false, 'not_found'],
    [{ orgId: OTHER_ORG, storeId: null }, storeX, false, 'not_found'],
    // raw SQL rows (snake case) and tables without a store column
    [{ org_id: ORG, store_id: Y }, storeX, false, 'not_found'],
    [{ org_id: ORG, store_id: X }, storeX, true, 'ok'],
    [{ orgId: ORG }, storeX, true, 'forbidden'],
    [{ org_id: OTHER_ORG }, all, false, 'not_found'],
  ] as const;
  it.each(rows)('row %o in scope %o: in %s, write %s', (row, scope, isIn, write) => {
    expect(inScope(row, scope)).toBe(isIn);
    expect(outcome(() => assertInScope(row, scope, 'faq'))).toBe(isIn ? 'ok' : 'not_found');
    expect(outcome(() => assertWritable(row, scope, 'faq'))).toBe(write);
  });

  it('a missing row is not found, naming what', () => {
    expect(() => assertInScope(null, all, 'faq')).toThrowError(
      expect.objectContaining({ code: 'faq_not_found' }),
    );
  });

  it.each([
    [X, storeX, 'ok'],
    [Y, storeX, 'not_found'],
    [null, storeX, 'forbidden'],
    [null, all, 'ok'],
    [undefined, storeX, 'ok'],
  ] as const)('a write pointing at store %s from %o: %s', (storeId, scope, result) => {
    expect(outcome(() => assertStoreInScope(scope, storeId))).toBe(result);
  });

  it('narrows SQL by org, and by store (org-wide rows included unless asked not to)', () => {
    const dialect = new PgDialect();
    const show = (q: Parameters<PgDialect['sqlToQuery']>[0]) => dialect.sqlToQuery(q);
    expect(show(scopedWhere(schema.faqEntries, all))).toMatchObject({
      sql: '"faq_entries"."org_id" = $1',
      params: [ORG],
    });
    expect(show(scopedWhere(schema.faqEntries, storeX))).toMatchObject({
      sql: '("faq_entries"."org_id" = $1 and ("faq_entries"."store_id" in ($2) or "faq_entries"."store_id" is null))',
      params: [ORG, X],
    });
    expect(show(scopedWhere(schema.faqEntries, storeX, { orgWideRows: false })).sql).not.toContain('is null');
    expect(show(scopedWhere(schema.faqEntries, none)).sql).toContain('is null');
    expect(show(scopedWhere(schema.faqEntries, none, { orgWideRows: false })).sql).toContain('false');
    expect(show(scopedSql('c', storeX))).toMatchObject({
      sql: 'c.org_id = $1 AND c.store_id IN ($2)',
      params: [ORG, X],
    });
    expect(show(scopedSql('c', none)).sql).toBe('c.org_id = $1 AND false');
    expect(show(scopedSql('us', storeX, { orgColumn: null })).sql).toBe('us.store_id IN ($1)');
    expect(show(scopedSql('us', all, { orgColumn: null })).sql).toBe('true');
  });
});
