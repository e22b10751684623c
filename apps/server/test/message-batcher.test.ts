import { expect, it } from 'vitest';
import { createBatcher } from '../src/modules/chat/batcher.ts';

it('message batcher: batches while busy and isolates a failing item', async () => {
  const calls: number[][] = [];
  const write = createBatcher(
    async (items: number[]) => {
      calls.push(items);
      await new Promise((r) => setTimeout(r, 5));
      if (items.includes(13)) throw new Error('poison');
      return items.map((x) => x * 2);
    },
    { maxBatch: 100 },
  );
  const first = await Promise.all([write(1), write(2)]);
  expect(first).toEqual([2, 4]);
  const res = await Promise.allSettled([write(3), write(13), write(4)]);
  expect(res.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  expect(calls[0]).toEqual([1, 2]);
});
