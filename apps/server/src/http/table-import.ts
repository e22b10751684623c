import { readTable, type TableSpec } from '@peakdesk/tabular';
import type { z } from 'zod';
import { DomainError } from './domain-error.ts';

/**
 * The server's edge of the tabular import layer: a file with any problem is rejected as a whole with
 * every problem found, one `FILE:LINE: field "x" …` per line, naming the first field.
 */
export async function readTableOrThrow<S extends z.ZodType>(
  data: Uint8Array,
  code: string,
  spec: TableSpec<S>,
) {
  const result = await readTable(data, spec);
  if (result.ok) return result.rows;
  throw new DomainError(
    'invalid_input',
    code,
    result.issues.map((i) => i.message).join('\n'),
    result.issues[0]?.field ?? undefined,
  );
}
