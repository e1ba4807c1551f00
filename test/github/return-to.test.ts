import { describe, expect, it } from 'vitest';
import { safeReturnTo } from '../../src/github/return-to.js';

describe('safeReturnTo', () => {
  it.each([
    '/',
    '/dashboard',
    '/dashboard/tokens?tab=mine&sort=new',
    '/dashboard#section',
    '/a%20b',
  ])('keeps the same-origin path %j', (path) => {
    expect(safeReturnTo(path)).toBe(path);
  });

  it.each([
    undefined,
    null,
    '',
    'dashboard',
    'https://evil.example/',
    'HTTPS://evil.example/',
    'javascript:alert(1)',
    '//evil.example',
    '///evil.example',
    '/\\evil.example',
    '\\/evil.example',
    '/%2F%2Fevil.example',
    '/%2f/evil.example',
    '/%252F%252Fevil.example',
    '/%25252F%25252Fevil.example',
    '/%5Cevil.example',
    '/%5cevil.example',
    '/%09/evil.example',
    '/\t/evil.example',
    '/\n/evil.example',
    '/%E0%A4%A',
    `/${'a'.repeat(600)}`,
  ])('falls back to / for %j', (given) => {
    expect(safeReturnTo(given)).toBe('/');
  });

  // Regression: `/..//host` passed the checks and URL normalization then made it `//host`, an
  // open redirect after sign-in. Dot segments, plain or encoded, now fall back to `/`.
  it.each([
    '/..//evil.example',
    '/.//evil.example',
    '/a/../..//evil.example',
    '/%2e%2e//evil.example',
  ])('never turns dot segments into another host: %j', (given) => {
    expect(safeReturnTo(given)).toBe('/');
  });

  it('refuses dot segments rather than guess what they meant', () => {
    expect(safeReturnTo('/dashboard/../tokens')).toBe('/');
    expect(safeReturnTo('/./x')).toBe('/');
  });
});
