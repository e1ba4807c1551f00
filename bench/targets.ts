import { fmt, type ScenarioResult, type Target } from './lib/report.js';

const MB_LIMIT = 200;

function of(rows: ScenarioResult[], id: string): ScenarioResult[] {
  return rows.filter((r) => r.scenario.id === id);
}

/** The worst round decides: a target met only on a lucky round is not met. */
function worst(values: number[], higherIsBetter: boolean): number {
  if (values.length === 0 || values.some((v) => !Number.isFinite(v))) return Number.NaN;
  return higherIsBetter ? Math.min(...values) : Math.max(...values);
}

/** Undefined (not measured) when the figure is missing, else whether the goal was met. */
function judged(value: number, met: boolean): boolean | undefined {
  return Number.isFinite(value) ? met : undefined;
}

/** The targets, each judged on the worst round. */
export function judgeTargets(rows: ScenarioResult[], argon2PerSecond: number): Target[] {
  const verify = of(rows, 'verify');
  const verifyRatio = worst(
    verify.map((r) => r.m.rps / r.baseline.rps),
    true,
  );
  const verifyP99 = worst(
    verify.map((r) => r.m.p99),
    false,
  );
  const queryIds = ['query', 'query-type', 'query-type-agent'];
  const queryP99 = worst(
    queryIds.flatMap((id) => of(rows, id).map((r) => r.m.p99)),
    false,
  );
  const batch = worst(
    of(rows, 'batch').map((r) => r.m.rps * 100),
    true,
  );
  const login = worst(
    of(rows, 'login').map((r) => r.m.rps),
    true,
  );
  const peerRatio = worst(
    of(rows, 'peer').map((p) => {
      const ours = verify.find((v) => v.round === p.round);
      return ours && p.m.rps > 0 ? ours.m.rps / p.m.rps : Number.NaN;
    }),
    true,
  );
  const service = rows.filter((r) => r.scenario.target === 'service');
  const rss = worst(
    service.map((r) => r.m.rssMB),
    false,
  );
  return [
    {
      name: '/verify throughput',
      goal: '≥ 0.60 × raw req/s',
      measured: `${fmt(verifyRatio, 2)} × raw`,
      met: judged(verifyRatio, verifyRatio >= 0.6),
    },
    {
      name: '/verify latency',
      goal: 'p99 ≤ 5 ms',
      measured: `p99 ${fmt(verifyP99, 2)} ms`,
      met: judged(verifyP99, verifyP99 <= 5),
    },
    {
      name: '/v1/events/query on the seeded events',
      goal: 'p99 ≤ 15 ms (every variant)',
      measured: `worst p99 ${fmt(queryP99, 2)} ms`,
      met: judged(queryP99, queryP99 <= 15),
    },
    {
      name: 'batch ingest on SQLite',
      goal: '≥ 20,000 events/s',
      measured: `${fmt(batch)} events/s`,
      met: judged(batch, batch >= 20_000),
    },
    {
      name: 'login',
      goal: '≥ 0.80 × argon2id alone',
      measured:
        `${fmt(login)} /s ÷ ${fmt(argon2PerSecond)} /s = ` + `${fmt(login / argon2PerSecond, 2)}`,
      met: judged(login, login / argon2PerSecond >= 0.8),
    },
    {
      name: 'vs Better Auth API-key verify',
      goal: '≥ 3 × its req/s',
      measured: `${fmt(peerRatio, 2)} ×`,
      met: judged(peerRatio, peerRatio >= 3),
    },
    {
      name: 'service RSS under load',
      goal: `≤ ${MB_LIMIT} MB`,
      measured: `peak ${fmt(rss)} MB`,
      met: judged(rss, rss <= MB_LIMIT),
    },
  ];
}
