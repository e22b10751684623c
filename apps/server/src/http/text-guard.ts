import { invalidInput } from './domain-error.ts';

/**
 * PostgreSQL text cannot hold U+0000: a string carrying it fails deep inside a write as a 500 (and a
 * socket client resends it forever). The edge refuses it instead, naming the field. Returns the
 * dotted path of the first string containing NUL ('' for the value itself), or null.
 */
export function findNulCharacter(value: unknown): string | null {
  // Iterative walk: a deeply nested body must not overflow the stack.
  const stack: [unknown, string][] = [[value, '']];
  while (stack.length > 0) {
    const [v, path] = stack.pop()!;
    if (typeof v === 'string') {
      if (v.includes('\u0000')) return path;
    } else if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) stack.push([v[i], path ? `${path}.${i}` : String(i)]);
    } else if (v !== null && typeof v === 'object' && !ArrayBuffer.isView(v)) {
      for (const [k, item] of Object.entries(v)) stack.push([item, path ? `${path}.${k}` : k]);
    }
  }
  return null;
}

export function assertNoNulCharacter(value: unknown, root: string): void {
  const path = findNulCharacter(value);
  if (path !== null) throw invalidInput(path || root, 'must not contain NUL characters');
}
