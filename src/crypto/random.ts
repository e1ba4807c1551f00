import { randomBytes } from 'node:crypto';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
// Lower-case letters and digits without i, l, o, u: ids stay readable and unambiguous aloud.
const ID_ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

/**
 * `length` characters drawn uniformly from `alphabet` (rejection sampling, no modulo bias).
 * `source` supplies random bytes: fresh from the system for secrets, the pool for ids.
 */
function randomString(
  length: number,
  alphabet: string,
  source: (size: number) => Uint8Array = randomBytes,
): string {
  const limit = 256 - (256 % alphabet.length);
  let out = '';
  while (out.length < length) {
    for (const byte of source(length * 2)) {
      if (byte >= limit) continue;
      out += alphabet[byte % alphabet.length];
      if (out.length === length) break;
    }
  }
  return out;
}

/** Secrets (tokens, sessions, passwords): bytes straight from the system, never pooled. */
export function randomBase62(length: number): string {
  return randomString(length, BASE62);
}

/** Ids: public names, not secrets, made on every request; their bytes come from the pool. */
export function randomIdBody(length: number): string {
  return randomString(length, ID_ALPHABET, pooledBytes);
}

const POOL_SIZE = 4096;
let pool = Buffer.alloc(0);
let poolOffset = 0;

/**
 * Random bytes cut from a buffer that one `randomBytes` call refills, as Node's `randomUUID`
 * does: a system call per id was 9 % of a token check's CPU (measured). Each byte is handed out
 * once. Secrets do not come from here, so no future secret waits in this buffer.
 */
function pooledBytes(size: number): Uint8Array {
  if (poolOffset + size > pool.length) {
    pool = randomBytes(Math.max(POOL_SIZE, size));
    poolOffset = 0;
  }
  const bytes = pool.subarray(poolOffset, poolOffset + size);
  poolOffset += size;
  return bytes;
}

export function encodeBase62(value: number, width: number): string {
  let n = value;
  let out = '';
  while (n > 0) {
    out = BASE62[n % 62] + out;
    n = Math.floor(n / 62);
  }
  return out.padStart(width, '0');
}

export const BASE62_PATTERN = '[0-9A-Za-z]';
