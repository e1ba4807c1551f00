import type { VerifyReport } from './verify.js';

/**
 * Runs chain verifications one at a time. Each walk is a few milliseconds of work a page on the
 * event loop; thirty at once (each within the management budget) held every other request, the
 * token check included, for most of a second. One at a time, a request waits at most a page.
 *
 * A request that arrives while an identical walk (same organization, same expected head) is
 * still waiting to start joins it: that walk starts after the request arrived, so its answer is
 * as fresh as a walk of the request's own. A walk already running is never joined: it started
 * before the request, and could miss an edit made in between.
 */
export class VerifyQueue {
  private tail: Promise<unknown> = Promise.resolve();
  private waiting = new Map<string, Promise<VerifyReport>>();

  run(key: string, walk: () => Promise<VerifyReport>): Promise<VerifyReport> {
    const queued = this.waiting.get(key);
    if (queued) return queued;
    const next = this.tail.then(() => {
      this.waiting.delete(key);
      return walk();
    });
    this.waiting.set(key, next);
    // A failed walk answers its own callers; the queue goes on.
    this.tail = next.catch(() => undefined);
    return next;
  }
}
