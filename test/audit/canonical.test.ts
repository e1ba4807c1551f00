import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, chainHash, chainRecord, GENESIS_HASH } from '../../src/audit/canonical.js';
import {
  canonicalEntry,
  toAuditEntry,
  toAuditRow,
  type AuditEntry,
} from '../../src/audit/entry.js';
import type { AuditEntryRow } from '../../src/db/schema.js';

const text = fc.string({ unit: 'binary', maxLength: 40 });
const maybe = fc.option(text, { nil: null });
const entries: fc.Arbitrary<AuditEntry> = fc.record({
  id: text,
  orgId: text,
  seq: fc.nat(),
  at: fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  actorType: fc.constantFrom('user', 'token', 'cli', 'system', 'anonymous'),
  actorId: maybe,
  action: text,
  targetType: maybe,
  targetId: maybe,
  ip: maybe,
  userAgent: maybe,
  outcome: fc.constantFrom('success', 'failure', 'denied'),
  details: fc.dictionary(text, fc.jsonValue()) as fc.Arbitrary<Record<string, unknown>>,
});

describe('the canonical encoding', () => {
  it('sorts keys at every depth and drops white space', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { f: null, e: 'x' }], c: true } })).toBe(
      '{"a":{"c":true,"d":[3,{"e":"x","f":null}]},"b":1}',
    );
  });

  it('writes an entry exactly as the generic encoding of the entry with v: 1', () => {
    fc.assert(
      fc.property(entries, (entry) => {
        expect(canonicalEntry(entry)).toBe(canonicalJson({ v: 1, ...entry }));
      }),
    );
  });

  it('survives the round trip through a stored row unchanged', () => {
    fc.assert(
      fc.property(entries, (entry) => {
        const row = toAuditRow(entry, GENESIS_HASH, '');
        expect(canonicalEntry(toAuditEntry(row))).toBe(canonicalEntry(entry));
      }),
    );
  });

  it('hashes the record of an entry with its newline, as sha256sum of an export line does', () => {
    const record = chainRecord(GENESIS_HASH, '{"a":1}');
    expect(record).toBe(`{"entry":{"a":1},"prev":"${GENESIS_HASH}"}`);
    expect(record).toBe(canonicalJson({ prev: GENESIS_HASH, entry: { a: 1 } }));
    const expected = createHash('sha256').update(`${record}\n`).digest('hex');
    expect(chainHash(GENESIS_HASH, '{"a":1}')).toBe(expected);
  });

  it('reads a row edited into nonsense without throwing', () => {
    const row = { at: Number.MAX_VALUE, details: '{not json' } as unknown as AuditEntryRow;
    const entry = toAuditEntry(row);
    expect(entry.details).toEqual({ undecodable: '{not json' });
    expect(entry.at).toBe(String(Number.MAX_VALUE));
  });
});
