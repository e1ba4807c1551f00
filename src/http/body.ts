import type { Context } from 'hono';
import { z } from 'zod';
import type { AppEnv } from './env.js';
import { ApiError } from './problem.js';

/** Bodies larger than this are refused with 413 before they are read in full. */
export const DEFAULT_BODY_LIMIT = 64 * 1024;

/**
 * Reads a JSON body and validates it. Anything wrong is an ApiError naming what: 415 for another
 * content type, 400 for broken JSON or the first invalid field. Unknown fields are ignored, so
 * they can never have an effect.
 */
export async function readJson<T extends z.ZodType>(
  c: Context<AppEnv>,
  schema: T,
  opts: { optional?: boolean } = {},
): Promise<z.infer<T>> {
  const bytes = c.get('bodyBytes') ?? Buffer.from(await c.req.arrayBuffer());
  const raw = utf8(bytes);
  if (raw?.trim() === '' && opts.optional) return parseWith(schema, {});
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/(.+\+)?json\s*(;|$)/i.test(type)) {
    throw new ApiError(415, 'unsupported_media_type', 'The body must be JSON (application/json).');
  }
  // JSON on the wire is UTF-8 (RFC 8259); a body declared as another charset would otherwise be
  // read as UTF-8 regardless, and its text stored other than the client meant.
  const charset = /;\s*charset\s*=\s*"?([^";\s]*)/i.exec(type)?.[1];
  if (charset !== undefined && !/^utf-?8$/i.test(charset)) {
    const detail = `charset=${charset.slice(0, 40)} is not supported; JSON bodies are UTF-8.`;
    throw new ApiError(415, 'unsupported_media_type', detail);
  }
  const encoding = c.req.header('content-encoding')?.trim().toLowerCase();
  if (encoding && encoding !== 'identity') {
    // Without this a compressed body would be refused as "not UTF-8 text", which misleads.
    const named = encoding.slice(0, 40);
    const detail = `Content-Encoding ${named} is not supported; send the body as is.`;
    throw new ApiError(415, 'unsupported_media_type', detail);
  }
  if (raw === undefined) {
    // Replacing the bad bytes with U+FFFD, as the fetch API's text() does, would store text the
    // client never sent; JSON on the wire is UTF-8 (RFC 8259), so the body is refused instead.
    throw new ApiError(400, 'invalid_json', 'The body is not valid JSON: it is not UTF-8 text.');
  }
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new ApiError(400, 'invalid_json', 'The body is not valid JSON.');
  }
  return parseWith(schema, value);
}

// A leading byte-order mark is dropped, as the fetch API's text() drops it.
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** The body as text, or undefined when its bytes are not UTF-8. */
function utf8(bytes: Buffer): string | undefined {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return undefined;
  }
}

export function parseWith<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw validationError(result.error);
}

export function validationError(error: z.ZodError): ApiError {
  // zod goes on checking a value of the wrong type against the rules of the type it found (an
  // array sent for a string gets "expected array to have >=1 items"): past the type error, those
  // describe rules the client never had to meet, so they are left out.
  const mistyped = new Set(
    error.issues.filter((i) => i.code === 'invalid_type').map((i) => i.path.join('.')),
  );
  const relevant = error.issues.filter(
    (i) => i.code === 'invalid_type' || !mistyped.has(i.path.join('.')),
  );
  const errors = relevant.slice(0, 20).map((issue) => ({
    field: issue.path.length ? issue.path.join('.') : '(body)',
    message: issue.message,
  }));
  const first = errors[0]!;
  return new ApiError(400, 'validation_failed', `${first.field}: ${first.message}`, { errors });
}
