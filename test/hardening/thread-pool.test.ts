import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { call, expectStatus } from '../support/client.js';
import { spawnServer } from '../support/process.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD, useFreshDatabase } from '../support/server.js';

const database = useFreshDatabase();

/** The installed command, started without any setting of the thread pool of its own. */
async function startedWith(extra: Record<string, string>) {
  const server = await spawnServer(
    {
      DATABASE_URL: database.url,
      ABS_ADMIN_EMAIL: ADMIN_EMAIL,
      ABS_ADMIN_PASSWORD: ADMIN_PASSWORD,
      ...extra,
    },
    { installed: true },
  );
  try {
    // A sign-in runs argon2id on the pool: the service works with the size it chose.
    const reply = await call(server, 'POST', '/login', {
      json: { email: ADMIN_EMAIL, password: ADMIN_PASSWORD },
    });
    expectStatus(reply, 200);
    const line = server
      .output()
      .split('\n')
      .find((l) => l.includes('"server started"'));
    return JSON.parse(line!).threadPool as number;
  } finally {
    expect(await server.stop()).toBe(0);
  }
}

describe('the thread pool of abs-auth serve', () => {
  it('has one thread a core, at least 2, when the operator sets none', async () => {
    expect(await startedWith({})).toBe(Math.max(2, availableParallelism()));
  });

  it("keeps the operator's own UV_THREADPOOL_SIZE", async () => {
    expect(await startedWith({ UV_THREADPOOL_SIZE: '3' })).toBe(3);
  });
});
