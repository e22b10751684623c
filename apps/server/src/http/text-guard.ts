import { invalidInput } from './domain-error.ts';

// A high surrogate without its low half, or a low one without its high half.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Prepares parsed input for PostgreSQL text and jsonb, in place:
 * - a lone surrogate (an emoji cut in half by a client) becomes U+FFFD, as a UTF-8 encoder would do;
 *   jsonb parameters would otherwise fail the whole statement;
 * - U+0000 cannot be stored at all: the dotted path of the first string holding it is returned
 *   ('' for the value itself) so the edge can refuse it naming the field, instead of a 500 deep in a
 *   write (and a socket client resending it forever). Returns null when there is none.
 */
export function scrubText(value: unknown): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? '' : null;
  let nulPath: string | null = null;
  // Iterative walk: a deeply nested body must not overflow the stack.
  const stack: [Record<string | number, unknown> | unknown[], string][] = [];
  const visit = (
    container: Record<string | number, unknown> | unknown[],
    key: string | number,
    path: string,
  ) => {
    const v = (container as Record<string | number, unknown>)[key];
    if (typeof v === 'string') {
      if (nulPath === null && v.includes('\u0000')) nulPath = path;
      LONE_SURROGATE.lastIndex = 0;
      if (LONE_SURROGATE.test(v))
        (container as Record<string | number, unknown>)[key] = v.replace(LONE_SURROGATE, '\uFFFD');
    } else if (v !== null && typeof v === 'object' && !ArrayBuffer.isView(v)) {
      stack.push([v as Record<string, unknown> | unknown[], path]);
    }
  };
  if (value !== null && typeof value === 'object' && !ArrayBuffer.isView(value))
    stack.push([value as Record<string, unknown> | unknown[], '']);
  while (stack.length > 0) {
    const [container, path] = stack.pop()!;
    const keys = Array.isArray(container) ? container.keys() : Object.keys(container);
    for (const k of keys) visit(container, k, path ? `${path}.${k}` : String(k));
  }
  return nulPath;
}

/** The HTTP edge: repairs the request's text in place and refuses NUL naming the field. */
export function guardRequestText(value: unknown, root: string): void {
  const path = scrubText(value);
  if (path !== null) throw invalidInput(path || root, 'must not contain NUL characters');
}
