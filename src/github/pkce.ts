import { hash, randomBytes } from 'node:crypto';

// 32 random bytes: 256 bits, base64url, which is inside RFC 7636's unreserved alphabet.
const ENTROPY_BYTES = 32;

/** The `state` of one sign-in attempt: unguessable, used once. */
export function newState(): string {
  return randomBytes(ENTROPY_BYTES).toString('base64url');
}

/** A PKCE code verifier (43 characters). It leaves the server only for GitHub's token URL. */
export function newCodeVerifier(): string {
  return randomBytes(ENTROPY_BYTES).toString('base64url');
}

/** The S256 challenge of a verifier: base64url of its SHA-256, without padding. */
export function codeChallengeS256(verifier: string): string {
  return hash('sha256', verifier, 'base64url');
}
