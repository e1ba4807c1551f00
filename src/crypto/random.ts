import { randomBytes } from 'node:crypto';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
// Lower-case letters and digits without i, l, o, u: ids stay readable and unambiguous aloud.
const ID_ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

/** `length` characters drawn uniformly from `alphabet` (rejection sampling, no modulo bias). */
export function randomString(length: number, alphabet: string): string {
  const limit = 256 - (256 % alphabet.length);
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte >= limit) continue;
      out += alphabet[byte % alphabet.length];
      if (out.length === length) break;
    }
  }
  return out;
}

export function randomBase62(length: number): string {
  return randomString(length, BASE62);
}

export function randomIdBody(length: number): string {
  return randomString(length, ID_ALPHABET);
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
