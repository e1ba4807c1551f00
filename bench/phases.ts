import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { BENCH_RATE_LIMIT, type BenchConfig } from './config.js';
import { measure, type LoadShape, type Measurement } from './lib/load.js';
import { builtPath } from './lib/build.js';
import { spawnNode, startChildServer, waitForMessage, type ChildServer } from './lib/proc.js';
import type { AuditResult, ScalingResult, ScenarioResult } from './lib/report.js';
import { SCENARIOS, type LoadData, type Target } from './scenarios.js';
import { seedAuditChain } from './seed/audit.js';
import { seedService } from './seed/abs.js';

/** The compiled form of a benchmark script (run.ts builds them first). */
export function script(cfg: BenchConfig, source: string): string {
  return builtPath(join(cfg.workDir, 'build'), source);
}

export function log(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

/** The service's environment for every benchmark run. */
export function serviceEnv(cfg: BenchConfig, dbPath: string): Record<string, string> {
  return {
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: `sqlite:${dbPath}`,
    ABS_ENVIRONMENT: 'production',
    ABS_RATE_LIMIT: BENCH_RATE_LIMIT,
    ABS_LOG_LEVEL: cfg.logLevel,
    UV_THREADPOOL_SIZE: threadPoolSize(),
  };
}

/**
 * The thread pool `abs-auth serve` gives itself (bin/abs-auth.js): the benchmark starts the
 * service from its own script, so it passes the same size. The argon2id baseline gets it too, so
 * that sign-ins are compared with argon2id on the same threads.
 */
function threadPoolSize(): string {
  return process.env.UV_THREADPOOL_SIZE ?? String(Math.max(2, availableParallelism()));
}

/**
 * The V8 flags `npm start` runs the service with, read from package.json so the two cannot drift;
 * `BENCH_SERVICE_FLAGS` (space-separated) replaces them, to compare settings.
 */
const SERVICE_NODE_FLAGS =
  process.env.BENCH_SERVICE_FLAGS?.split(' ').filter(Boolean) ?? startScriptFlags();

/** The flags between `node` and the script in package.json's `start` script. */
function startScriptFlags(): string[] {
  const manifest = JSON.parse(
    readFileSync(new URL('../package.json', import.meta.url), 'utf8'),
  ) as {
    scripts: { start: string };
  };
  const words = manifest.scripts.start.split(' ');
  return words.slice(words.indexOf('node') + 1).filter((word) => word.startsWith('--'));
}

export function startService(cfg: BenchConfig, dbPath: string, tag: string) {
  const profiling = cfg.cpuProfile
    ? [
        '--cpu-prof',
        `--cpu-prof-dir=${join(cfg.workDir, 'profiles')}`,
        `--cpu-prof-name=${tag}.cpuprofile`,
      ]
    : [];
  const nodeFlags = [...SERVICE_NODE_FLAGS, ...profiling];
  return startChildServer('service', script(cfg, 'bench/servers/abs.ts'), {
    env: serviceEnv(cfg, dbPath),
    nodeFlags,
  });
}

/** Every scenario against its server, in turn, `rounds` times. */
export async function loadRounds(
  cfg: BenchConfig,
  servers: Record<Target, ChildServer>,
  data: LoadData,
  only: Set<string> | undefined,
): Promise<ScenarioResult[]> {
  const shape: LoadShape = {
    connections: cfg.connections,
    warmupSeconds: cfg.warmupSeconds,
    durationSeconds: cfg.durationSeconds,
  };
  const results: ScenarioResult[] = [];
  for (let round = 1; round <= cfg.rounds; round++) {
    let baseline: Measurement | undefined;
    for (const scenario of SCENARIOS) {
      if (only && scenario.id !== 'raw' && !only.has(scenario.id)) continue;
      const server = servers[scenario.target];
      const m = await measure(server.url, scenario.request(data), shape, server.pid);
      baseline ??= m;
      results.push({ round, scenario, m, baseline });
      log(
        `round ${round} ${scenario.id}: ${m.rps.toFixed(0)} req/s, p50 ${m.p50.toFixed(2)} ms, ` +
          `p99 ${m.p99.toFixed(2)} ms, rss ${m.rssMB.toFixed(0)} MB, ` +
          `cpu ${m.cpuUs.toFixed(0)} µs/req, ` +
          `failed ${m.failures}`,
      );
    }
  }
  return results;
}

/** /verify on databases of very different sizes: an indexed lookup should not care. */
export async function scaling(cfg: BenchConfig): Promise<ScalingResult[]> {
  const results: ScalingResult[] = [];
  for (const tokens of cfg.scalingTokens) {
    const path = join(cfg.workDir, `scaling-${tokens}.db`);
    const users = Math.min(1_000, tokens);
    const seeded = await seedService(path, {
      orgs: 10,
      users,
      tokens,
      events: 0,
      sampleSecrets: Math.min(cfg.sampleSecrets, tokens),
    });
    log(`scaling: seeded ${tokens} tokens in ${seeded.seconds.toFixed(1)} s`);
    const server = await startService(cfg, path, `scaling-${tokens}`);
    const verify = SCENARIOS.find((s) => s.id === 'verify')!;
    const shape = {
      connections: cfg.connections,
      warmupSeconds: cfg.warmupSeconds,
      durationSeconds: cfg.scalingSeconds,
    };
    const data = { secrets: seeded.secrets, emails: [], peerKeys: [] };
    const m = await measure(server.url, verify.request(data), shape, server.pid);
    await server.stop();
    log(`scaling ${tokens}: ${m.rps.toFixed(0)} req/s, p99 ${m.p99.toFixed(2)} ms`);
    results.push({ tokens, m });
  }
  return results;
}

/** Seeds one long chain, then verifies it in a process of its own. */
export async function auditVerification(cfg: BenchConfig): Promise<AuditResult> {
  const path = join(cfg.workDir, 'audit.db');
  const seeded = await seedAuditChain(path, cfg.auditEntries);
  log(`audit: seeded ${cfg.auditEntries} entries in ${seeded.seconds.toFixed(1)} s`);
  const child = spawnNode(script(cfg, 'bench/audit-verify.ts'), [path, seeded.orgId]);
  const report = await waitForMessage<Omit<AuditResult, 'seedSeconds'>>(child, 600);
  return { ...report, seedSeconds: seeded.seconds };
}

/** Password checks a second that argon2id alone allows, in a process of its own. */
export async function argon2Capacity(cfg: BenchConfig): Promise<number> {
  const args = [String(cfg.durationSeconds), '50'];
  const env = { UV_THREADPOOL_SIZE: threadPoolSize() };
  const child = spawnNode(script(cfg, 'bench/argon2.ts'), args, { env });
  const { perSecond } = await waitForMessage<{ perSecond: number }>(child, 300);
  return perSecond;
}
