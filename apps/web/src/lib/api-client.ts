import { type TErrorBody, ZErrorBody } from '@peakdesk/contracts';

/** Anything with a zod-like `parse`; responses are parsed so contract drift fails loudly at the edge. */
export type TParser<T> = { parse: (data: unknown) => T };

/** A failed API call: the server's `{code, message, field?}` plus the HTTP status. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly field: string | undefined;
  /** Why the field was refused (`too_long`, `email`…) and the size limit, for the translated text. */
  readonly reason: string | undefined;
  readonly limit: number | undefined;

  constructor(status: number, body: TErrorBody) {
    super(body.message);
    this.name = 'ApiError';
    this.status = status;
    this.code = body.code;
    this.field = body.field;
    this.reason = body.reason;
    this.limit = body.limit;
  }
}

type TUnauthorizedListener = () => void;
const unauthorizedListeners = new Set<TUnauthorizedListener>();

/** The session provider listens here so any 401 (expired cookie) sends the user back to sign-in. */
export function onUnauthorized(listener: TUnauthorizedListener): () => void {
  unauthorizedListeners.add(listener);
  return () => {
    unauthorizedListeners.delete(listener);
  };
}

type TRequestOptions = {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  json?: unknown;
  /** Raw bytes (image upload); sent with the blob's own Content-Type. */
  blob?: Blob;
  /** Login answers 401 for a wrong password; that must not look like an expired session. */
  isAuthAttempt?: boolean;
};

async function readError(res: Response): Promise<ApiError> {
  let body: unknown = null;
  try {
    body = await res.json();
  } catch {
    // Proxies and crashed servers answer with HTML or nothing; fall through to a generic error.
  }
  const parsed = ZErrorBody.safeParse(body);
  if (parsed.success) return new ApiError(res.status, parsed.data);
  return new ApiError(res.status, {
    code: `http_${res.status}`,
    message: res.statusText || 'Request failed',
  });
}

async function send(path: string, options: TRequestOptions): Promise<unknown> {
  const headers: Record<string, string> = { accept: 'application/json' };
  let body: BodyInit | undefined;
  if (options.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.json);
  } else if (options.blob) {
    headers['content-type'] = options.blob.type || 'application/octet-stream';
    body = options.blob;
  }
  let res: Response;
  try {
    res = await fetch(path, { method: options.method ?? 'GET', headers, body, credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, { code: 'network_error', message: 'Network error' });
  }
  if (!res.ok) {
    const error = await readError(res);
    if (res.status === 401 && !options.isAuthAttempt) {
      for (const listener of unauthorizedListeners) listener();
    }
    throw error;
  }
  if (res.status === 204) return null;
  const text = await res.text();
  return text === '' ? null : JSON.parse(text);
}

function parseWith<T>(parser: TParser<T>, data: unknown, path: string): T {
  try {
    return parser.parse(data);
  } catch (cause) {
    console.error(`Unexpected response shape from ${path}`, cause);
    throw new ApiError(0, { code: 'bad_response', message: `Unexpected response from ${path}` });
  }
}

export const api = {
  get<T>(path: string, parser: TParser<T>): Promise<T> {
    return send(path, {}).then((data) => parseWith(parser, data, path));
  },
  post<T>(path: string, json: unknown, parser: TParser<T>, extra: Partial<TRequestOptions> = {}): Promise<T> {
    return send(path, { ...extra, method: 'POST', json }).then((data) => parseWith(parser, data, path));
  },
  put<T>(path: string, json: unknown, parser: TParser<T>): Promise<T> {
    return send(path, { method: 'PUT', json }).then((data) => parseWith(parser, data, path));
  },
  patch<T>(path: string, json: unknown, parser: TParser<T>): Promise<T> {
    return send(path, { method: 'PATCH', json }).then((data) => parseWith(parser, data, path));
  },
  /** For calls whose answer the UI does not use (logout, read receipts, deletes). */
  async fire(path: string, method: 'POST' | 'DELETE', json?: unknown): Promise<void> {
    await send(path, { method, json });
  },
  upload<T>(path: string, blob: Blob, parser: TParser<T>): Promise<T> {
    return send(path, { method: 'POST', blob }).then((data) => parseWith(parser, data, path));
  },
};

/** Builds a query string, leaving out empty values. */
export function withQuery(path: string, query: Record<string, string | number | undefined | null>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}
