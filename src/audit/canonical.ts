import { sha256Hex } from '../crypto/hash.js';

/** The hash that the first entry of every chain points back to. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * JSON with object keys sorted at every depth and no white space: one text per value, so an
 * auditor can recompute each hash with nothing but a SHA-256 tool.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record)
    .filter((k) => record[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(record[k])}`).join(',')}}`;
}

/**
 * The exact text an entry's hash covers, and the line the export writes for it: its canonical
 * content followed by its predecessor's hash, `{"entry":{…},"prev":"<64 hex>"}` (the same as
 * `canonicalJson({entry, prev})`). The predecessor comes last so that an auditor can check the
 * link with a plain suffix match, without parsing JSON.
 */
export function chainRecord(prevHash: string, canonicalContent: string): string {
  return `{"entry":${canonicalContent},"prev":"${prevHash}"}`;
}

/**
 * An entry's hash: SHA-256 of its chain record plus a newline, that is of its export line as
 * stored in the file, so `sed -n 5p audit.jsonl | sha256sum` prints the hash of the 5th entry.
 */
export function chainHash(prevHash: string, canonicalContent: string): string {
  return sha256Hex(`${chainRecord(prevHash, canonicalContent)}\n`);
}
