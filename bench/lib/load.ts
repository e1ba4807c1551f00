import autocannon, { type RequestSpec, type Result } from 'autocannon';
import { cpuMs, sampleRss } from './proc.js';

export interface LoadShape {
  connections: number;
  warmupSeconds: number;
  durationSeconds: number;
}

export interface Measurement {
  rps: number;
  p50: number;
  p99: number;
  /** Highest server RSS seen during the measured window, MB. */
  rssMB: number;
  /** Server CPU time per successful request, µs: comparable even on a busy machine. */
  cpuUs: number;
  requests: number;
  failures: number;
  statusCodes: Record<string, number>;
}

/** A warm-up run, then the measured run, against one server process. */
export async function measure(
  url: string,
  request: RequestSpec,
  shape: LoadShape,
  serverPid: number,
): Promise<Measurement> {
  await run(url, request, shape.connections, shape.warmupSeconds, undefined);
  const latencies = new Latencies();
  const rss = sampleRss(serverPid);
  const cpuBefore = cpuMs(serverPid);
  const result = await run(url, request, shape.connections, shape.durationSeconds, latencies);
  const cpu = cpuMs(serverPid) - cpuBefore;
  const peak = rss.stop();
  const ok = result['2xx'];
  return {
    rps: ok / result.duration,
    p50: latencies.percentile(0.5),
    p99: latencies.percentile(0.99),
    rssMB: peak,
    cpuUs: ok > 0 ? (cpu * 1000) / ok : Number.NaN,
    requests: ok,
    failures: result.non2xx + result.errors + result.timeouts,
    statusCodes: Object.fromEntries(
      Object.entries(result.statusCodeStats).map(([code, s]) => [code, s.count]),
    ),
  };
}

async function run(
  url: string,
  request: RequestSpec,
  connections: number,
  seconds: number,
  latencies: Latencies | undefined,
): Promise<Result> {
  const instance = autocannon({
    url,
    connections,
    duration: seconds,
    pipelining: 1,
    timeout: 30,
    requests: [request],
  });
  // autocannon's own histogram counts whole milliseconds; this keeps the exact times.
  if (latencies) {
    instance.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
      if (status >= 200 && status < 300) latencies.add(ms);
    });
  }
  return instance;
}

/** Response times of successful requests, in milliseconds. */
class Latencies {
  private values = new Float64Array(1 << 16);
  private size = 0;

  add(ms: number): void {
    if (this.size === this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.size++] = ms;
  }

  percentile(q: number): number {
    if (this.size === 0) return Number.NaN;
    const sorted = this.values.subarray(0, this.size).sort();
    return sorted[Math.min(this.size - 1, Math.floor(q * this.size))]!;
  }
}
