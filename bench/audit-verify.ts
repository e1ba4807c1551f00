import { verifyChain } from '../src/audit/verify.js';
import { readFileSync } from 'node:fs';
import { connect } from '../src/db/connect.js';

// Verifies one chain in a process of its own, so that its peak memory is the verifier's alone.
const [path, orgId] = process.argv.slice(2);
if (!path || !orgId) throw new Error('usage: audit-verify.ts <sqlite file> <org id>');
const connection = connect(`sqlite:${path}`);
const started = performance.now();
const report = await verifyChain(connection.db, orgId);
const seconds = (performance.now() - started) / 1000;
await connection.close();
process.send?.({
  intact: report.intact,
  entries: report.entries,
  seconds,
  peakRssMB: peakRssMB(),
});
process.disconnect?.();

/**
 * This process's own peak, in MB (10^6 bytes) like every memory figure of the benchmark.
 * `VmHWM` belongs to the memory of this program alone. `resourceUsage().maxRSS` does not: Linux
 * carries it over from the process that forked this one, so it reported the benchmark runner's
 * size (365 MB, against 135 MB measured for the verifier by /usr/bin/time).
 */
function peakRssMB(): number {
  const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
  if (!match) throw new Error('no VmHWM in /proc/self/status (Linux only)');
  return (Number(match[1]) * 1024) / 1e6;
}
