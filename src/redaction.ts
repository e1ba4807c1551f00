/**
 * Field names whose values never reach a log line, compared without case. The logger applies
 * this to every object it is handed, at any depth, so a call site cannot leak a secret by
 * forgetting to strip it.
 */
const SECRET_KEYS = new Set([
  'password',
  'newpassword',
  'currentpassword',
  'token',
  'accesstoken',
  'refreshtoken',
  'secret',
  'clientsecret',
  'authorization',
  'cookie',
  'set-cookie',
  'code_verifier',
]);

export const REDACTED = '[redacted]';

/** Past this depth the rest is dropped rather than walked: a log line never needs it. */
const MAX_DEPTH = 8;

/**
 * A copy of `value` with every secret field replaced, sharing whatever needed no change. A flat
 * object without secrets (the usual log line) comes back as itself, so the common case costs one
 * pass over its keys. Only plain objects and arrays are walked: errors, dates and buffers go to
 * pino's serializers untouched.
 */
export function redactSecrets<T>(value: T): T {
  return redactAt(value, 0) as T;
}

function redactAt(value: unknown, depth: number): unknown {
  if (Array.isArray(value)) return redactArray(value, depth);
  if (!isPlainObject(value)) return value;
  if (depth >= MAX_DEPTH) return '[too deep]';
  let copy: Record<string, unknown> | undefined;
  for (const key of Object.keys(value)) {
    const item = value[key];
    const replaced = SECRET_KEYS.has(key.toLowerCase()) ? REDACTED : redactAt(item, depth + 1);
    if (replaced === item) continue;
    copy ??= { ...value };
    copy[key] = replaced;
  }
  return copy ?? value;
}

function redactArray(items: unknown[], depth: number): unknown {
  if (depth >= MAX_DEPTH) return '[too deep]';
  let copy: unknown[] | undefined;
  items.forEach((item, index) => {
    const replaced = redactAt(item, depth + 1);
    if (replaced === item) return;
    copy ??= [...items];
    copy[index] = replaced;
  });
  return copy ?? items;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
