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
  const keys = Object.keys(record).filter((k) => record[k] !== undefined).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(record[k])}`).join(',')}}`;
}

/** An entry's hash: SHA-256 over its predecessor's hash, a newline, and its canonical content. */
export function chainHash(prevHash: string, canonicalContent: string): string {
  return sha256Hex(`${prevHash}\n${canonicalContent}`);
}
