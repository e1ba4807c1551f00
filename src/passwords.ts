import { hash, verify } from '@node-rs/argon2';
import { randomBase62 } from './crypto/random.js';

// The library's const enum cannot be imported under isolatedModules; 2 is its Argon2id.
const ARGON2ID = 2;
// OWASP's argon2id recommendation: 19 MiB, two passes, one lane.
const OPTIONS = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export const PASSWORD_MIN_LENGTH = 12;
/** Checked before hashing, so a megabyte of password costs nothing but a 400. */
export const PASSWORD_MAX_LENGTH = 256;

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

export async function verifyPassword(storedHash: string, password: string): Promise<boolean> {
  try {
    return await verify(storedHash, password);
  } catch {
    return false;
  }
}

let decoy: Promise<string> | undefined;

/**
 * Spends the same work as a real check when there is no account or no password, so that a
 * sign-in for an unknown email takes as long as one with a wrong password.
 */
export async function burnPasswordCheck(password: string): Promise<false> {
  decoy ??= hashPassword(randomBase62(24));
  await verifyPassword(await decoy, password);
  return false;
}

export function generatePassword(): string {
  return randomBase62(24);
}
