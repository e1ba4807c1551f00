import { describe, expect, it } from 'vitest';
import { firstRefusalThisMinute } from '../../src/http/refusal-memo.js';

describe('the refusal memo', () => {
  it('records a key once a minute', () => {
    expect(firstRefusalThisMinute('usr_a:pat:revoked', 0)).toBe(true);
    expect(firstRefusalThisMinute('usr_a:pat:revoked', 59_999)).toBe(false);
    expect(firstRefusalThisMinute('usr_a:pat:revoked', 60_000)).toBe(true);
  });

  it('when full, records nothing new until entries are a minute old, forgetting none early', () => {
    const t = 1_000_000;
    for (let i = 0; firstRefusalThisMinute(`flood:${i}`, t); i++) if (i > 20_000) break;
    // Full: a new key is not recorded, and a key already recorded stays recorded.
    expect(firstRefusalThisMinute('usr_new:pat:revoked', t + 1)).toBe(false);
    expect(firstRefusalThisMinute('flood:0', t + 2)).toBe(false);
    // A minute later the old entries go, and new refusals are recorded again.
    expect(firstRefusalThisMinute('usr_new:pat:revoked', t + 60_000)).toBe(true);
  });
});
