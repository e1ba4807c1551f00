import { once } from 'node:events';
import type { Command } from 'commander';
import { exportChain } from '../audit/export.js';
import { SYSTEM_CHAIN } from '../audit/ledger.js';
import { verifyChain, type VerifyReport } from '../audit/verify.js';
import type { Services } from '../services.js';
import { listChainIds } from '../store/audit.js';
import { findOrganization } from '../store/organizations.js';
import { CliError, print, withServices } from './context.js';
import { notFound } from './failures.js';
import { resolveOrg } from './users.js';

const ORG_HELP = `organization id, or "${SYSTEM_CHAIN}" for events of no organization`;

export function registerAuditCommands(program: Command): void {
  const audit = program.command('audit').description('the tamper-evident audit ledger');

  audit
    .command('verify')
    .description('recompute every chain (or one); exit 1 naming the first broken entry')
    .option('--org <id>', `only this chain: ${ORG_HELP}`)
    .option(
      '--expect-head <hash>',
      'a head kept earlier: it must still be in the chain (default: the only organization)',
    )
    .action(async (opts: { org?: string; expectHead?: string }) => {
      const expectHead = opts.expectHead?.trim().toLowerCase();
      if (expectHead !== undefined && !/^[0-9a-f]{64}$/.test(expectHead)) {
        throw new CliError('--expect-head: a SHA-256 hash, 64 hex digits');
      }
      await withServices(async (services) => {
        const chains =
          opts.org || expectHead
            ? [await chainOf(services, opts.org)]
            : await listChainIds(services.db);
        const broken: VerifyReport[] = [];
        for (const orgId of chains) {
          const report = await verifyChain(services.db, orgId, { expectHead });
          print(reportLine(report));
          if (!report.intact) broken.push(report);
        }
        if (broken.length > 0) throw new CliError(brokenSummary(broken), 1);
      });
    });

  audit
    .command('export')
    .description('write a chain as JSON lines that a SHA-256 tool can check (docs/audit.md)')
    .option('--org <id>', `the chain (default: the only organization): ${ORG_HELP}`)
    .action(async (opts: { org?: string }) => {
      await withServices(async (services) => {
        const orgId = await chainOf(services, opts.org);
        const summary = await exportChain(services.db, orgId, writeOut);
        process.stderr.write(
          `exported ${summary.entries} entries of ${orgId}; recorded head ${summary.head}\n`,
        );
      });
    });
}

/** The chain named by --org; the system chain has no organization row. */
async function chainOf(services: Services, org: string | undefined): Promise<string> {
  if (org === SYSTEM_CHAIN) return SYSTEM_CHAIN;
  if (org && !(await findOrganization(services.db, org))) {
    throw notFound(`--org: no organization ${org}`);
  }
  return resolveOrg(services, org);
}

function reportLine(report: VerifyReport): string {
  if (!report.broken) {
    return `${report.orgId}: intact, ${report.entries} entries, head ${report.head}`;
  }
  const { entryId, seq, reason, detail } = report.broken;
  const where = entryId ? `entry ${entryId} (seq ${seq})` : `seq ${seq} (no such entry)`;
  return `${report.orgId}: BROKEN at ${where}: ${reason}: ${detail}`;
}

function brokenSummary(reports: VerifyReport[]): string {
  const first = reports.map((r) => {
    const b = r.broken!;
    return b.entryId ? `${r.orgId} at entry ${b.entryId}` : `${r.orgId} at seq ${b.seq}`;
  });
  return `audit chain broken: ${first.join('; ')}`;
}

async function writeOut(text: string): Promise<void> {
  if (!process.stdout.write(text)) await once(process.stdout, 'drain');
}
