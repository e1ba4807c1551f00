import type { VerifyReport } from './verify.js';

/**
 * Runs chain verifications one at a time per organization. Each walk is a few milliseconds of
 * work a page on the event loop; thirty at once (each within the management budget) held every
 * other request, the token check included, for most of a second. One at a time, a request waits
 * at most a page. One lane per organization, not one for the process: with a single lane, one
 * organization asking for hundreds of walks kept another's walk of three entries waiting for a
 * minute. Walks of different organizations take turns page by page.
 *
 * A request that arrives while an identical walk (same organization, same expected head) is
 * still waiting to start joins it: that walk starts after the request arrived, so its answer is
 * as fresh as a walk of the request's own. A walk already running is never joined: it started
 * before the request, and could miss an edit made in between.
 */
export class VerifyQueue {
  private lanes = new Map<string, Promise<unknown>>();
  /** By lane, then expected head: the walks not yet started, which a request may join. */
  private waiting = new Map<string, Map<string, Promise<VerifyReport>>>();

  /**
   * @param maxWaiting walks that may wait behind a running one in a lane. Past it, `run` answers
   *   undefined: a walk outlives its client, so an unbounded lane let one organization queue
   *   more minutes of walking than a minute has, and keep a share of the process busy for good.
   */
  constructor(private readonly maxWaiting = 2) {}

  run(
    lane: string,
    key: string,
    walk: () => Promise<VerifyReport>,
  ): Promise<VerifyReport> | undefined {
    const waiting = this.waiting.get(lane) ?? new Map<string, Promise<VerifyReport>>();
    const queued = waiting.get(key);
    if (queued) return queued;
    const behind = this.lanes.get(lane);
    let next: Promise<VerifyReport>;
    if (!behind) {
      // An idle lane: the walk starts now, so it is running, not waiting, and none may join it.
      next = walk();
    } else {
      if (waiting.size >= this.maxWaiting) return undefined;
      next = behind.then(() => {
        waiting.delete(key);
        if (waiting.size === 0 && this.waiting.get(lane) === waiting) this.waiting.delete(lane);
        return walk();
      });
      waiting.set(key, next);
      this.waiting.set(lane, waiting);
    }
    // A failed walk answers its own callers; the lane goes on, and is forgotten once idle.
    const tail = next.then(
      () => undefined,
      () => undefined,
    );
    this.lanes.set(lane, tail);
    void tail.then(() => {
      if (this.lanes.get(lane) === tail) this.lanes.delete(lane);
    });
    return next;
  }

  /** Lanes with a walk running or waiting: for tests, and to see that idle lanes go. */
  get busyLanes(): number {
    return this.lanes.size;
  }
}
