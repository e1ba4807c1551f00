import type { Db } from '../db/connect.js';
import { findChainHead, readChainPage } from '../store/audit.js';
import { chainRecord, GENESIS_HASH } from './canonical.js';
import { canonicalEntry, toAuditEntry } from './entry.js';
import { VERIFY_PAGE_SIZE } from './verify.js';

export interface ExportSummary {
  orgId: string;
  entries: number;
  /** The head recorded for the chain when the export started. */
  head: string;
}

/**
 * Writes one chain as JSON lines, oldest first: each line is exactly the text its entry's hash
 * covers, so SHA-256 of a line (with its newline) must equal the `prev` at the end of the next
 * line, and that of the last line the chain's head (docs/audit.md gives the procedure).
 * Lines come from the rows as stored, so tampering shows in the file as it does in `verify`.
 * Pages are written one at a time and `write` may wait, so memory stays bounded.
 */
export async function exportChain(
  db: Db,
  orgId: string,
  write: (text: string) => Promise<void>,
): Promise<ExportSummary> {
  const head = await findChainHead(db, orgId);
  const upTo = head ? Number(head.seq) : 0;
  let entries = 0;
  let after: number | null = null;
  for (;;) {
    const rows = await readChainPage(db, orgId, after, VERIFY_PAGE_SIZE, upTo);
    if (rows.length > 0) {
      const lines = rows.map((row) =>
        chainRecord(row.prev_hash, canonicalEntry(toAuditEntry(row))),
      );
      await write(`${lines.join('\n')}\n`);
      entries += rows.length;
    }
    if (rows.length < VERIFY_PAGE_SIZE) break;
    after = Number(rows[rows.length - 1]!.seq);
  }
  return { orgId, entries, head: head?.hash ?? GENESIS_HASH };
}
