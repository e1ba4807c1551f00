import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { connect } from '../../src/db/connect.js';
import { reusedQuery } from '../../src/db/reused-query.js';

const { db, close } = connect('sqlite::memory:');
afterAll(() => close());

describe('reusedQuery', () => {
  it('builds a shape once and runs its text with the values of each call', async () => {
    let builds = 0;
    const run = async (a: number, b: string) => {
      const query = reusedQuery(db, 'pair', [a, b], () => {
        builds += 1;
        return sql<{ a: number; b: string }>`select ${a} as a, ${b} as b`.compile(db);
      });
      return (await db.executeQuery(query)).rows[0];
    };
    expect(await run(1, 'one')).toEqual({ a: 1, b: 'one' });
    expect(await run(2, 'two')).toEqual({ a: 2, b: 'two' });
    expect(builds).toBe(1);
  });

  it('refuses a shape whose parameters come out in another order than given', () => {
    expect(() =>
      reusedQuery(db, 'swapped', [1, 'x'], () => sql`select ${'x'}, ${1}`.compile(db)),
    ).toThrow('swapped: parameters out of the expected order');
  });
});
