/**
 * Remembers which refusals were recorded lately, so that a client hammering with a revoked token
 * (or a viewer token on an admin route) leaves one audit entry a minute per person and reason,
 * not one per request: the ledger stays a record of events, not a way to flood storage. Keyed
 * by the person, not the credential: keyed by credential, a viewer holding ten thousand tokens
 * of their own wrote ten thousand entries a minute.
 *
 * When full, entries older than the window go; if none has, a new refusal is not recorded (it is
 * still refused and logged). Clearing everything instead let a flood of new keys record again.
 *
 * LIMITATION: the memory is per instance, so N instances may each record one entry a minute for
 * the same person (cost: N times the entries; fix: keep the memo in Redis when configured).
 */
const WINDOW_MS = 60_000;
const MAX_KEYS = 10_000;
const recorded = new Map<string, number>();

/** True when this refusal should be written now; marks it written. */
export function firstRefusalThisMinute(key: string, now: number): boolean {
  const last = recorded.get(key);
  if (last !== undefined && now - last < WINDOW_MS) return false;
  if (last === undefined && recorded.size >= MAX_KEYS) {
    // Oldest first (every write goes to the end), so the sweep stops at the first recent entry:
    // a flood against a full memo costs a step a request, not a walk over ten thousand keys.
    for (const [k, at] of recorded) {
      if (now - at < WINDOW_MS) break;
      recorded.delete(k);
    }
    if (recorded.size >= MAX_KEYS) return false;
  }
  recorded.delete(key);
  recorded.set(key, now);
  return true;
}
