import { describe, expect, it } from 'vitest';
import { VerifyQueue } from '../../src/audit/verify-queue.js';
import type { VerifyReport } from '../../src/audit/verify.js';

/** A walk the queue took (not refused as over its bound). */
function taken(answer: Promise<VerifyReport> | undefined): Promise<VerifyReport> {
  expect(answer, 'the queue refused a walk').toBeDefined();
  return answer!;
}

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
      taken(queue.run('org', 'a', a!.walk)),
      taken(queue.run('org', 'b', b!.walk)),
      taken(queue.run('org', 'c', c!.walk)),
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
    const running = taken(queue.run('org', '', first.walk));
    await turn();
    // 'org' is running: these two wait, and the second joins the first of them.
    const waitingA = taken(queue.run('org', '', second.walk));
    const waitingB = taken(queue.run('org', '', third.walk));
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
    const failing = taken(queue.run('org', 'x', broken.walk));
    const after = taken(queue.run('org', 'y', next.walk));
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
    const answers = busy.map((w, i) => taken(queue.run('org_a', `head${i}`, w.walk)));
    const other = taken(queue.run('org_b', '', small.walk));
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

  it('refuses a walk past two waiting in a lane, but lets a request join one of them', async () => {
    const queue = new VerifyQueue();
    const log: string[] = [];
    const walks = Array.from({ length: 4 }, (_, i) => controlledWalk(log, `w${i}`));
    const running = taken(queue.run('org', 'h0', walks[0]!.walk));
    const waiting = [1, 2].map((i) => taken(queue.run('org', `h${i}`, walks[i]!.walk)));
    expect(queue.run('org', 'h3', walks[3]!.walk)).toBeUndefined();
    expect(queue.run('org', 'h1', walks[3]!.walk)).toBe(waiting[0]);
    // Another organization's lane is not full.
    const other = controlledWalk(log, 'other');
    const elsewhere = taken(queue.run('org_b', '', other.walk));
    await turn();
    walks[0]!.finish();
    await running;
    await turn();
    // One walk left the waiting line: there is room for one more.
    const later = taken(queue.run('org', 'h3', walks[3]!.walk));
    for (const i of [1, 2, 3]) {
      await turn();
      walks[i]!.finish();
    }
    other.finish();
    await Promise.all([...waiting, later, elsewhere]);
    expect(log.filter((l) => l.startsWith('start w'))).toEqual([
      'start w0',
      'start w1',
      'start w2',
      'start w3',
    ]);
  });
});
