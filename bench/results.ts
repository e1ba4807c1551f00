import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BENCH_RATE_LIMIT, type BenchConfig } from './config.js';
import {
  fmt,
  loadTable,
  scalingTable,
  targetTable,
  type AuditResult,
  type ScalingResult,
  type ScenarioResult,
  type Target,
} from './lib/report.js';

export interface RunSummary {
  cfg: BenchConfig;
  machine: { cores: number; cpu: string; node: string };
  startedAt: string;
  minutes: number;
  loadAverage: number[];
  seedSeconds: { service: number; peer: number };
  argon2PerSecond: number;
  rows: ScenarioResult[];
  targets: Target[];
  scaling: ScalingResult[];
  audit: AuditResult | undefined;
  peerVersion: string;
}

/** bench/results.md: the tables of one run, then the notes written by hand in findings.md. */
export function renderResults(s: RunSummary): string {
  const c = s.cfg;
  const findings = join(import.meta.dirname, 'findings.md');
  return [
    '# Benchmark results',
    '',
    `Written by \`npm run bench\` (scale \`${c.scale}\`) on ${s.startedAt}; the run took ` +
      `${fmt(s.minutes, 1)} minutes. Machine: ${s.machine.cores} cores (${s.machine.cpu}), ` +
      `Node ${s.machine.node}, load average before the run ${s.loadAverage
        .map((n) => fmt(n, 2))
        .join(' / ')}.`,
    '',
    '## Setup',
    '',
    `- Database: one SQLite file seeded with ${fmt(c.users)} users in ${fmt(c.orgs)} ` +
      `organizations, ${fmt(c.tokens)} PATs and ${fmt(c.events)} events ` +
      `(${fmt(s.seedSeconds.service, 1)} s to seed); Better Auth's file holds the same ` +
      `${fmt(c.users)} users and ${fmt(c.tokens)} API keys (${fmt(s.seedSeconds.peer, 1)} s).`,
    `- Load: autocannon on 127.0.0.1, ${c.connections} connections, ${c.warmupSeconds} s ` +
      `warm-up then ${c.durationSeconds} s measured, ${c.rounds} round(s); ` +
      'every server in its own process, loaded in turn, the load generator in this one ' +
      '(it shares the 2 cores).',
    `- Credentials rotate per request: ${fmt(c.sampleSecrets)} PATs drawn evenly from the ` +
      'seeded ones (operators and admins), sign-ins over 2,000 seeded accounts, ' +
      `${fmt(c.sampleSecrets)} Better Auth keys.`,
    `- \`ABS_RATE_LIMIT=${BENCH_RATE_LIMIT}\` (the default 600/60s per token would answer 429 ` +
      `within a second); \`ABS_LOG_LEVEL=${c.logLevel}\`, request ` +
      'logs written to /dev/null. Every server runs on plain node from JavaScript compiled ' +
      'by tsc (bench/lib/build.ts), as `npm start` runs the service.',
    `- Better Auth ${s.peerVersion} with its \`apiKey\` plugin, its per-key and global rate ` +
      'limits off, SQLite in WAL mode with synchronous=FULL like ours.',
    '- Latency percentiles are exact (every response time kept); RSS is the highest ' +
      '`VmRSS` sampled every 250 ms during the measured window, in MB (10^6 bytes); CPU µs/req ' +
      "is the server process's user + system time over the window divided by its successful " +
      'requests (from /proc, 10 ms ticks).',
    '',
    '## Targets (worst round)',
    '',
    targetTable(s.targets),
    '',
    `argon2id alone (the service's parameters, 50 checks in flight, one process): ` +
      `${fmt(s.argon2PerSecond)} checks/s.`,
    '',
    '## Load, every round',
    '',
    loadTable(s.rows),
    '',
    '## Verification scaling',
    '',
    scalingTable(s.scaling),
    '',
    '## Audit verification',
    '',
    s.audit ? auditLine(s.audit) : 'Not run.',
    '',
    existsSync(findings) ? readFileSync(findings, 'utf8').trim() : '',
    '',
  ].join('\n');
}

function auditLine(a: AuditResult): string {
  return (
    `${fmt(a.entries)} entries of one chain (seeded in ${fmt(a.seedSeconds, 1)} s): ` +
    `verified in ${fmt(a.seconds, 1)} s (${fmt(a.entries / a.seconds)} entries/s), ` +
    `${a.intact ? 'intact' : '**reported broken**'}, peak RSS of the verifying process ` +
    `${fmt(a.peakRssMB)} MB.`
  );
}
