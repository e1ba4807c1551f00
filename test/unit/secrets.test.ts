import { describe, expect, it } from 'vitest';
import { crc32 } from '../../src/crypto/crc32.js';
import { hashSecret, mintSecret, parseSecret } from '../../src/secrets.js';

describe('bearer secrets', () => {
  it('mints PATs with the abs_pat_ prefix, 190 random bits and a checksum', () => {
    const { secret, hash, displayPrefix } = mintSecret('pat');
    expect(secret).toMatch(/^abs_pat_[0-9A-Za-z]{38}$/);
    expect(hash).toBe(hashSecret(secret));
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(displayPrefix).toBe(secret.slice(0, 12));
    expect(parseSecret(secret)).toBe('pat');
  });

  it('mints session secrets that cannot be mistaken for PATs', () => {
    const { secret } = mintSecret('session');
    expect(secret).toMatch(/^abs_ses_/);
    expect(parseSecret(secret)).toBe('session');
  });

  it('never mints the same secret twice', () => {
    const seen = new Set(Array.from({ length: 2000 }, () => mintSecret('pat').secret));
    expect(seen.size).toBe(2000);
  });

  it('refuses every single-character typo through the checksum', () => {
    const { secret } = mintSecret('pat');
    const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
    for (let i = 8; i < secret.length; i++) {
      const replacement = alphabet[(alphabet.indexOf(secret[i]!) + 7) % 62]!;
      const typo = secret.slice(0, i) + replacement + secret.slice(i + 1);
      expect(parseSecret(typo), typo).toBeUndefined();
    }
  });

  it('refuses truncated, extended, re-prefixed and non-ASCII secrets', () => {
    const { secret } = mintSecret('pat');
    for (const bad of [
      secret.slice(0, -1),
      `${secret}x`,
      secret.replace('abs_pat_', 'abs_ses_'),
      secret.replace('abs_pat_', 'ABS_PAT_'),
      `${secret.slice(0, -1)}é`,
      '',
      'abs_pat_',
      'Bearer ' + secret,
    ]) {
      expect(parseSecret(bad), bad).toBeUndefined();
    }
  });

  it('computes the standard CRC-32 that secret scanners use', () => {
    expect(crc32('123456789')).toBe(0xcbf43926);
    expect(crc32('')).toBe(0);
  });
});
