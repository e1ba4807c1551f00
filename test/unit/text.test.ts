import { describe, expect, it } from 'vitest';
import { cleanName, nameProblem } from '../../src/text.js';

describe('nameProblem', () => {
  it.each([
    ['Ada Lovelace'],
    ['ci • staging'],
    // Right-to-left script itself is fine: only the characters that reorder text are not.
    ['عميل الإنتاج'],
    ['agent \u{1F916}\u200D\u{1F527}'], // a zero-width joiner inside an emoji sequence
    ['\u{1F3F4}\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F} ops'], // a subdivision flag
  ])('accepts %j', (name) => {
    expect(nameProblem(name)).toBeUndefined();
  });

  it.each([
    ['tab', 'a\tb', /control characters/],
    ['NUL', 'a\u0000b', /control characters/],
    ['right-to-left override', '\u202Egnp.exe', /direction of text/],
    ['left-to-right isolate', 'a\u2066b', /direction of text/],
    ['right-to-left mark', 'a\u200Fb', /direction of text/],
    ['Arabic letter mark', 'a\u061Cb', /direction of text/],
    ['zero-width space', 'prod\u200Badmin', /invisible characters/],
    ['byte-order mark', '\uFEFFci', /invisible characters/],
    ['word joiner', 'a\u2060b', /invisible characters/],
    ['line separator', 'a\u2028b', /invisible characters/],
    ['lone high surrogate', 'a\ud800', /lone surrogate/],
    ['lone low surrogate', '\udc00a', /lone surrogate/],
  ])('refuses a %s', (_title, name, rule) => {
    expect(nameProblem(name)).toMatch(rule);
  });
});

describe('cleanName', () => {
  it('drops what a typed name may not hold, trims, and cuts to the length', () => {
    expect(cleanName('  Ada\u202E Love\u0007lace\ud800 ', 100)).toBe('Ada Lovelace');
    expect(cleanName('x'.repeat(150), 100)).toBe('x'.repeat(100));
    expect(nameProblem(cleanName('\u2066Bob\u2069\t', 100)!)).toBeUndefined();
  });

  it('gives null when nothing is left', () => {
    expect(cleanName('\u202E\u0000 ', 100)).toBeNull();
    expect(cleanName(null, 100)).toBeNull();
    expect(cleanName('', 100)).toBeNull();
  });
});
