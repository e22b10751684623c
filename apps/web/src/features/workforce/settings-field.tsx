import { Form } from 'antd';
import {
  createContext,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import { ApiError } from '../../lib/api-client.ts';
import { apiErrorText } from '../../lib/form-errors.ts';

/** Errors keyed by settings path (`shifts.shiftTypes.0.breaks.1.lengthMinutes`), the paths on screen. */
type TFieldErrorsContext = {
  errors: Readonly<Record<string, string>>;
  mounted: Set<string>;
  focus: string | null;
};

const FieldErrorsContext = createContext<TFieldErrorsContext | null>(null);
export const SettingsFieldErrorsProvider = FieldErrorsContext.Provider;

/**
 * The plan settings' field errors. `show` puts an API validation error (`field: "settings.…"`) next to
 * the field it names and returns true, or returns false when no field on screen has that path, so the
 * caller shows it as a general message instead.
 */
export function useSettingsFieldErrors() {
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [focus, setFocus] = useState<string | null>(null);
  const mounted = useRef(new Set<string>()).current;
  const context = useMemo(() => ({ errors, mounted, focus }), [errors, mounted, focus]);

  const show = useCallback(
    (error: unknown): boolean => {
      if (!(error instanceof ApiError) || !error.field?.startsWith('settings.')) return false;
      const path = error.field.slice('settings.'.length);
      if (!mounted.has(path)) return false;
      // The field already says where, so only what is wrong is shown next to it, translated.
      setErrors({ [path]: apiErrorText(error, { isBesideField: true }) });
      setFocus(path);
      return true;
    },
    [mounted],
  );

  /** Clears one field's error (it was edited), or all of them (the list of fields changed). */
  const clear = useCallback((path?: string) => {
    setErrors((previous) => {
      if (path === undefined) return Object.keys(previous).length === 0 ? previous : {};
      if (!(path in previous)) return previous;
      const { [path]: _, ...rest } = previous;
      return rest;
    });
  }, []);

  return { context, show, clear, hasErrors: Object.keys(errors).length > 0 };
}

/** A labelled settings input that shows the API's error for `path` under it. */
export function SettingsField({
  path,
  label,
  children,
  width,
}: {
  path: string;
  label: ReactNode;
  children: ReactNode;
  width?: number;
}) {
  const context = useContext(FieldErrorsContext);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!context) return;
    context.mounted.add(path);
    return () => {
      context.mounted.delete(path);
    };
  }, [context, path]);
  const error = context?.errors[path];
  useEffect(() => {
    if (error && context?.focus === path) ref.current?.scrollIntoView({ block: 'center' });
  }, [error, context?.focus, path]);
  return (
    <div ref={ref} style={width ? { width } : undefined} data-field={path}>
      <Form.Item
        label={label}
        validateStatus={error ? 'error' : undefined}
        help={
          error ? (
            <span data-testid="field-error" data-field={path}>
              {error}
            </span>
          ) : undefined
        }
        style={{ marginBottom: 8 }}
      >
        {children}
      </Form.Item>
    </div>
  );
}
