import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyChain } from '../../src/audit/verify.js';
import { call, expectStatus } from '../support/client.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { freshLedger, TRUST_LOOPBACK } from './support.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer(TRUST_LOOPBACK);
});
afterAll(() => server.stop());

describe('verifying a long chain', () => {
  // better-sqlite3 answers synchronously: a walk that never yielded held every other request of
  // the process (a /verify waited 2.6 s behind five verifications of 40,000 entries).
  it('lets the event loop run between pages', async () => {
    const ledger = await freshLedger(server);
    let turns = 0;
    let walking = true;
    const turn = () => {
      if (!walking) return;
      turns += 1;
      setImmediate(turn);
    };
    setImmediate(turn);
    const report = await verifyChain(server.services.db, ledger.orgId, { pageSize: 2 });
    walking = false;
    expect(report).toMatchObject({ intact: true, entries: ledger.rows.length });
    // Seven entries in pages of two: four pages, three turns between them at least.
    expect(turns).toBeGreaterThanOrEqual(3);
  });

  it('answers verifications asked at once, each whole, one walk after another', async () => {
    const ledger = await freshLedger(server);
    const head = ledger.rows[ledger.rows.length - 1]!.hash;
    const replies = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        call(server, 'GET', `/admin/audit/verify${i % 2 ? `?expectHead=${head}` : ''}`, {
          token: ledger.session,
        }),
      ),
    );
    for (const reply of replies) {
      expectStatus(reply, 200);
      expect(reply.body).toMatchObject({ intact: true, entries: ledger.rows.length, head });
    }
  });
});
