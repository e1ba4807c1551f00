import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadBenchConfig } from './config.js';
import { renderResults, type RunSummary } from './results.js';
import { judgeTargets } from './targets.js';

// Writes bench/results.md again from the figures of the last `npm run bench` (with the current
// findings.md), without measuring anything: `npx tsx bench/render.ts`.
const cfg = loadBenchConfig();
const summary = JSON.parse(readFileSync(join(cfg.workDir, 'last-run.json'), 'utf8')) as RunSummary;
const out = process.env.BENCH_OUT ?? join(import.meta.dirname, 'results.md');
summary.targets = judgeTargets(summary.rows, summary.argon2PerSecond);
writeFileSync(out, renderResults(summary));
process.stderr.write(`wrote ${out}\n`);
