import { cpus } from 'node:os';
import { join } from 'node:path';

/** How big and how long: `full` is the scale; `small` builds and debugs the harness. */
export interface BenchConfig {
  scale: 'small' | 'full';
  orgs: number;
  users: number;
  tokens: number;
  events: number;
  auditEntries: number;
  /** Token counts of the scaling run: verification should cost the same at both. */
  scalingTokens: [number, number];
  /** Secrets kept in memory for the load generator. */
  sampleSecrets: number;
  rounds: number;
  warmupSeconds: number;
  durationSeconds: number;
  scalingSeconds: number;
  connections: number;
  workDir: string;
  cpuProfile: boolean;
  /** The service's ABS_LOG_LEVEL: `info`, its default, unless BENCH_LOG_LEVEL says otherwise. */
  logLevel: string;
}

const PRESETS = {
  small: {
    orgs: 5,
    users: 200,
    tokens: 2_000,
    events: 20_000,
    auditEntries: 20_000,
    scalingTokens: [1_000, 20_000] as [number, number],
    sampleSecrets: 500,
    rounds: 1,
    warmupSeconds: 1,
    durationSeconds: 3,
    scalingSeconds: 2,
  },
  full: {
    orgs: 50,
    users: 10_000,
    tokens: 100_000,
    events: 1_000_000,
    auditEntries: 1_000_000,
    scalingTokens: [1_000, 1_000_000] as [number, number],
    sampleSecrets: 5_000,
    rounds: 2,
    warmupSeconds: 5,
    durationSeconds: 15,
    scalingSeconds: 10,
  },
};

function positive(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

export function loadBenchConfig(): BenchConfig {
  const scale = process.env.BENCH_SCALE === 'small' ? 'small' : 'full';
  const preset = PRESETS[scale];
  return {
    scale,
    ...preset,
    rounds: positive('BENCH_ROUNDS', preset.rounds),
    warmupSeconds: positive('BENCH_WARMUP', preset.warmupSeconds),
    durationSeconds: positive('BENCH_DURATION', preset.durationSeconds),
    connections: positive('BENCH_CONNECTIONS', 50),
    // Inside the work tree (ignored by git): the compiled servers resolve node_modules from here.
    workDir: process.env.BENCH_DIR ?? join(import.meta.dirname, '.work'),
    cpuProfile: process.env.BENCH_CPU_PROF === '1',
    logLevel: process.env.BENCH_LOG_LEVEL ?? 'info',
  };
}

export function machine(): { cores: number; cpu: string; node: string } {
  const list = cpus();
  return { cores: list.length, cpu: list[0]?.model.trim() ?? 'unknown', node: process.version };
}

/** One budget for every benchmark run: the service's own default (600/60s) would refuse load. */
export const BENCH_RATE_LIMIT = '9999999/60s';
/** The one password of every seeded user (its argon2id hash is computed once). */
export const BENCH_PASSWORD = 'bench-password-0123456789';
