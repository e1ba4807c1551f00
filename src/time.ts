import { z } from 'zod';

/** An instant in a request: an ISO 8601 date-time with its offset, or a date (read as UTC). */
export const Instant = z
  .union([z.iso.datetime({ offset: true }), z.iso.date()], {
    error: 'must be an ISO 8601 date-time with a time zone (2026-12-04T15:00:00Z) or a date',
  })
  // A date without a time is read as UTC by Date.parse, as ECMAScript specifies.
  .transform((s) => Date.parse(s));

/** A `since`/`until` pair in order: an empty range is a mistake worth naming, not an empty page. */
export const sinceBeforeUntil: [
  (q: { since?: number; until?: number }) => boolean,
  { message: string; path: string[] },
] = [
  (q) => q.since === undefined || q.until === undefined || q.since < q.until,
  { message: 'must be later than since', path: ['until'] },
];

const DAY_MS = 86_400_000;
const TWO_DIGITS = Array.from({ length: 100 }, (_, n) => String(n).padStart(2, '0'));
const THREE_DIGITS = Array.from({ length: 1000 }, (_, n) => String(n).padStart(3, '0'));

/** Date parts (`2026-12-04T`) by day number; a page's events fall on a few days. */
const dayPrefixes = new Map<number, string>();
const MAX_DAYS_KEPT = 1024;

/**
 * `new Date(ms).toISOString()`, written faster: every API answer carries instants (a query page
 * one per event, `/verify` one per check), and `Date#toISOString` was a twentieth of a query's
 * CPU time. The date part comes from `Date` once per day; the time of day is plain arithmetic.
 * An invalid instant throws, as `toISOString` does.
 */
export function iso(ms: number): string {
  const day = Math.floor(ms / DAY_MS);
  let prefix = dayPrefixes.get(day);
  if (prefix === undefined) {
    const text = new Date(day * DAY_MS).toISOString();
    prefix = text.slice(0, text.indexOf('T') + 1);
    if (dayPrefixes.size >= MAX_DAYS_KEPT) dayPrefixes.clear();
    dayPrefixes.set(day, prefix);
  }
  const inDay = ms - day * DAY_MS;
  const seconds = Math.floor(inDay / 1000);
  return (
    prefix +
    TWO_DIGITS[Math.floor(seconds / 3600)] +
    ':' +
    TWO_DIGITS[Math.floor(seconds / 60) % 60] +
    ':' +
    TWO_DIGITS[seconds % 60] +
    '.' +
    THREE_DIGITS[inDay % 1000] +
    'Z'
  );
}

/** A wait in words, for messages: `1 second`, `30 seconds`. */
export function secondsInWords(seconds: number): string {
  return seconds === 1 ? '1 second' : `${seconds} seconds`;
}
