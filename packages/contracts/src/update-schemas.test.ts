import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import * as contracts from './index.ts';
import { updateSchemaOf } from './index.ts';

const updateSchemas = Object.entries(contracts as Record<string, unknown>).filter(
  (e): e is [string, z.ZodType] => e[0].startsWith('ZUpdate') && e[1] instanceof z.ZodType,
);

describe('update schemas', () => {
  it('finds the update schemas of every module', () => {
    expect(updateSchemas.map(([name]) => name)).toEqual(
      expect.arrayContaining(['ZUpdateGroupRequest', 'ZUpdateStoreRequest', 'ZUpdateRoutingRuleRequest']),
    );
  });

  // A default in a PATCH body would overwrite the stored value of a field the client did not send.
  it.each(updateSchemas)('%s fills in nothing the client did not send', (_name, schema) => {
    const parsed = schema.safeParse({});
    if (parsed.success) expect(parsed.data).toEqual({});
    else expect(parsed.error.issues.length).toBeGreaterThan(0);
  });

  it('updateSchemaOf drops defaults but keeps validation', () => {
    const create = z.object({ name: z.string().min(1), cap: z.number().int().max(50).default(5) });
    const update = updateSchemaOf(create);
    expect(update.parse({ name: 'x' })).toEqual({ name: 'x' });
    expect(update.parse({ cap: 7 })).toEqual({ cap: 7 });
    expect(update.safeParse({ cap: 51 }).success).toBe(false);
    expect(update.safeParse({ name: '' }).success).toBe(false);
  });
});
