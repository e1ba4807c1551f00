import { Redis } from 'ioredis';
import type { Logger } from '../logger.js';
import { decide, type RateLimitDecision, type RateLimitPolicy } from './policy.js';
import { MemoryLimitStore, type FailureRecord, type LimitStore } from './store.js';

// One script per decision: the count and its expiry change together, so instances sharing Redis
// never both spend the last unit of a budget, and a window can never lose its expiry.
const HIT = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return {count, redis.call('PTTL', KEYS[1])}`;

const FAIL = `
local count = redis.call('HINCRBY', KEYS[1], 'count', 1)
redis.call('HSET', KEYS[1], 'lastAt', ARGV[1])
redis.call('EXPIRE', KEYS[1], ARGV[2])
return count`;

/**
 * Counters in Redis, shared by every instance. When Redis cannot be reached, each decision falls
 * back to this instance's own counters (rate limits stay on, just per instance) and `health()`
 * says so; nothing about authentication depends on Redis, so nothing fails open.
 */
export class RedisLimitStore implements LimitStore {
  readonly kind = 'redis' as const;
  private local = new MemoryLimitStore();
  private redis: Redis;
  private lastFailureLogged = 0;

  constructor(
    url: string,
    private logger: Logger,
    private prefix = 'abs:',
  ) {
    this.redis = new Redis(url, {
      lazyConnect: false,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: 500,
      connectTimeout: 2000,
      retryStrategy: () => 1000,
    });
    this.redis.on('error', (error: Error) => this.noteFailure(error));
    this.redis.on('ready', () => this.logger.info('redis connected'));
  }

  get connected(): boolean {
    return this.redis.status === 'ready';
  }

  async health(): Promise<'ok' | 'degraded'> {
    if (!this.connected) return 'degraded';
    try {
      await this.redis.ping();
      return 'ok';
    } catch {
      return 'degraded';
    }
  }

  async hit(key: string, policy: RateLimitPolicy, now: number): Promise<RateLimitDecision> {
    return this.orLocal(
      async () => {
        const windowMs = policy.windowSeconds * 1000;
        const [count, ttl] = (await this.redis.eval(
          HIT,
          1,
          this.prefix + key,
          windowMs,
        )) as number[];
        return decide(policy, count!, ttl! > 0 ? ttl! : windowMs);
      },
      () => this.local.hit(key, policy, now),
    );
  }

  async readFailures(key: string): Promise<FailureRecord | undefined> {
    return this.orLocal(
      async () => {
        const [count, lastAt] = await this.redis.hmget(this.prefix + key, 'count', 'lastAt');
        return count ? { count: Number(count), lastAt: Number(lastAt) } : undefined;
      },
      () => this.local.readFailures(key),
    );
  }

  async addFailure(key: string, now: number, ttlSeconds: number): Promise<FailureRecord> {
    return this.orLocal(
      async () => {
        const count = (await this.redis.eval(
          FAIL,
          1,
          this.prefix + key,
          now,
          ttlSeconds,
        )) as number;
        return { count, lastAt: now };
      },
      () => this.local.addFailure(key, now, ttlSeconds),
    );
  }

  async clearFailures(key: string): Promise<void> {
    await this.orLocal(
      async () => void (await this.redis.del(this.prefix + key)),
      () => this.local.clearFailures(key),
    );
  }

  async close(): Promise<void> {
    await this.local.close();
    this.redis.disconnect();
  }

  private async orLocal<T>(shared: () => Promise<T>, local: () => Promise<T>): Promise<T> {
    if (!this.connected) return local();
    try {
      return await shared();
    } catch (error) {
      this.noteFailure(error);
      return local();
    }
  }

  /** Logs an outage at most every 10 s, however many requests run into it. */
  private noteFailure(error: unknown): void {
    const now = Date.now();
    if (now - this.lastFailureLogged < 10_000) return;
    this.lastFailureLogged = now;
    this.logger.warn({ err: error }, 'redis unavailable, using local counters');
  }
}
