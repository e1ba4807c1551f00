import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_PAGE_BYTES } from '../../src/events/schema.js';
import { adminOrgId, expectStatus } from '../support/client.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { ingestBatch, member, query } from './setup.js';

// A query page holds at most `limit` events and at most MAX_PAGE_BYTES of their payload and
// metadata text, so a client asking for 1000 large events cannot make the server build a
// 60 MB answer.

const PAYLOAD_BYTES = 60_000;
const BIG = 160;
/** How many events of PAYLOAD_BYTES fit under the cap: 69 of 60 000 bytes in 4 MiB. */
const PER_PAGE = Math.floor(MAX_PAGE_BYTES / PAYLOAD_BYTES);

let server: TestServer;
let pat: string;
/** Ids of every event sent, oldest first. */
const sent: string[] = [];

/** A payload whose compact JSON is exactly PAYLOAD_BYTES long. */
function bigEvent(n: number) {
  const filler = 'x'.repeat(PAYLOAD_BYTES - JSON.stringify({ n, blob: '' }).length);
  return { event_type: 'big', payload: { n, blob: filler } };
}

beforeAll(async () => {
  server = await startTestServer();
  pat = (await member(server, await adminOrgId(server), 'operator')).pat;
  // Two batches of 80: each about 4.8 MB, under the 8 MiB batch body limit.
  for (let start = 0; start < BIG; start += 80) {
    const batch = Array.from({ length: 80 }, (_, i) => bigEvent(start + i));
    const reply = await ingestBatch(server, pat, batch);
    expectStatus(reply, 201);
    sent.push(...reply.body.ids);
  }
});
afterAll(() => server.stop());

describe('the byte cap of a query page', () => {
  it('is 4 MiB', () => {
    expect(MAX_PAGE_BYTES).toBe(4 * 1024 * 1024);
    expect(PER_PAGE).toBe(69);
  });

  it('cuts a page of large events short of the limit, with a cursor to go on', async () => {
    const reply = await query(server, pat, { limit: 1000 });
    expectStatus(reply, 200);
    expect(reply.body.data).toHaveLength(PER_PAGE);
    expect(reply.body.data.map((e: { id: string }) => e.id)).toEqual(
      [...sent].reverse().slice(0, PER_PAGE),
    );
    expect(reply.body.data[0].payload).toEqual(bigEvent(BIG - 1).payload);
    expect(reply.body.nextCursor).toMatch(/^[A-Za-z0-9_-]+$/);
    // The answer is the page's text plus a little per event, far from 160 events' 9.6 MB.
    expect(Buffer.byteLength(reply.text)).toBeLessThan(MAX_PAGE_BYTES + PER_PAGE * 300);
  });

  it('returns every event exactly once when paging on, in order', async () => {
    const pages: string[][] = [];
    let cursor: string | undefined;
    do {
      const body = { limit: 1000, ...(cursor ? { cursor } : {}) };
      const reply = await query(server, pat, body);
      expectStatus(reply, 200);
      pages.push(reply.body.data.map((e: { id: string }) => e.id));
      cursor = reply.body.nextCursor ?? undefined;
    } while (cursor !== undefined && pages.length < 10);
    expect(pages.map((page) => page.length)).toEqual([PER_PAGE, PER_PAGE, BIG - 2 * PER_PAGE]);
    expect(pages.flat()).toEqual([...sent].reverse());
  });

  it('still honours a limit below what the cap allows', async () => {
    const reply = await query(server, pat, { limit: 5 });
    expectStatus(reply, 200);
    expect(reply.body.data).toHaveLength(5);
    expect(reply.body.nextCursor).not.toBeNull();
  });
});
