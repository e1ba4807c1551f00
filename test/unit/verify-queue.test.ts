import { describe, expect, it } from 'vitest';
import { VerifyQueue } from '../../src/audit/verify-queue.js';
import type { VerifyReport } from '../../src/audit/verify.js';

/** A walk the test finishes by hand, recording when it started. */
function controlledWalk(log: string[], name: string) {
  let finish!: () => void;
  let fail!: (error: Error) => void;
  const walk = () => {
    log.push(`start ${name}`);
    return new Promise<VerifyReport>((resolve, reject) => {
      finish = () => {
        log.push(`end ${name}`);
        resolve({ orgId: name } as VerifyReport);
      };
      fail = reject;
    });
  };
  return { walk, finish: () => finish(), fail: (e: Error) => fail(e) };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('VerifyQueue', () => {
  it("runs an organization's walks one at a time, in the order asked", async () => {
    const queue = new VerifyQueue();
    const log: string[] = [];
    const [a, b, c] = ['a', 'b', 'c'].map((n) => controlledWalk(log, n));
    const answers = [
      queue.run('org', 'a', a!.walk),
      queue.run('org', 'b', b!.walk),
      queue.run('org', 'c', c!.walk),
    ];
    await turn();
    expect(log).toEqual(['start a']);
    a!.finish();
    await turn();
    expect(log).toEqual(['start a', 'end a', 'start b']);
    b!.finish();
    await turn();
    c!.finish();
    expect((await Promise.all(answers)).map((r) => r.orgId)).toEqual(['a', 'b', 'c']);
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
  });

  it('lets a request join a walk still waiting, never one already running', async () => {
    const queue = new VerifyQueue();
    const log: string[] = [];
    const first = controlledWalk(log, 'first');
    const second = controlledWalk(log, 'second');
    const third = controlledWalk(log, 'third');
    const running = queue.run('org', '', first.walk);
    await turn();
    // 'org' is running: these two wait, and the second joins the first of them.
    const waitingA = queue.run('org', '', second.walk);
    const waitingB = queue.run('org', '', third.walk);
    expect(waitingB).toBe(waitingA);
    first.finish();
    await turn();
    second.finish();
    expect((await running).orgId).toBe('first');
    expect((await waitingA).orgId).toBe('second');
    expect((await waitingB).orgId).toBe('second');
    expect(log).toEqual(['start first', 'end first', 'start second', 'end second']);
  });

  it('answers a failed walk to its callers and goes on with the next', async () => {
    const queue = new VerifyQueue();
    const log: string[] = [];
    const broken = controlledWalk(log, 'broken');
    const next = controlledWalk(log, 'next');
    const failing = queue.run('org', 'x', broken.walk);
    const after = queue.run('org', 'y', next.walk);
    await turn();
    broken.fail(new Error('database gone'));
    await expect(failing).rejects.toThrow('database gone');
    await turn();
    next.finish();
    expect((await after).orgId).toBe('next');
  });

  it("never makes one organization's walk wait for another's, and forgets idle lanes", async () => {
    const queue = new VerifyQueue();
    const log: string[] = [];
    const busy = Array.from({ length: 3 }, (_, i) => controlledWalk(log, `a${i}`));
    const small = controlledWalk(log, 'b');
    const answers = busy.map((w, i) => queue.run('org_a', `head${i}`, w.walk));
    const other = queue.run('org_b', '', small.walk);
    await turn();
    expect(log).toEqual(['start a0', 'start b']);
    small.finish();
    expect((await other).orgId).toBe('b');
    for (const w of busy) {
      await turn();
      w.finish();
    }
    await Promise.all(answers);
    await turn();
    expect(queue.busyLanes).toBe(0);
  });
});
