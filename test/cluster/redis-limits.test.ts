import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisLimitStore } from '../../src/limits/redis-store.js';
import { createLogger } from '../../src/logger.js';
import { startRedis, type TestRedis } from '../support/redis.js';

let redis: TestRedis;
const logger = createLogger('silent');
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(() => redis.stop());

async function connected(url: string): Promise<RedisLimitStore> {
  const store = new RedisLimitStore(url, logger);
  for (let i = 0; i < 50 && !store.connected; i++) await new Promise((r) => setTimeout(r, 50));
  expect(store.connected).toBe(true);
  return store;
}

describe('rate-limit counters in Redis', () => {
  it('share one budget between two instances', async () => {
    const a = await connected(redis.url);
    const b = await connected(redis.url);
    const policy = { limit: 5, windowSeconds: 60 };
    const key = `budget-${Date.now()}`;
    const allowed = [];
    for (let i = 0; i < 8; i++) {
      allowed.push((await (i % 2 ? b : a).hit(key, policy, Date.now())).allowed);
    }
    expect(allowed).toEqual([true, true, true, true, true, false, false, false]);
    const last = await a.hit(key, policy, Date.now());
    expect(last).toMatchObject({ allowed: false, remaining: 0, limit: 5 });
    expect(last.resetSeconds).toBeGreaterThanOrEqual(59);
    expect(last.resetSeconds).toBeLessThanOrEqual(60);
    await Promise.all([a.close(), b.close()]);
  });

  it('never lets concurrent hits overspend the budget', async () => {
    const stores = await Promise.all([connected(redis.url), connected(redis.url)]);
    const policy = { limit: 50, windowSeconds: 60 };
    const key = `race-${Date.now()}`;
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) => stores[i % 2]!.hit(key, policy, Date.now())),
    );
    expect(results.filter((r) => r.allowed)).toHaveLength(50);
    await Promise.all(stores.map((s) => s.close()));
  });

  it('share sign-in failure counts, and clear them', async () => {
    const a = await connected(redis.url);
    const b = await connected(redis.url);
    const key = `login:account:${Date.now()}`;
    await a.addFailure(key, 1000, 60);
    expect(await b.addFailure(key, 2000, 60)).toEqual({ count: 2, lastAt: 2000 });
    expect(await a.readFailures(key)).toEqual({ count: 2, lastAt: 2000 });
    await b.clearFailures(key);
    expect(await a.readFailures(key)).toBeUndefined();
    await Promise.all([a.close(), b.close()]);
  });

  it('fall back to local counters while Redis is down, and recover when it returns', async () => {
    const store = await connected(redis.url);
    expect(await store.health()).toBe('ok');
    await redis.kill();
    const policy = { limit: 2, windowSeconds: 60 };
    const during = [];
    for (let i = 0; i < 3; i++)
      during.push((await store.hit('outage', policy, Date.now())).allowed);
    expect(during).toEqual([true, true, false]);
    expect(await store.health()).toBe('degraded');
    await redis.restart();
    for (let i = 0; i < 60 && !store.connected; i++) await new Promise((r) => setTimeout(r, 100));
    expect(await store.health()).toBe('ok');
    await store.close();
  });
});
