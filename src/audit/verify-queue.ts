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
  private waiting = new Map<string, Promise<VerifyReport>>();
  private waitingPerLane = new Map<string, number>();

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
    const id = `${lane}\n${key}`;
    const queued = this.waiting.get(id);
    if (queued) return queued;
    // In an idle lane the walk starts at once: only walks behind another one count as waiting.
    const behind = this.lanes.get(lane);
    const waitingHere = this.waitingPerLane.get(lane) ?? 0;
    if (behind && waitingHere >= this.maxWaiting) return undefined;
    if (behind) this.waitingPerLane.set(lane, waitingHere + 1);
    const next = (behind ?? Promise.resolve()).then(() => {
      this.waiting.delete(id);
      if (behind) {
        const left = (this.waitingPerLane.get(lane) ?? 1) - 1;
        if (left > 0) this.waitingPerLane.set(lane, left);
        else this.waitingPerLane.delete(lane);
      }
      return walk();
    });
    this.waiting.set(id, next);
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
