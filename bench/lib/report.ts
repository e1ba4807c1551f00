import type { Scenario } from '../scenarios.js';
import type { Measurement } from './load.js';

export interface ScenarioResult {
  round: number;
  scenario: Scenario;
  m: Measurement;
  baseline: Measurement;
}

export interface ScalingResult {
  tokens: number;
  m: Measurement;
}

export interface AuditResult {
  entries: number;
  intact: boolean;
  seconds: number;
  peakRssMB: number;
  seedSeconds: number;
}

export const fmt = (n: number, digits = 0) =>
  Number.isFinite(n)
    ? n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })
    : 'n/a';

const ratio = (a: number, b: number) => (b > 0 ? fmt(a / b, 2) : 'n/a');

export function loadTable(rows: ScenarioResult[]): string {
  const head =
    '| scenario | round | req/s | events/s | p50 ms | p99 ms | RSS MB | CPU µs/req | ' +
    'req/s ÷ raw | p50 ÷ raw | p99 ÷ raw | RSS ÷ raw | failed |\n' +
    '|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|';
  const lines = rows.map(({ round, scenario, m, baseline: b }) => {
    const events = scenario.eventsPerRequest ? fmt(m.rps * scenario.eventsPerRequest) : '';
    return (
      `| ${scenario.label} | ${round} | ${fmt(m.rps)} | ${events} | ${fmt(m.p50, 2)} | ` +
      `${fmt(m.p99, 2)} | ${fmt(m.rssMB)} | ${fmt(m.cpuUs)} | ${ratio(m.rps, b.rps)} | ` +
      `${ratio(m.p50, b.p50)} | ` +
      `${ratio(m.p99, b.p99)} | ${ratio(m.rssMB, b.rssMB)} | ${m.failures}${codes(m)} |`
    );
  });
  return [head, ...lines].join('\n');
}

/** Status codes other than 2xx, so a failing scenario cannot pass for a fast one. */
function codes(m: Measurement): string {
  const odd = Object.entries(m.statusCodes).filter(([code]) => !code.startsWith('2'));
  return odd.length ? ` (${odd.map(([c, n]) => `${c}×${n}`).join(', ')})` : '';
}

export function scalingTable(rows: ScalingResult[]): string {
  const head =
    '| tokens in the database | req/s | p50 ms | p99 ms | RSS MB | CPU µs/req | failed |\n' +
    '|--:|--:|--:|--:|--:|--:|--:|';
  const lines = rows.map(
    ({ tokens, m }) =>
      `| ${fmt(tokens)} | ${fmt(m.rps)} | ${fmt(m.p50, 2)} | ${fmt(m.p99, 2)} | ` +
      `${fmt(m.rssMB)} | ${fmt(m.cpuUs)} | ${m.failures}${codes(m)} |`,
  );
  return [head, ...lines].join('\n');
}

export interface Target {
  name: string;
  goal: string;
  measured: string;
  /** Undefined when the scenarios it needs did not run. */
  met: boolean | undefined;
}

export function targetTable(targets: Target[]): string {
  const head = '| target | goal | measured | met |\n|---|---|---|---|';
  const lines = targets.map((t) =>
    t.met === undefined
      ? `| ${t.name} | ${t.goal} | not measured in this run | |`
      : `| ${t.name} | ${t.goal} | ${t.measured} | ${t.met ? 'yes' : '**no**'} |`,
  );
  return [head, ...lines].join('\n');
}
