import type { Db } from '../db/connect.js';
import type { AuditEntryRow } from '../db/schema.js';
import {
  chainHasEntries,
  findChainHead,
  findEntryBeyondHead,
  readChainPage,
} from '../store/audit.js';
import { findOrganization } from '../store/organizations.js';
import { chainHash, GENESIS_HASH } from './canonical.js';
import { canonicalEntry, toAuditEntry } from './entry.js';

/** Rows read per query: memory stays bounded however long the chain is. */
export const VERIFY_PAGE_SIZE = 1000;

export type BreakReason =
  | 'out_of_sequence'
  | 'wrong_predecessor'
  | 'content_altered'
  | 'tail_missing'
  | 'head_mismatch'
  | 'beyond_head'
  | 'expected_head_missing'
  | 'chain_missing';

/** Where a chain first fails to check. `entryId` is null when the entry is gone. */
export interface ChainBreak {
  entryId: string | null;
  seq: number;
  reason: BreakReason;
  detail: string;
}

export interface VerifyReport {
  orgId: string;
  intact: boolean;
  /** Entries read, up to the head recorded when verification started. */
  entries: number;
  /** The head hash: verified when intact, as recorded otherwise. */
  head: string;
  firstBrokenId: string | null;
  broken: ChainBreak | null;
}

export interface VerifyOptions {
  /** A head kept outside the database earlier: it must still be in the chain. */
  expectHead?: string;
  pageSize?: number;
}

/**
 * Walks one chain in order, a page at a time, and recomputes every link. It stops checking at
 * the first break (what follows it cannot be trusted anyway) but keeps counting entries.
 * Only entries up to the head recorded at the start are walked, so appends that commit
 * meanwhile are neither counted nor mistaken for tampering.
 */
export async function verifyChain(
  db: Db,
  orgId: string,
  options: VerifyOptions = {},
): Promise<VerifyReport> {
  // Read before the head: an organization seen here was committed with its first audit entry,
  // so its head is there to read next; a creation committing in between is not mistaken for
  // a deleted chain.
  const organization = await findOrganization(db, orgId);
  const recorded = await findChainHead(db, orgId);
  const walk = new ChainWalk(options.expectHead);
  const pageSize = options.pageSize ?? VERIFY_PAGE_SIZE;
  let after: number | null = null;
  for (;;) {
    const rows = await readChainPage(db, orgId, after, pageSize, recorded?.seq ?? 0);
    for (const row of rows) walk.check(row);
    if (rows.length < pageSize) break;
    after = rows[rows.length - 1]!.seq;
    // better-sqlite3 answers synchronously, so without this a long chain held the event loop for
    // the whole walk (seconds for a million entries) and every other request, `/verify` included,
    // waited for it. A page is a few milliseconds of work.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  const missing = !recorded && organization ? await chainMissing(db, orgId) : null;
  const broken = walk.broken ?? missing ?? walk.finish(recorded) ?? (await beyondHead(db, orgId));
  return {
    orgId,
    intact: broken === null,
    entries: walk.entries,
    head: broken === null ? walk.prevHash : (recorded?.hash ?? GENESIS_HASH),
    firstBrokenId: broken?.entryId ?? null,
    broken,
  };
}

/** The state of one pass over a chain: what the next entry must look like. */
class ChainWalk {
  entries = 0;
  prevHash = GENESIS_HASH;
  broken: ChainBreak | null = null;
  private nextSeq = 1;
  private lastId: string | null = null;
  private expectedFound: boolean;

  constructor(private readonly expectHead?: string) {
    this.expectedFound = expectHead === undefined || expectHead === GENESIS_HASH;
  }

  check(row: AuditEntryRow): void {
    this.entries += 1;
    if (this.broken) return;
    const seq = Number(row.seq);
    if (seq !== this.nextSeq) {
      const detail = `expected entry ${this.nextSeq} here, found entry ${seq}`;
      this.broken = { entryId: row.id, seq, reason: 'out_of_sequence', detail };
    } else if (row.prev_hash !== this.prevHash) {
      const detail = `entry ${seq} does not point at the hash of entry ${seq - 1}`;
      this.broken = { entryId: row.id, seq, reason: 'wrong_predecessor', detail };
    } else if (row.hash !== chainHash(this.prevHash, canonicalEntry(toAuditEntry(row)))) {
      const detail = `entry ${seq} does not match its hash`;
      this.broken = { entryId: row.id, seq, reason: 'content_altered', detail };
    } else {
      this.prevHash = row.hash;
      this.nextSeq = seq + 1;
      this.lastId = row.id;
      if (row.hash === this.expectHead) this.expectedFound = true;
    }
  }

  /** After the last entry: the chain must end where its head says, and hold the expected head. */
  finish(recorded: { seq: number; hash: string } | undefined): ChainBreak | null {
    const last = this.nextSeq - 1;
    const headSeq = recorded ? Number(recorded.seq) : 0;
    if (last < headSeq) {
      const detail = `entries ${last + 1} to ${headSeq} are missing from the end of the chain`;
      return { entryId: null, seq: last + 1, reason: 'tail_missing', detail };
    }
    if (recorded && recorded.hash !== this.prevHash) {
      const detail = `entry ${last} does not match the head recorded for the chain`;
      return { entryId: this.lastId, seq: last, reason: 'head_mismatch', detail };
    }
    if (!this.expectedFound) {
      const detail =
        `the expected head is not in the chain of ${last} entries: ` +
        'entries were cut from its end or the chain was rewritten';
      return { entryId: null, seq: last + 1, reason: 'expected_head_missing', detail };
    }
    return null;
  }
}

/**
 * Every organization's creation is audited, so an organization without a head and without a
 * single entry had its whole chain deleted, which the walk alone would take for an empty chain.
 */
async function chainMissing(db: Db, orgId: string): Promise<ChainBreak | null> {
  if (await chainHasEntries(db, orgId)) return null;
  const detail = 'the organization exists but its chain has no head and no entries: it was deleted';
  return { entryId: null, seq: 1, reason: 'chain_missing', detail };
}

async function beyondHead(db: Db, orgId: string): Promise<ChainBreak | null> {
  const row = await findEntryBeyondHead(db, orgId);
  if (!row) return null;
  const seq = Number(row.seq);
  const detail = `entry ${seq} lies beyond the head recorded for the chain`;
  return { entryId: row.id, seq, reason: 'beyond_head', detail };
}
