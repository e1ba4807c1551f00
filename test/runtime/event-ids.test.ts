import { describe, expect, it } from 'vitest';
import { newEventId } from '../../src/events/ids.js';
import { iso } from '../../src/time.js';
import { isId } from '../../src/ids.js';

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

/** The milliseconds in the first 9 characters after `evt_`. */
function timeOf(id: string): number {
  return [...id.slice(4, 13)].reduce((value, char) => value * 32 + ALPHABET.indexOf(char), 0);
}

describe('event ids', () => {
  // Far ahead of the clock, so that no id made earlier in this file holds the time back.
  const base = Date.UTC(2100, 0, 1);

  it('have the shape of every id and carry their arrival time', () => {
    const id = newEventId(base);
    expect(isId('evt', id)).toBe(true);
    expect(id).toMatch(/^evt_[0-9a-hjkmnp-tv-z]{16}$/);
    expect(timeOf(id)).toBe(base);
  });

  it('only grow within a process, in the same millisecond and when the clock steps back', () => {
    const ids = [
      ...Array.from({ length: 2000 }, () => newEventId(base + 1)),
      newEventId(base + 2),
      newEventId(base - 60_000),
    ];
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
    expect(timeOf(ids[0]!)).toBe(base + 1);
    expect(timeOf(ids.at(-1)!)).toBe(base + 2);
  });

  it('differ in their random part from one millisecond to the next', () => {
    const tails = new Set(
      Array.from({ length: 50 }, (_, i) => newEventId(base + 10 + i).slice(13)),
    );
    expect(tails.size).toBeGreaterThan(45);
  });
});

describe('iso', () => {
  it('writes what Date#toISOString writes', () => {
    const samples = [
      0,
      1,
      999,
      1000,
      59_999,
      3_599_999,
      86_399_999,
      86_400_000,
      -1,
      -86_400_001,
      Date.UTC(2024, 1, 29, 23, 59, 59, 999),
      Date.UTC(2026, 11, 4, 12, 0, 0, 7),
      Date.UTC(9999, 11, 31, 23, 59, 59, 999),
      Date.UTC(12345, 0, 1),
    ];
    for (let i = 0; i < 2000; i++) samples.push(Math.floor(Math.random() * 4e12));
    for (const ms of samples) expect(iso(ms)).toBe(new Date(ms).toISOString());
  });
});
