import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_CHAIN } from '../../src/audit/ledger.js';
import { verifyChain } from '../../src/audit/verify.js';
import { call, issuePat, login } from '../support/client.js';
import { makeOrg, makeUser } from '../support/fixtures.js';
import { startTestServer, type TestServer } from '../support/server.js';
import {
  behindTheBack,
  chainRows,
  nextClientIp,
  runCli,
  strangerEmail,
  TRUST_LOOPBACK,
} from './support.js';

let server: TestServer;
beforeAll(async () => {
  // One session issues tokens for as long as the CLI processes run: more than the default
  // management budget allows in a minute on a slow machine.
  server = await startTestServer({ ...TRUST_LOOPBACK, ABS_MANAGEMENT_RATE_LIMIT: '100000/60s' });
});
afterAll(() => server.stop());

/** A chain that never forked: positions 1..n, each entry pointing at the one before it. */
async function expectLinearChain(orgId: string, entries: number) {
  const rows = await behindTheBack(server, (db) => chainRows(db, orgId));
  expect(rows.map((r) => Number(r.seq))).toEqual(Array.from({ length: entries }, (_, i) => i + 1));
  expect(new Set(rows.map((r) => r.prev_hash)).size).toBe(entries);
  rows.slice(1).forEach((row, i) => expect(row.prev_hash).toBe(rows[i]!.hash));
  const report = await verifyChain(server.services.db, orgId);
  expect(report).toMatchObject({ intact: true, entries, head: rows[entries - 1]!.hash });
}

async function chainLength(orgId: string): Promise<number> {
  const rows = await behindTheBack(server, (db) => chainRows(db, orgId));
  return rows.length;
}

describe('concurrent appends', () => {
  it("from parallel requests never fork an organization's chain or the system chain", async () => {
    const org = await makeOrg(server.services, 'Busy');
    const admin = await makeUser(server.services, org.id, 'admin');
    const viewer = await makeUser(server.services, org.id, 'viewer');
    const session = await login(server, admin.email, admin.password);
    const viewerPat = await issuePat(server, await login(server, viewer.email, viewer.password));
    const before = await chainLength(org.id);
    const systemBefore = await chainLength(SYSTEM_CHAIN);

    const issues = Array.from({ length: 25 }, (_, i) =>
      call(server, 'POST', '/token', { token: session, json: { name: `parallel ${i}` } }),
    );
    const refusals = Array.from({ length: 25 }, () =>
      call(server, 'GET', '/admin/audit', { token: viewerPat }),
    );
    const unknown = Array.from({ length: 20 }, (_, i) =>
      call(server, 'POST', '/login', {
        json: { email: strangerEmail(`stranger${i}`), password: 'whatever-it-is' },
        headers: { 'x-forwarded-for': nextClientIp() },
      }),
    );
    const replies = await Promise.all([...issues, ...refusals, ...unknown]);
    expect(replies.slice(0, 25).map((r) => r.status)).toEqual(Array(25).fill(201));
    expect(replies.slice(25, 50).map((r) => r.status)).toEqual(Array(25).fill(403));
    expect(replies.slice(50).map((r) => r.status)).toEqual(Array(20).fill(401));

    // The 25 refusals of one token for one scope are recorded once: the ledger notes a refused
    // credential at most once a minute per reason, so it cannot be flooded.
    await expectLinearChain(org.id, before + 26);
    await expectLinearChain(SYSTEM_CHAIN, systemBefore + 20);
  });

  it('from the server and CLI processes at once never fork the chain', async () => {
    const org = await makeOrg(server.services, 'Two processes');
    const admin = await makeUser(server.services, org.id, 'admin');
    const session = await login(server, admin.email, admin.password);
    const before = await chainLength(org.id);

    // The API keeps appending until every CLI process has finished, so their appends overlap.
    let cliDone = false;
    const fromCli = Promise.all(
      Array.from({ length: 4 }, (_, i) =>
        runCli(server, ['token', 'issue', '--email', admin.email, '--name', `cli ${i}`]),
      ),
    ).finally(() => (cliDone = true));
    let fromApi = 0;
    while (!cliDone) {
      const replies = await Promise.all(
        Array.from({ length: 5 }, () => call(server, 'POST', '/token', { token: session })),
      );
      expect(replies.map((r) => r.status)).toEqual(Array(5).fill(201));
      fromApi += replies.length;
    }
    for (const run of await fromCli) expect(run.code, run.stderr).toBe(0);

    await expectLinearChain(org.id, before + fromApi + 4);
    const rows = await behindTheBack(server, (db) => chainRows(db, org.id));
    expect(rows.filter((r) => r.actor_type === 'cli' && r.action === 'token.issued')).toHaveLength(
      4,
    );
  });
});
