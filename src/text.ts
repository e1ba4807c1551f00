import { z } from 'zod';

/**
 * What a name (of a token, a user, an event type or an agent) may not hold, and why. Names are
 * shown in the dashboard, in the CLI's tab-separated lists and in logs. So besides control
 * characters (PostgreSQL cannot store NUL; a tab or a newline would break a list line), they may
 * not hold the characters that reorder text: U+202E in a name shows what follows it backwards
 * (the Trojan Source trick).
 */
const CONTROL = /\p{Cc}/u;
const BIDI = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/u;
// Formatting characters that show nothing (U+200B, U+FEFF, U+2060, …) and the line and paragraph
// separators: `prod\u200Badmin` would pass for `prodadmin`. Kept: the zero-width joiner and
// non-joiner, which emoji sequences and several scripts need, and the tag characters of
// subdivision flags.
const INVISIBLE = /(?![\u200C\u200D\u{E0020}-\u{E007F}])[\p{Cf}\u2028\u2029]/u;
const LONE_SURROGATE = /\p{Cs}/u;

/** The rule `text` breaks as a name, in the words a refusal uses; undefined when it breaks none. */
export function nameProblem(text: string): string | undefined {
  if (CONTROL.test(text)) return 'must not contain control characters';
  if (BIDI.test(text)) return 'must not contain characters that change the direction of text';
  if (INVISIBLE.test(text)) return 'must not contain invisible characters (such as U+200B)';
  if (LONE_SURROGATE.test(text)) {
    return 'must not contain a lone surrogate (\\uD800 to \\uDFFF unpaired)';
  }
  return undefined;
}

/** The same rules as a zod check, for `.superRefine` on a name's schema. */
export function refuseBadName(value: string, ctx: z.RefinementCtx): void {
  const problem = nameProblem(value);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
}

const UNSHOWABLE = new RegExp(
  `${CONTROL.source}|${BIDI.source}|${INVISIBLE.source}|${LONE_SURROGATE.source}`,
  'gu',
);

/**
 * A name from elsewhere (a GitHub profile) made to follow the same rules: it cannot be refused,
 * so what they forbid is dropped, and it is cut to `max` characters; null when nothing is left.
 */
export function cleanName(text: string | null | undefined, max: number): string | null {
  const cleaned = (text ?? '').replace(UNSHOWABLE, '').trim().slice(0, max).trim();
  return cleaned === '' ? null : cleaned;
}

/** A name people type (a token's, a user's): trimmed, 1 to `max` characters, `nameProblem`. */
export const displayName = (max: number) =>
  z.string().trim().min(1).max(max).superRefine(refuseBadName);

/** An email address as /login reads it: trimmed, 3 to 320 characters. */
export const EmailAddress = z
  .string()
  .trim()
  .min(3)
  .max(320)
  .email({ error: 'must be an email address' });
