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
  const raw = c.get('bodyText') ?? (await c.req.text());
  if (raw.trim() === '' && opts.optional) return parseWith(schema, {});
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/(.+\+)?json\s*(;|$)/i.test(type)) {
    throw new ApiError(415, 'unsupported_media_type', 'The body must be JSON (application/json).');
  }
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new ApiError(400, 'invalid_json', 'The body is not valid JSON.');
  }
  return parseWith(schema, value);
}

export function parseWith<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw validationError(result.error);
}

export function validationError(error: z.ZodError): ApiError {
  const errors = error.issues.slice(0, 20).map((issue) => ({
    field: issue.path.length ? issue.path.join('.') : '(body)',
    message: issue.message,
  }));
  const first = errors[0]!;
  return new ApiError(400, 'validation_failed', `${first.field}: ${first.message}`, { errors });
}
