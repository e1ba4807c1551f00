import { crc32 } from './crypto/crc32.js';
import { encodeBase62, randomBase62 } from './crypto/random.js';
import { sha256Hex } from './crypto/hash.js';

/**
 * Bearer secrets: `abs_pat_` for Personal Access Tokens, `abs_ses_` for sessions. After the
 * prefix come 32 random base62 characters (190 bits) and a 6-character CRC-32 of everything
 * before it, so a mistyped or truncated secret is refused before any database read and a secret
 * scanner can recognise a real one.
 */
export type SecretKind = 'pat' | 'session';

const PREFIX: Record<SecretKind, string> = { pat: 'abs_pat_', session: 'abs_ses_' };
const RANDOM_LENGTH = 32;
const CHECKSUM_LENGTH = 6;
const SHAPE = /^abs_(pat|ses)_([0-9A-Za-z]{32})([0-9A-Za-z]{6})$/;

/** How many characters of a PAT its metadata shows: the prefix and 4 random characters. */
export const DISPLAY_PREFIX_LENGTH = PREFIX.pat.length + 4;

export interface MintedSecret {
  secret: string;
  hash: string;
  displayPrefix: string;
}

export function mintSecret(kind: SecretKind): MintedSecret {
  const body = PREFIX[kind] + randomBase62(RANDOM_LENGTH);
  const secret = body + encodeBase62(crc32(body), CHECKSUM_LENGTH);
  return {
    secret,
    hash: hashSecret(secret),
    displayPrefix: secret.slice(0, DISPLAY_PREFIX_LENGTH),
  };
}

/** The kind of a well-formed secret with a valid checksum, or undefined. No I/O. */
export function parseSecret(candidate: string): SecretKind | undefined {
  const match = SHAPE.exec(candidate);
  if (!match) return undefined;
  const body = candidate.slice(0, candidate.length - CHECKSUM_LENGTH);
  if (encodeBase62(crc32(body), CHECKSUM_LENGTH) !== match[3]) return undefined;
  return match[1] === 'pat' ? 'pat' : 'session';
}

export function hashSecret(secret: string): string {
  return sha256Hex(secret);
}
