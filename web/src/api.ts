/**
 * The one way the pages talk to the service. The session is the HttpOnly cookie, which scripts
 * cannot read; the only thing kept here is the anti-forgery token that state changes must echo.
 */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

let csrfToken: string | undefined;
let onSessionLost: (() => void) | undefined;

export function setCsrfToken(token: string | undefined): void {
  csrfToken = token;
}

/** Called when the service stops recognising the session (signed out elsewhere, expired). */
export function whenSessionLost(handler: () => void): void {
  onSessionLost = handler;
}

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      cache: 'no-store',
    });
  } catch {
    throw new ApiFailure(0, 'network', UNREACHABLE);
  }
  if (response.status === 204) return undefined as T;
  const parsed = await response.json().catch(() => null);
  if (response.ok) return parsed as T;
  const failure = toFailure(response, parsed);
  if (failure.status === 401 && path !== '/login' && path !== '/me') onSessionLost?.();
  throw failure;
}

const UNREACHABLE = 'The ABS Core service cannot be reached. Check your connection and try again.';

/** Words a person can act on, from the problem details the service answers with. */
const MESSAGES: Record<string, string> = {
  invalid_credentials: 'That email and password do not match an account. Check both and try again.',
  csrf_failed: 'This page is out of date. Reload it and try again.',
  missing_token: 'You are signed out. Sign in to continue.',
  invalid_token: 'Your session has ended. Sign in again to continue.',
  insufficient_scope: 'Your role does not allow this. Ask an administrator if you need it.',
  session_required: 'This needs you to be signed in to the dashboard.',
  unavailable: 'The service is briefly unavailable. Try again in a moment.',
  email_taken: 'A user with this email already exists.',
  own_role: 'You cannot change your own role. Ask another administrator.',
  token_required: 'This needs a Personal Access Token rather than a dashboard session.',
  no_password:
    'Your account signs in with GitHub and has no password. An administrator can set one.',
};

function toFailure(response: Response, body: unknown): ApiFailure {
  const problem = (body ?? {}) as { code?: unknown; detail?: unknown };
  const code = typeof problem.code === 'string' ? problem.code : `http_${response.status}`;
  const detail = typeof problem.detail === 'string' ? problem.detail : undefined;
  if (response.status >= 500) {
    const reference = response.headers.get('x-request-id');
    const message = MESSAGES[code] ?? 'Something went wrong on our side. Try again in a moment.';
    return new ApiFailure(
      response.status,
      code,
      reference ? `${message} (ref. ${reference})` : message,
    );
  }
  return new ApiFailure(
    response.status,
    code,
    MESSAGES[code] ?? detail ?? fallback(response.status),
  );
}

function fallback(status: number): string {
  if (status === 404) return 'That item no longer exists. It may have been removed.';
  if (status === 429) return 'Too many requests. Wait a moment and try again.';
  return `The request was refused (${status}).`;
}

export function messageOf(error: unknown): string {
  return error instanceof ApiFailure
    ? error.message
    : 'Something unexpected happened. Reload the page.';
}
