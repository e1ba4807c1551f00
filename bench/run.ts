import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { loadBenchConfig, machine } from './config.js';
import { buildChildren } from './lib/build.js';
import { startChildServer } from './lib/proc.js';
import { seedPeer } from './peers/better-auth/seed.js';
import {
  argon2Capacity,
  auditVerification,
  loadRounds,
  log,
  scaling,
  script,
  startService,
} from './phases.js';
import { renderResults } from './results.js';
import { seedService } from './seed/abs.js';
import { judgeTargets } from './targets.js';

// `npm run bench`: seeds, starts the three servers, loads each in turn, measures scaling and
// audit verification, and writes bench/results.md. BENCH_ONLY=verify,peer limits the scenarios
// (the raw baseline always runs); BENCH_SKIP=scaling,audit skips those parts.
const cfg = loadBenchConfig();
const only = process.env.BENCH_ONLY ? new Set(process.env.BENCH_ONLY.split(',')) : undefined;
const skip = new Set((process.env.BENCH_SKIP ?? '').split(',').filter(Boolean));
const started = performance.now();
const startedAt = new Date().toISOString();
const loadAverage = loadavg();
mkdirSync(cfg.workDir, { recursive: true });
buildChildren(join(cfg.workDir, 'build'));
log('compiled the servers');

const servicePath = join(cfg.workDir, 'service.db');
const service = await seedService(servicePath, cfg);
log(`seeded the service in ${service.seconds.toFixed(1)} s`);
const peerPath = join(cfg.workDir, 'better-auth.db');
const peer = await seedPeer(peerPath, {
  users: cfg.users,
  keys: cfg.tokens,
  sample: cfg.sampleSecrets,
});
log(`seeded Better Auth in ${peer.seconds.toFixed(1)} s`);

const argon2PerSecond = await argon2Capacity(cfg);
log(`argon2id alone: ${argon2PerSecond.toFixed(0)} checks/s`);

const here = import.meta.dirname;
const servers = {
  raw: await startChildServer('raw', script(cfg, 'bench/servers/raw.ts')),
  service: await startService(cfg, servicePath, 'service'),
  peer: await startChildServer('peer', script(cfg, 'bench/peers/better-auth/server.ts'), {
    env: { PEER_DB: peerPath },
  }),
};
let rows;
try {
  const data = { secrets: service.secrets, emails: service.emails, peerKeys: peer.keys };
  rows = await loadRounds(cfg, servers, data, only);
} finally {
  await Promise.all(Object.values(servers).map((s) => s.stop()));
}

const scalingRows = skip.has('scaling') ? [] : await scaling(cfg);
const audit = skip.has('audit') ? undefined : await auditVerification(cfg);
if (audit) log(`audit: ${audit.entries} entries in ${audit.seconds.toFixed(1)} s`);

const peerVersion = (
  JSON.parse(
    readFileSync(join(here, '..', 'node_modules', 'better-auth', 'package.json'), 'utf8'),
  ) as { version: string }
).version;
const summary = {
  cfg,
  machine: machine(),
  startedAt,
  loadAverage,
  minutes: (performance.now() - started) / 60_000,
  seedSeconds: { service: service.seconds, peer: peer.seconds },
  argon2PerSecond,
  rows,
  targets: judgeTargets(rows, argon2PerSecond),
  scaling: scalingRows,
  audit,
  peerVersion,
};
// The raw figures, so that results.md can be rendered again (render.ts) after findings.md changes.
writeFileSync(join(cfg.workDir, 'last-run.json'), JSON.stringify(summary, null, 1));
const out = process.env.BENCH_OUT ?? join(here, 'results.md');
writeFileSync(out, renderResults(summary));
log(`wrote ${out}`);
