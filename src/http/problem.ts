import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

/**
 * An expected refusal, thrown from deep inside a handler and turned into RFC 9457 problem details
 * in one place (the app's error handler). `code` is stable and machine-readable.
 */
export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    readonly detail: string,
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
  }
}

/**
 * Every failed validation lists its fields in `errors`, also when a domain rule (not the schema)
 * refused the value and only wrote "field: message" in its detail.
 */
function withFieldErrors(error: ApiError): Record<string, unknown> {
  if (error.code !== 'validation_failed' || 'errors' in error.extra) return error.extra;
  const match = /^([\w.]+): (.+)$/s.exec(error.detail);
  const errors = [{ field: match?.[1] ?? '(body)', message: match?.[2] ?? error.detail }];
  return { ...error.extra, errors };
}

export function problemBody(status: number, code: string, detail: string, extra = {}) {
  return {
    type: `https://docs.abscore.app/errors/${code}`,
    title: TITLES[status] ?? 'Error',
    status,
    detail,
    code,
    ...extra,
  };
}

export function problemResponse(c: Context, error: ApiError): Response {
  const body = problemBody(error.status, error.code, error.detail, withFieldErrors(error));
  const headers = { 'content-type': 'application/problem+json', ...error.headers };
  return c.body(JSON.stringify(body), error.status, headers);
}

/** The refusal of a cursor the API did not hand out, the same on every list. */
export function invalidCursor(): ApiError {
  const message = 'not a cursor this API handed out';
  return new ApiError(400, 'invalid_cursor', `cursor: ${message}.`, {
    errors: [{ field: 'cursor', message }],
  });
}
