import type { FailureRecord } from '../limits/store.js';

/**
 * Sign-in throttling. A key (one account, or one client address) may fail `freeFailures` times;
 * after that each further attempt waits twice as long as the last, from 1 second up to `maxDelay`.
 * Failures are forgotten `forgetAfter` seconds after the latest one, and a successful sign-in
 * clears the account's count. The cap bounds how long anyone can keep a real user out.
 */
export interface ThrottlePolicy {
  freeFailures: number;
  maxDelaySeconds: number;
  forgetAfterSeconds: number;
}

export const ACCOUNT_POLICY: ThrottlePolicy = {
  freeFailures: 5,
  maxDelaySeconds: 60,
  forgetAfterSeconds: 15 * 60,
};

export const ADDRESS_POLICY: ThrottlePolicy = {
  freeFailures: 20,
  maxDelaySeconds: 300,
  forgetAfterSeconds: 15 * 60,
};

export function delaySeconds(policy: ThrottlePolicy, failures: number): number {
  if (failures < policy.freeFailures) return 0;
  return Math.min(policy.maxDelaySeconds, 2 ** (failures - policy.freeFailures));
}

/** Whole seconds to wait before the next attempt is heard; 0 when it may go ahead now. */
export function waitSeconds(
  policy: ThrottlePolicy,
  record: FailureRecord | undefined,
  now: number,
): number {
  if (!record) return 0;
  const readyAt = record.lastAt + delaySeconds(policy, record.count) * 1000;
  return readyAt > now ? Math.ceil((readyAt - now) / 1000) : 0;
}
