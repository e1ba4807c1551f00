import { randomInt } from 'node:crypto';

// The id alphabet of `newId` (src/crypto/random.ts), in ascending character order, so that ids
// sort as the numbers they encode.
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
const TIME_CHARS = 9; // 45 bits of milliseconds: until the year 3084
const TAIL_CHARS = 7; // 35 bits
const TAIL_SPAN = 2 ** (5 * TAIL_CHARS);
/** Ids made in the same millisecond are this far apart at most (at least 1). */
const MAX_STEP = 2 ** 16;

let lastMs = -1;
let lastTail = 0;

/**
 * An event id: `evt_`, then the arrival time in milliseconds (9 characters), then 7 characters
 * that are random for the first id of a millisecond and step up by a random amount after it.
 *
 * Why not 16 random characters like every other id: a random key lands on a random page of the
 * unique index, so each event of a batch dirtied its own page of a 1,000,000-row index, and with
 * synchronous=FULL every dirty page is written to the log at commit. Ids that grow with time
 * are appended at the index's end instead (measured on the benchmark's database, inserts
 * alone: 3.6 ms of CPU a batch of 100 against 5.9 ms).
 *
 * Within one process ids only grow (the clock is never allowed to step back), so two ids of the
 * same process never collide. Two processes collide only when they draw the same 35 bits in the
 * same millisecond; the unique index refuses the second and the writer retries with new ids
 * (`src/events/writer.ts`), so a collision costs a retry, never a duplicate.
 * The time an event arrived is part of its id, as it is part of the event anyway; the 35 bits
 * keep ids unguessable across milliseconds, and 16 bits of step keep neighbours apart.
 */
export function newEventId(now: number): string {
  let ms = Math.max(Math.floor(now), lastMs);
  let tail = ms === lastMs ? lastTail + randomInt(1, MAX_STEP + 1) : randomInt(TAIL_SPAN);
  if (tail >= TAIL_SPAN) {
    // Out of room in this millisecond (after about half a million ids): the next one.
    ms += 1;
    tail = randomInt(TAIL_SPAN);
  }
  lastMs = ms;
  lastTail = tail;
  return `evt_${encode(ms, TIME_CHARS)}${encode(tail, TAIL_CHARS)}`;
}

function encode(value: number, width: number): string {
  let rest = value;
  let out = '';
  for (let i = 0; i < width; i++) {
    out = ALPHABET[rest % 32] + out;
    rest = Math.floor(rest / 32);
  }
  return out;
}
