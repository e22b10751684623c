import type { FormInstance } from 'antd';
import { ApiError } from './api-client.ts';
import { hasMessage, translateCurrent } from './i18n.ts';

/** `settings.shifts.shiftTypes.1.breaks` → `settings.shifts.shiftTypes.breaks`: list positions name no field. */
const withoutIndexes = (path: string) =>
  path
    .split('.')
    .filter((part) => !/^\d+$/.test(part))
    .join('.');

/** The label of the field an error names (its last named segment), if the dictionaries have one. */
function fieldLabel(field: string): string | null {
  const name = withoutIndexes(field).split('.').pop() ?? field;
  const key = `field.${name}`;
  return hasMessage(key) ? translateCurrent(key) : null;
}

/**
 * The translated text of an API error, never the server's English: per code and field first
 * (`error.invalid_plan_settings.settings.history`), then the reason for a refused field (`error.reason.too_long`
 * with its limit), then the code. `isBesideField`: shown next to the field, so its name is not repeated.
 */
export function apiErrorText(error: ApiError, opts: { isBesideField?: boolean } = {}): string {
  const { code, field, reason, limit } = error;
  if (field) {
    for (const path of new Set([field, withoutIndexes(field), field.split('.')[0] ?? field])) {
      const key = `error.${code}.${path}`;
      if (hasMessage(key)) return translateCurrent(key);
    }
  }
  let text: string | null = null;
  if (reason) {
    const key = `error.reason.${reason}`;
    if (hasMessage(key)) text = translateCurrent(key, { limit: limit ?? '' });
  }
  if (text === null) {
    const key = `error.${code}`;
    if (hasMessage(key)) text = translateCurrent(key);
    else if (/^http_\d+$/.test(code)) text = translateCurrent('error.http', { status: code.slice(5) });
    else text = translateCurrent('error.unknown', { code });
  }
  const label = field && !opts.isBesideField ? fieldLabel(field) : null;
  return label ? translateCurrent('error.withField', { field: label, text }) : text;
}

/**
 * Puts an API validation error next to the field it names; returns false when the error names no field
 * of this form, so the caller shows it as a general message instead.
 */
export function applyFieldError(form: FormInstance, error: unknown, fields: readonly string[]): boolean {
  if (!(error instanceof ApiError) || !error.field) return false;
  // The server may name nested paths like `storeIds.0`; the form field is the first segment.
  const name = error.field.split('.')[0] ?? error.field;
  if (!fields.includes(name)) return false;
  form.setFields([{ name, errors: [apiErrorText(error, { isBesideField: true })] }]);
  return true;
}

/** A failed call as a message for the user: translated for API errors, `fallback` for anything else. */
export function errorMessage(error: unknown, fallback: string): string {
  if (error instanceof ApiError) return apiErrorText(error);
  return fallback || translateCurrent('common.requestFailed');
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
