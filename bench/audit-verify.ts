import { verifyChain } from '../src/audit/verify.js';
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
  // maxRSS is in KiB; reported in MB (10^6 bytes) like every memory figure of the benchmark.
  peakRssMB: (process.resourceUsage().maxRSS * 1024) / 1e6,
});
process.disconnect?.();
