import { Hono } from 'hono';
import { z } from 'zod';
import { toChainedEntry } from '../../audit/entry.js';
import { verifyChain } from '../../audit/verify.js';
import { VerifyQueue } from '../../audit/verify-queue.js';
import { parseWith } from '../../http/body.js';
import { ApiError } from '../../http/problem.js';
import type { AppEnv } from '../../http/env.js';
import type { Services } from '../../services.js';
import { listAuditRows } from '../../store/audit.js';
import { Instant, sinceBeforeUntil } from '../../time.js';
import { adminOnly } from './errors.js';
import { DEFAULT_PAGE, decodeCursor, page, PageQuery } from './paging.js';

/** The audit ledger of the caller's own organization: never another's, never the system's. */
export const adminAuditRoutes = new Hono<AppEnv>();

const ListQuery = PageQuery.extend({
  action: z.string().min(1).max(100).optional(),
  actorId: z.string().min(1).max(100).optional(),
  since: Instant.optional(),
  until: Instant.optional(),
}).refine(...sinceBeforeUntil);

const VerifyQuery = z.object({
  expectHead: z
    .string()
    .regex(/^[0-9a-f]{64}$/, 'must be a SHA-256 hash in lower-case hex')
    .optional(),
});

adminAuditRoutes.get('/admin/audit', adminOnly, async (c) => {
  const query = parseWith(ListQuery, c.req.query());
  const limit = query.limit ?? DEFAULT_PAGE;
  const beforeSeq = query.cursor
    ? decodeCursor(query.cursor, z.tuple([z.number().int().nonnegative()]))[0]
    : undefined;
  const services = c.get('services');
  const rows = await listAuditRows(services.db, {
    orgId: c.get('principal').orgId,
    action: query.action,
    actorId: query.actorId,
    since: query.since,
    until: query.until,
    beforeSeq,
    limit: limit + 1,
  });
  return c.json(page(rows, limit, toChainedEntry, (row) => [Number(row.seq)]));
});

/** One queue per service instance: an organization's walks never overlap (see VerifyQueue). */
const queues = new WeakMap<Services, VerifyQueue>();
function queueOf(services: Services): VerifyQueue {
  let queue = queues.get(services);
  if (!queue) queues.set(services, (queue = new VerifyQueue()));
  return queue;
}

/** A walk of a long chain takes a few seconds at most; a client retrying sooner meets a queue. */
const BUSY_RETRY_SECONDS = 5;

/** Smaller pages than the CLI's: the event loop is held one page at a time, a few ms. */
const HTTP_PAGE_SIZE = 250;

// LIMITATION: each call walks the whole chain (seconds for a million entries on SQLite here);
// remembering the last verified (seq, hash) would let a call check only what was appended since.
adminAuditRoutes.get('/admin/audit/verify', adminOnly, async (c) => {
  const { expectHead } = parseWith(VerifyQuery, c.req.query());
  const services = c.get('services');
  const orgId = c.get('principal').orgId;
  const queued = queueOf(services).run(orgId, expectHead ?? '', () =>
    verifyChain(services.db, orgId, { expectHead, pageSize: HTTP_PAGE_SIZE }),
  );
  if (!queued) {
    throw new ApiError(
      429,
      'verification_busy',
      "This organization's audit chain is being verified, with more verifications waiting; " +
        'retry when they are done.',
      { retryAfter: BUSY_RETRY_SECONDS },
      { 'retry-after': String(BUSY_RETRY_SECONDS) },
    );
  }
  const report = await queued;
  if (report.broken) {
    const { entryId, seq, reason } = report.broken;
    services.logger.warn({ orgId, entryId, seq, reason }, 'audit chain broken');
  }
  return c.json({
    intact: report.intact,
    entries: report.entries,
    head: report.head,
    firstBrokenId: report.firstBrokenId,
    broken: report.broken,
  });
});
