import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  ACCOUNT_POLICY,
  ADDRESS_POLICY,
  delaySeconds,
  waitSeconds,
} from '../../src/auth/throttle.js';
import { adminOrgId, call, type Reply } from '../support/client.js';
import { makeUser } from '../support/fixtures.js';
import { startTestServer, type TestServer } from '../support/server.js';

describe('the sign-in back-off policy', () => {
  it('lets the free failures through, then doubles the wait from 1 s up to the cap', () => {
    const free = ACCOUNT_POLICY.freeFailures;
    const waits = Array.from({ length: free + 10 }, (_, n) => delaySeconds(ACCOUNT_POLICY, n));
    expect(waits.slice(0, free)).toEqual(Array(free).fill(0));
    expect(waits.slice(free)).toEqual([1, 2, 4, 8, 16, 32, 60, 60, 60, 60]);
  });

  it('never waits longer than the cap, however many failures piled up', () => {
    for (const policy of [ACCOUNT_POLICY, ADDRESS_POLICY]) {
      for (const failures of [100, 1_000, 1_000_000, Number.MAX_SAFE_INTEGER]) {
        expect(delaySeconds(policy, failures)).toBe(policy.maxDelaySeconds);
        const record = { count: failures, lastAt: 0 };
        expect(waitSeconds(policy, record, 0)).toBe(policy.maxDelaySeconds);
        expect(waitSeconds(policy, record, policy.maxDelaySeconds * 1000)).toBe(0);
      }
    }
  });

  it('counts the wait from the latest failure, in whole seconds rounded up', () => {
    const record = { count: ACCOUNT_POLICY.freeFailures + 3, lastAt: 10_000 };
    expect(waitSeconds(ACCOUNT_POLICY, record, 10_000)).toBe(8);
    expect(waitSeconds(ACCOUNT_POLICY, record, 10_001)).toBe(8);
    expect(waitSeconds(ACCOUNT_POLICY, record, 17_001)).toBe(1);
    expect(waitSeconds(ACCOUNT_POLICY, record, 18_000)).toBe(0);
    expect(waitSeconds(ACCOUNT_POLICY, undefined, 0)).toBe(0);
  });
});

