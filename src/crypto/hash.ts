import { hash, timingSafeEqual } from 'node:crypto';

/** SHA-256 hex digest. Secrets here carry 190 random bits, so a fast hash is enough. */
export function sha256Hex(input: string): string {
  return hash('sha256', input, 'hex');
}

/** Compares two strings in time that depends only on their lengths. */
export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  if (left.length !== right.length) return false;
  return timingSafeEqual(left, right);
}
