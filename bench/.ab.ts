import { cpSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { mintSecret } from '../src/secrets.js';
import { measure } from './lib/load.js';
import { startChildServer } from './lib/proc.js';
import { serviceEnv } from './phases.js';
import { loadBenchConfig } from './config.js';
import { SCENARIOS } from './scenarios.js';
const work = join(import.meta.dirname, '.work');
const path = join(work, 'service.db');
const db = new SqliteDatabase(path);
const users = db.prepare("select id, org_id from users where role = 'operator' limit 50").all() as any[];
const secrets: string[] = [];
for (let i = 0; i < 200; i++) { const u = users[i % users.length]; const m = mintSecret('pat'); db.prepare("insert into tokens (id, org_id, user_id, name, environment, scope, secret_hash, prefix, created_at, created_by, expires_at, last_used_at) values (?, ?, ?, 'p', 'production', 'runtime:read runtime:write', ?, ?, 0, ?, ?, ?)").run('tok_p' + Math.random().toString(36).slice(2), u.org_id, u.id, m.hash, m.displayPrefix, u.id, Date.now() + 1e10, Date.now() + 1e9); secrets.push(m.secret); }
db.close();
function variant(name: string, patches: Array<[string, string, string]>) {
  const dir = join(work, 'ab-' + name);
  rmSync(dir, { recursive: true, force: true });
  cpSync(join(work, 'build'), dir, { recursive: true });
  for (const [file, from, to] of patches) {
    const f = join(dir, file); const s = readFileSync(f, 'utf8');
    if (!s.includes(from)) throw new Error('patch miss ' + file + ' ' + from);
    writeFileSync(f, s.replace(from, to));
  }
  return join(dir, 'bench/servers/abs.js');
}
const bodyPatch: [string, string, string] = ['src/http/app.js', 'OWN_BODY_LIMIT.test(c.req.path) ? next()', "OWN_BODY_LIMIT.test(c.req.path) || (c.req.header('content-length') === undefined && c.req.header('transfer-encoding') === undefined) ? next()"];
const mw = 'src/http/middleware.js';
const headerFix: Array<[string, string, string]> = [
  [mw, "c.header('x-request-id', requestId);", "c.res.headers.set('x-request-id', requestId);"],
  [mw, "c.header('x-content-type-options', 'nosniff');", "c.res.headers.set('x-content-type-options', 'nosniff');"],
  [mw, "c.header('x-frame-options', 'DENY');", "c.res.headers.set('x-frame-options', 'DENY');"],
  [mw, "c.header('referrer-policy', 'no-referrer');", "c.res.headers.set('referrer-policy', 'no-referrer');"],
  [mw, "c.header('cross-origin-opener-policy', 'same-origin');", "c.res.headers.set('cross-origin-opener-policy', 'same-origin');"],
  [mw, "c.header('content-security-policy', \"default-src 'none'; frame-ancestors 'none'\");", "c.res.headers.set('content-security-policy', \"default-src 'none'; frame-ancestors 'none'\");"],
  [mw, "c.header('cache-control', 'no-store');", "c.res.headers.set('cache-control', 'no-store');"],
  [mw, "c.header('strict-transport-security', 'max-age=31536000; includeSubDomains');", "c.res.headers.set('strict-transport-security', 'max-age=31536000; includeSubDomains');"],
];
const all: Record<string, () => { file: string; env?: Record<string, string> }> = {
  base: () => ({ file: variant('base', []) }),
  logWarn: () => ({ file: variant('base2', []), env: { ABS_LOG_LEVEL: 'warn' } }),
  bodySkip: () => ({ file: variant('body', [bodyPatch]) }),
  bodySkipWarn: () => ({ file: variant('body2', [bodyPatch]), env: { ABS_LOG_LEVEL: 'warn' } }),
  headers: () => ({ file: variant('headers', headerFix) }),
  headersBody: () => ({ file: variant('headersBody', [...headerFix, bodyPatch]) }),
  headersBodyWarn: () => ({ file: variant('headersBodyWarn', [...headerFix, bodyPatch]), env: { ABS_LOG_LEVEL: 'warn' } }),
  headersBodyAsyncLog: () => ({ file: variant('hbal', [...headerFix, bodyPatch, ['src/logger.js', '    }, destination);', '    }, destination ?? pino.destination({ dest: 1, sync: false, minLength: 4096 }));']]) }),
  headersBodyNoRedact: () => ({ file: variant('hbnr', [...headerFix, bodyPatch, ['src/logger.js', "        redact: { paths: REDACT, censor: '[redacted]' },", '']]) }),
  cache32: () => ({ file: variant('cache32', [['src/db/connect.js', "sqlite.pragma('busy_timeout = 5000');", "sqlite.pragma('busy_timeout = 5000'); sqlite.pragma('cache_size = -32768');"]]) }),
  pool2: () => ({ file: variant('pool2', []), env: { UV_THREADPOOL_SIZE: '2' } }),
};
const variants = Object.fromEntries((process.env.VARIANTS ?? 'base,logWarn,bodySkip,bodySkipWarn').split(',').map((n) => [n, all[n]!()]));
const emails = Array.from({ length: 150 }, (_, i) => `user${i + 50}@bench.example`);
const sc = SCENARIOS.find((x) => x.id === (process.env.SC ?? 'verify'))!;
const best: Record<string, { cpu: number; rps: number }> = {};
for (let round = 0; round < Number(process.env.ROUNDS ?? 3); round++) {
  for (const [name, v] of Object.entries(variants)) {
    const s = await startChildServer(name, v.file, { env: { ...serviceEnv(loadBenchConfig(), path), ...v.env } });
    const m = await measure(s.url, sc.request({ secrets, emails, peerKeys: [] }), { connections: 50, warmupSeconds: Number(process.env.WARM ?? 1), durationSeconds: Number(process.env.DUR ?? 3) }, s.pid);
    await s.stop();
    const b = best[name] ?? { cpu: Infinity, rps: 0 };
    best[name] = { cpu: Math.min(b.cpu, m.cpuUs), rps: Math.max(b.rps, m.rps), rss: Math.max((b as any).rss ?? 0, m.rssMB), p99: m.p99 } as any;
    console.error(round, name, m.cpuUs.toFixed(0), Math.round(m.rps), m.statusCodes);
  }
}
console.error(best);
