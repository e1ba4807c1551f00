import { z } from 'zod';
import { invalidCursor } from '../../http/problem.js';

export const MAX_PAGE = 200;
export const DEFAULT_PAGE = 50;

/** `limit` and `cursor` of a list endpoint, read from the query string. */
export const PageQuery = z.object({
  limit: z
    .string()
    .regex(/^\d{1,4}$/, 'must be a whole number from 1 to 200')
    .transform(Number)
    .pipe(z.number().min(1, 'must be at least 1').max(MAX_PAGE, 'must be at most 200'))
    .optional(),
  cursor: z.string().min(1).max(500).optional(),
});

/**
 * Cursors are opaque to clients: base64url of the position of the last item served. A client
 * can only hand back what it was given; anything else is a 400 `invalid_cursor` naming `cursor`.
 */
export function encodeCursor(position: unknown[]): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

export function decodeCursor<T>(cursor: string, schema: z.ZodType<T>): T {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    value = undefined;
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw invalidCursor();
  }
  return parsed.data;
}

/** One page out of `limit + 1` rows: the extra row only says that another page exists. */
export function page<Row, Item>(
  rows: Row[],
  limit: number,
  view: (row: Row) => Item,
  position: (row: Row) => unknown[],
): { data: Item[]; nextCursor: string | null } {
  const more = rows.length > limit;
  const shown = more ? rows.slice(0, limit) : rows;
  const last = shown[shown.length - 1];
  return { data: shown.map(view), nextCursor: more && last ? encodeCursor(position(last)) : null };
}
