import { describe, expect, it } from 'vitest';
import { preferredType } from '../../src/http/accept.js';

const PAGE_FIRST = ['text/html', 'application/json'] as const;
const JSON_FIRST = ['application/json', 'text/html'] as const;
const BROWSER =
  'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8';

describe('preferredType', () => {
  it.each([
    // The weight decides, whatever order the client wrote the ranges in.
    ['text/html;q=0, application/json', 'application/json'],
    ['application/json, text/html;q=0.1', 'application/json'],
    ['text/html, application/json;q=0.5', 'text/html'],
    ['application/json;q=0.5, text/html', 'text/html'],
    ['application/json;q=0.501, text/html;q=0.5', 'application/json'],
    // A tie, stated or through a wildcard, goes to the server's first choice.
    ['application/json, text/html', 'text/html'],
    ['*/*', 'text/html'],
    ['application/*, text/*', 'text/html'],
    // The most specific range weighs a type: the wildcard does not lift an explicit q=0.
    ['text/html;q=0, */*', 'application/json'],
    ['*/*;q=0.1, application/json;q=0.2', 'application/json'],
    ['text/*;q=0.3, text/html;q=0.7, */*;q=0.5', 'text/html'],
    ['text/*;q=0.3, */*;q=0.5', 'application/json'],
    [BROWSER, 'text/html'],
  ])('with Accept: %s, prefers %s (server prefers the page)', (accept, expected) => {
    expect(preferredType(accept, PAGE_FIRST)).toBe(expected);
  });

  it('gives ties to the first offer, whichever it is', () => {
    expect(preferredType('application/json, text/html', JSON_FIRST)).toBe('application/json');
    expect(preferredType('*/*', JSON_FIRST)).toBe('application/json');
    expect(preferredType(BROWSER, JSON_FIRST)).toBe('text/html');
  });

  it('answers undefined when no offer is acceptable', () => {
    for (const accept of [
      'image/png',
      'text/html;q=0',
      'text/html;q=0, application/json;q=0.000',
      '*/*;q=0',
      'text/plain, application/xml',
    ]) {
      expect(preferredType(accept, PAGE_FIRST), accept).toBeUndefined();
    }
  });

  it('takes every offer as acceptable without a header or without one valid member', () => {
    for (const accept of [undefined, '', ' , ,', 'html', '*/html', 'text/html;q=2']) {
      expect(preferredType(accept, PAGE_FIRST), String(accept)).toBe('text/html');
      expect(preferredType(accept, JSON_FIRST), String(accept)).toBe('application/json');
    }
  });

  it('skips a malformed member and keeps the others', () => {
    for (const bad of ['text/html;q=2', 'text/html;q=abc', 'text/html;q=0.1234', 'text/html;x']) {
      // Skipped, the bad member leaves text/html unlisted: only JSON is acceptable.
      expect(preferredType(`${bad}, application/json;q=0.1`, PAGE_FIRST), bad).toBe(
        'application/json',
      );
    }
  });

  it('reads case, spaces and quoted commas as the grammar says', () => {
    expect(preferredType('TEXT/HTML ; Q=0 , Application/JSON', PAGE_FIRST)).toBe(
      'application/json',
    );
    // A comma inside a quoted value, escaped quote or not, does not start a new member.
    for (const value of ['"1, text/html, 2"', '"1\\", text/html, 2"']) {
      expect(preferredType(`text/plain;a=${value}, application/json;q=0.1`, PAGE_FIRST)).toBe(
        'application/json',
      );
    }
    expect(preferredType('text/html;q=1.000, application/json;q=1.', JSON_FIRST)).toBe(
      'application/json',
    );
    // Parameters after the weight extend the member; they do not narrow the type.
    expect(preferredType('text/html;q=0.5;ext=1, application/json;q=0.4', PAGE_FIRST)).toBe(
      'text/html',
    );
  });

  it('lets a range with parameters name only the types that carry them', () => {
    // `text/html;level=1` says nothing about plain text/html, which stays unacceptable here.
    expect(preferredType('text/html;level=1, application/json;q=0.1', PAGE_FIRST)).toBe(
      'application/json',
    );
    const offers = ['text/html;charset=utf-8', 'application/json'];
    expect(preferredType('text/html;charset=UTF-8;q=0.9, */*;q=0.1', offers)).toBe(offers[0]);
    expect(preferredType('text/html;charset=latin1, application/json;q=0.1', offers)).toBe(
      'application/json',
    );
    // Of two matching ranges, the one with more parameters is the more specific.
    expect(preferredType('text/html;q=0.1, text/html;charset=utf-8, */*;q=0.5', offers)).toBe(
      offers[0],
    );
  });

  it('refuses an offer that is not a media type: a mistake in our code, not the client', () => {
    expect(() => preferredType('*/*', ['html'])).toThrow(/not a media type/);
  });
});
