import { decide, type RateLimitDecision, type RateLimitPolicy } from './policy.js';

/** A count of recent failures, e.g. sign-in attempts for one account. */
export interface FailureRecord {
  count: number;
  lastAt: number;
}

/**
 * Counters that rate limits and sign-in throttling need. Every method is one atomic step, so two
 * instances sharing a store (Redis) never both spend the last unit of a budget.
 */
export interface LimitStore {
  readonly kind: 'memory' | 'redis';
  hit(key: string, policy: RateLimitPolicy, now: number): Promise<RateLimitDecision>;
  readFailures(key: string): Promise<FailureRecord | undefined>;
  addFailure(key: string, now: number, ttlSeconds: number): Promise<FailureRecord>;
  clearFailures(key: string): Promise<void>;
  /** `local`: this process only; `ok`: shared and reachable; `degraded`: shared but unreachable. */
  health(): Promise<'local' | 'ok' | 'degraded'>;
  close(): Promise<void>;
}

interface Window {
  count: number;
  endsAt: number;
}

/** One process's counters. Correct for a single instance; shared deployments use Redis. */
export class MemoryLimitStore implements LimitStore {
  readonly kind = 'memory' as const;
  private windows = new Map<string, Window>();
  private failures = new Map<string, FailureRecord & { expiresAt: number }>();
  private sweeper: NodeJS.Timeout;

  constructor() {
    this.sweeper = setInterval(() => this.sweep(Date.now()), 30_000);
    this.sweeper.unref();
  }

  async hit(key: string, policy: RateLimitPolicy, now: number): Promise<RateLimitDecision> {
    const windowMs = policy.windowSeconds * 1000;
    let window = this.windows.get(key);
    if (!window || window.endsAt <= now) {
      window = { count: 0, endsAt: (Math.floor(now / windowMs) + 1) * windowMs };
      this.windows.set(key, window);
    }
    window.count += 1;
    return decide(policy, window.count, window.endsAt - now);
  }

  async readFailures(key: string): Promise<FailureRecord | undefined> {
    const record = this.failures.get(key);
    if (!record || record.expiresAt <= Date.now()) return undefined;
    return { count: record.count, lastAt: record.lastAt };
  }

  async addFailure(key: string, now: number, ttlSeconds: number): Promise<FailureRecord> {
    const previous = await this.readFailures(key);
    const record = { count: (previous?.count ?? 0) + 1, lastAt: now };
    this.failures.set(key, { ...record, expiresAt: now + ttlSeconds * 1000 });
    return record;
  }

  async clearFailures(key: string): Promise<void> {
    this.failures.delete(key);
  }

  async health(): Promise<'local'> {
    return 'local';
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper);
  }

  private sweep(now: number): void {
    for (const [key, w] of this.windows) if (w.endsAt <= now) this.windows.delete(key);
    for (const [key, f] of this.failures) if (f.expiresAt <= now) this.failures.delete(key);
  }
}
