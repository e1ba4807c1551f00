import { describe, expect, it } from 'vitest';
import { ACCOUNT_POLICY, delaySeconds, waitSeconds } from '../../src/auth/throttle.js';
import { decide, parseRateLimit } from '../../src/limits/policy.js';
import { effectiveScopes, formatScope, parseScope, scopesOfRole } from '../../src/roles.js';

describe('roles and scopes', () => {
  it('match the table of the customer documentation exactly', () => {
    expect(formatScope(scopesOfRole('admin'))).toBe('runtime:read runtime:write admin:manage');
    expect(formatScope(scopesOfRole('operator'))).toBe('runtime:read runtime:write');
    expect(formatScope(scopesOfRole('viewer'))).toBe('runtime:read');
  });

  it('narrow a token to what its owner holds today', () => {
    const scopes = parseScope('runtime:write runtime:read')!;
    expect(effectiveScopes(scopes, 'viewer')).toEqual(['runtime:read']);
    expect(parseScope('runtime:read nonsense')).toBeUndefined();
    expect(parseScope('')).toBeUndefined();
  });
});

describe('sign-in back-off', () => {
  it('is free for five failures, then doubles up to a one-minute cap', () => {
    const delays = [0, 4, 5, 6, 7, 10, 11, 50].map((n) => delaySeconds(ACCOUNT_POLICY, n));
    expect(delays).toEqual([0, 0, 1, 2, 4, 32, 60, 60]);
  });

  it('counts the wait from the latest failure', () => {
    const now = 1_000_000;
    expect(waitSeconds(ACCOUNT_POLICY, { count: 7, lastAt: now - 1500 }, now)).toBe(3);
    expect(waitSeconds(ACCOUNT_POLICY, { count: 7, lastAt: now - 4000 }, now)).toBe(0);
    expect(waitSeconds(ACCOUNT_POLICY, undefined, now)).toBe(0);
  });
});

describe('rate-limit policy', () => {
  it('parses budgets like 600/60s, 10/1m and 1000/1h', () => {
    expect(parseRateLimit('600/60s')).toEqual({ limit: 600, windowSeconds: 60 });
    expect(parseRateLimit('10/1m')).toEqual({ limit: 10, windowSeconds: 60 });
    expect(parseRateLimit('1000/1h')).toEqual({ limit: 1000, windowSeconds: 3600 });
    for (const bad of ['', '0/60s', '600', '600/0s', '-1/60s', 'abc/60s', '5/2d']) {
      expect(parseRateLimit(bad), bad).toBeUndefined();
    }
  });

  it('decides from the count after the hit, with whole seconds to reset', () => {
    const policy = { limit: 2, windowSeconds: 60 };
    expect(decide(policy, 2, 30_500)).toMatchObject({
      allowed: true,
      remaining: 0,
      resetSeconds: 31,
    });
    expect(decide(policy, 3, 100)).toMatchObject({ allowed: false, remaining: 0, resetSeconds: 1 });
  });
});
