import type { FormInstance } from 'antd';
import { ApiError } from './api-client.ts';

/**
 * Puts an API validation error next to the field it names; returns false when the error names no field
 * of this form, so the caller shows it as a general message instead.
 */
export function applyFieldError(form: FormInstance, error: unknown, fields: readonly string[]): boolean {
  if (!(error instanceof ApiError) || !error.field) return false;
  // The server may name nested paths like `storeIds.0`; the form field is the first segment.
  const name = error.field.split('.')[0] ?? error.field;
  if (!fields.includes(name)) return false;
  // Next to the field, the server's "path.to.field: " prefix only repeats what the layout already says.
  const prefix = /^([\w.]+):\s*/.exec(error.message);
  const text = prefix?.[1]?.split('.').pop() === name ? error.message.slice(prefix[0].length) : error.message;
  form.setFields([{ name, errors: [text] }]);
  return true;
}

export function errorMessage(error: unknown, fallback: string): string {
  return error instanceof ApiError || error instanceof Error ? error.message : fallback;
}

/**
 * Runs the form's own rules; resolves to null when they fail. antd shows those errors itself, and its
 * rejection would otherwise surface as an unhandled promise rejection from the dialog's OK handler.
 */
export async function validateForm<T>(form: FormInstance<T>): Promise<T | null> {
  try {
    return await form.validateFields();
  } catch {
    return null;
  }
}
