import type { RequestSpec } from 'autocannon';
import { BENCH_PASSWORD } from './config.js';
import { sampleAgent } from './seed/events.js';

export type Target = 'raw' | 'service' | 'peer';

export interface Scenario {
  id: string;
  label: string;
  target: Target;
  /** Events stored per request (batch ingest reports events a second too). */
  eventsPerRequest?: number;
  request(data: LoadData): RequestSpec;
}

/** The seeded credentials the load rotates through. */
export interface LoadData {
  secrets: string[];
  emails: string[];
  peerKeys: string[];
}

/** Hands out the items of a list in turn, one per request, across all connections. */
function rotate<T>(list: T[]): () => T {
  if (list.length === 0) throw new Error('nothing to rotate through');
  let next = 0;
  return () => list[next++ % list.length]!;
}

function withHeader(spec: RequestSpec, name: string, values: () => string): RequestSpec {
  return {
    ...spec,
    setupRequest: (request) => ({
      ...request,
      headers: { ...request.headers, [name]: values() },
    }),
  };
}

function withBearer(spec: RequestSpec, secrets: string[]): RequestSpec {
  const secret = rotate(secrets);
  return withHeader(spec, 'authorization', () => `Bearer ${secret()}`);
}

const JSON_HEADERS = { 'content-type': 'application/json' };

function event(i: number) {
  return {
    event_type: 'tool.call',
    payload: { tool: 'http.get', target: `https://api.example.com/v1/items/${i}`, ok: true },
    metadata: { agent_id: `agent-${i % 50}`, timestamp: '2026-12-04T16:00:00Z' },
  };
}

const post = (path: string, body: unknown): RequestSpec => ({
  method: 'POST',
  path,
  headers: JSON_HEADERS,
  body: JSON.stringify(body),
});

const query = (body: Record<string, unknown>) => (d: LoadData) =>
  withBearer(post('/v1/events/query', body), d.secrets);

export const SCENARIOS: Scenario[] = [
  {
    id: 'raw',
    label: 'raw node:http (baseline)',
    target: 'raw',
    request: () => ({ method: 'GET', path: '/' }),
  },
  {
    id: 'raw-spin',
    label: 'raw node:http + 50 µs of CPU a request (calibration)',
    target: 'raw',
    request: () => ({ method: 'GET', path: '/spin' }),
  },
  {
    id: 'verify',
    label: 'GET /verify (PAT)',
    target: 'service',
    request: (d) => withBearer({ method: 'GET', path: '/verify' }, d.secrets),
  },
  {
    id: 'query',
    label: 'POST /v1/events/query, limit 50',
    target: 'service',
    request: query({ limit: 50 }),
  },
  {
    id: 'query-type',
    label: 'query, limit 50, event_type filter',
    target: 'service',
    request: query({ limit: 50, event_type: 'policy.denied' }),
  },
  {
    id: 'query-type-agent',
    label: 'query, limit 50, event_type + agent_id filter',
    target: 'service',
    request: query({ limit: 50, event_type: 'policy.denied', agent_id: sampleAgent() }),
  },
  {
    id: 'ingest',
    label: 'POST /v1/events/ingest (1 event)',
    target: 'service',
    eventsPerRequest: 1,
    request: (d) => withBearer(post('/v1/events/ingest', event(1)), d.secrets),
  },
  {
    id: 'batch',
    label: 'POST /v1/events/ingest/batch (100 events)',
    target: 'service',
    eventsPerRequest: 100,
    request: (d) =>
      withBearer(
        post('/v1/events/ingest/batch', {
          events: Array.from({ length: 100 }, (_, i) => event(i)),
        }),
        d.secrets,
      ),
  },
  {
    id: 'login',
    label: 'POST /login (argon2id)',
    target: 'service',
    request: (d) => {
      const email = rotate(d.emails);
      return {
        ...post('/login', {}),
        setupRequest: (request) => ({
          ...request,
          body: JSON.stringify({ email: email(), password: BENCH_PASSWORD }),
        }),
      };
    },
  },
  {
    id: 'peer',
    label: 'Better Auth: GET /verify (x-api-key → auth.api.verifyApiKey)',
    target: 'peer',
    request: (d) => withHeader({ method: 'GET', path: '/verify' }, 'x-api-key', rotate(d.peerKeys)),
  },
];