describe('brute force against POST /login', () => {
  let server: TestServer;
  let clock: number;
  let address = 0;
  beforeAll(async () => {
    // The client address comes from X-Forwarded-For, so each test attacks from its own one.
    server = await startTestServer({ ABS_TRUST_PROXY: '127.0.0.1' });
    server.services.now = () => clock;
  });
  beforeEach(() => {
    clock = Date.now();
    address += 1;
  });
  afterAll(() => server.stop());

  const from = (n: number) => `203.0.113.${n}`;
  const signIn = (email: string, password: string, ip = from(address)): Promise<Reply> =>
    call(server, 'POST', '/login', {
      json: { email, password },
      headers: { 'x-forwarded-for': ip },
    });
  const person = async () => makeUser(server.services, await adminOrgId(server), 'operator');

  function expectThrottled(reply: Reply, seconds: number): void {
    expect(reply.status, reply.text).toBe(429);
    expect(reply.body.code).toBe('too_many_attempts');
    expect(reply.headers.get('retry-after')).toBe(String(seconds));
    expect(reply.body.retryAfter).toBe(seconds);
  }

  /** Fails `times` times, waiting out (on the test clock) any back-off on the way. */
  async function failTimes(email: string, times: number): Promise<void> {
    for (let failed = 0; failed < times;) {
      const reply = await signIn(email, 'wrong password, again');
      if (reply.status === 429) {
        clock += reply.body.retryAfter * 1000;
        continue;
      }
      expect(reply.status, reply.text).toBe(401);
      failed += 1;
    }
  }

  it('makes each further failure wait twice as long, up to the 60 s cap', async () => {
    const { email } = await person();
    await failTimes(email, ACCOUNT_POLICY.freeFailures);
    const waits: number[] = [];
    for (let i = 0; i < 9; i += 1) {
      const throttled = await signIn(email, 'wrong password, again');
      expect(throttled.status).toBe(429);
      waits.push(throttled.body.retryAfter);
      clock += throttled.body.retryAfter * 1000;
      expect((await signIn(email, 'wrong password, again')).status).toBe(401);
    }
    expect(waits).toEqual([1, 2, 4, 8, 16, 32, 60, 60, 60]);
  });

  it('refuses even the right password while the wait runs, without checking it', async () => {
    const { email, password } = await person();
    await failTimes(email, ACCOUNT_POLICY.freeFailures + 1);
    expectThrottled(await signIn(email, password), 2);
    // Attempts during the wait are not failures: they do not lengthen it.
    for (let i = 0; i < 20; i += 1) expectThrottled(await signIn(email, 'guess'), 2);
    clock += 2000;
    expect((await signIn(email, password)).status).toBe(200);
  });

  const CAPPED =
    'lets the real user in from another address once the cap has passed, however long the attack';
  it(CAPPED, async () => {
    const { email, password } = await person();
    await failTimes(email, ACCOUNT_POLICY.freeFailures);
    for (let i = 0; i < 20; i += 1) {
      clock += ACCOUNT_POLICY.maxDelaySeconds * 1000;
      expect((await signIn(email, 'attacker guess')).status).toBe(401);
    }
    const blocked = await signIn(email, password, from(250));
    expectThrottled(blocked, ACCOUNT_POLICY.maxDelaySeconds);
    clock += ACCOUNT_POLICY.maxDelaySeconds * 1000;
    const real = await signIn(email, password, from(250));
    expect(real.status, real.text).toBe(200);
    expect(real.body.user.email).toBe(email);
  });

  it("resets the account's count after a successful sign-in", async () => {
    const { email, password } = await person();
    await failTimes(email, ACCOUNT_POLICY.freeFailures);
    clock += 1000;
    expect((await signIn(email, password)).status).toBe(200);
    // Five fresh failures are free again, and only the sixth attempt waits.
    await failTimes(email, ACCOUNT_POLICY.freeFailures);
    expectThrottled(await signIn(email, password), 1);
  });

  it('throttles one address that sprays many accounts, and not the others', async () => {
    const emails = Array.from({ length: 5 }, (_, i) => `spray-${address}-${i}@example.test`);
    for (let i = 0; i < ADDRESS_POLICY.freeFailures; i += 1) {
      // Four tries per account stay under the account's five free failures.
      expect((await signIn(emails[i % 5]!, 'guess')).status).toBe(401);
    }
    expectThrottled(await signIn('fresh-account@example.test', 'guess'), 1);
    const { email, password } = await person();
    expect((await signIn(email, password, from(address + 100))).status).toBe(200);
  });

  it('caps the address back-off at 300 s', async () => {
    for (let i = 0; i < ADDRESS_POLICY.freeFailures + 12; i += 1) {
      const reply = await signIn(`many-${address}-${i}@example.test`, 'guess');
      if (reply.status === 429) clock += reply.body.retryAfter * 1000;
      if (reply.status === 429)
        expect((await signIn(`again-${i}@example.test`, 'x')).status).toBe(401);
    }
    const reply = await signIn('last@example.test', 'guess');
    expectThrottled(reply, ADDRESS_POLICY.maxDelaySeconds);
  });

  it('throttles an unknown email exactly as a known one, so the 429 reveals nothing', async () => {
    const { email } = await person();
    const unknown = `nobody-${address}@example.test`;
    await failTimes(email, ACCOUNT_POLICY.freeFailures);
    await failTimes(unknown, ACCOUNT_POLICY.freeFailures);
    const known = await signIn(email, 'guess');
    const stranger = await signIn(unknown, 'guess');
    expectThrottled(known, 1);
    expect(stranger.text).toBe(known.text);
  });
});
