/** A budget of `limit` requests per `windowSeconds`, e.g. `600/60s`. */
export interface RateLimitPolicy {
  limit: number;
  windowSeconds: number;
}

/** What `parseRateLimit` accepts, in the words every refusal of a rate limit uses. */
export const RATE_LIMIT_RULE =
  'a count from 1 to 9999999, a slash, then a window from 1s to 24h in s, m or h, such as 600/60s';

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600 };

export function parseRateLimit(text: string): RateLimitPolicy | undefined {
  const match = /^\s*(\d{1,7})\s*\/\s*(\d{1,6})\s*([smh])\s*$/.exec(text);
  if (!match) return undefined;
  const limit = Number(match[1]);
  const windowSeconds = Number(match[2]) * (UNIT_SECONDS[match[3]!] ?? 1);
  if (limit < 1 || windowSeconds < 1 || windowSeconds > 86_400) return undefined;
  return { limit, windowSeconds };
}

export function formatRateLimit(policy: RateLimitPolicy): string {
  return `${policy.limit}/${policy.windowSeconds}s`;
}

/** What a fixed-window counter decided for one request. */
export interface RateLimitDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the window resets (at least 1). */
  resetSeconds: number;
  windowSeconds: number;
}

/**
 * Pure decision from a window's count (after this request was counted) and the time left in it.
 * Stores apply the count atomically and call this to phrase the answer.
 */
export function decide(
  policy: RateLimitPolicy,
  countAfterHit: number,
  msLeftInWindow: number,
): RateLimitDecision {
  return {
    allowed: countAfterHit <= policy.limit,
    limit: policy.limit,
    remaining: Math.max(0, policy.limit - countAfterHit),
    resetSeconds: Math.max(1, Math.ceil(msLeftInWindow / 1000)),
    windowSeconds: policy.windowSeconds,
  };
}
