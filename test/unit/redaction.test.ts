import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { REDACTED, redactSecrets } from '../../src/redaction.js';

function logged(fields: object): Record<string, any> {
  const lines: string[] = [];
  createLogger('info', { write: (line: string) => lines.push(line) }).info(fields, 'event');
  expect(lines).toHaveLength(1);
  return JSON.parse(lines[0]!);
}

describe('the logger redacts secret fields itself', () => {
  it('at the top level and at any depth, whatever the case of the key', () => {
    const line = logged({
      userId: 'usr_1',
      password: 'hunter2 hunter2',
      request: { headers: { Authorization: 'Bearer abs_pat_x', Cookie: 'abs_session=y' } },
      deep: { a: { b: { c: { d: { clientSecret: 's3cret' } } } } },
      list: [{ token: 't0k3n' }, 'plain'],
    });
    expect(line).toMatchObject({
      userId: 'usr_1',
      password: REDACTED,
      request: { headers: { Authorization: REDACTED, Cookie: REDACTED } },
      deep: { a: { b: { c: { d: { clientSecret: REDACTED } } } } },
      list: [{ token: REDACTED }, 'plain'],
    });
    const text = JSON.stringify(line);
    for (const secret of ['hunter2', 'abs_pat_x', 'abs_session=y', 's3cret', 't0k3n']) {
      expect(text).not.toContain(secret);
    }
  });

  it('keeps ids that merely contain a secret word, and errors as pino serialises them', () => {
    const line = logged({ tokenId: 'tok_1', sessionId: 'ses_1', err: new Error('boom') });
    expect(line).toMatchObject({ tokenId: 'tok_1', sessionId: 'ses_1' });
    expect(line.err).toMatchObject({ type: 'Error', message: 'boom' });
  });

  it('stops walking at a depth no log line needs, even for a cycle', () => {
    const cycle: Record<string, unknown> = { name: 'loop' };
    cycle.self = cycle;
    const out = redactSecrets({ cycle }) as Record<string, any>;
    let node = out.cycle;
    for (let i = 0; i < 7; i++) node = node.self;
    expect(node).toBe('[too deep]');
  });
});

describe('redactSecrets', () => {
  it('hands back the same object when nothing needs hiding', () => {
    const fields = { reqId: 'req_1', status: 200, nested: { ok: true }, list: [1, 2] };
    expect(redactSecrets(fields)).toBe(fields);
  });

  it('never changes the object it was given', () => {
    const fields = { outer: { password: 'pw', keep: 1 }, list: [{ secret: 's' }] };
    const out = redactSecrets(fields);
    expect(fields).toEqual({ outer: { password: 'pw', keep: 1 }, list: [{ secret: 's' }] });
    expect(out).toEqual({ outer: { password: REDACTED, keep: 1 }, list: [{ secret: REDACTED }] });
    expect(out).not.toBe(fields);
  });
});
