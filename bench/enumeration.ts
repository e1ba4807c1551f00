/**
 * Does a sign-in take longer when the email has an account? Times failed sign-ins for an unknown
 * email, for a known email with a wrong password, and for a known account that has no password
 * (GitHub only), and prints the medians and their ratios: once over HTTP (what a client sees),
 * once calling checkPassword directly (the server's own work, free of HTTP and client noise).
 *
 *   npm run bench:enumeration            (ENUM_SAMPLES=300 for more samples)
 *
 * Exits 1 when a median differs from the unknown-email median by more than ENUM_TOLERANCE
 * (default 0.15, i.e. 15 %). Kept out of the unit tests: timings on a shared machine are noisy.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createUser } from '../src/admin/users.js';
import { checkPassword } from '../src/auth/login.js';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { startServer } from '../src/server.js';

const SAMPLES = Number(process.env.ENUM_SAMPLES ?? 150);
const WARMUP = 10;
const TOLERANCE = Number(process.env.ENUM_TOLERANCE ?? 0.15);
/** Failures per account, under the five free ones, so the account back-off never starts. */
const TRIES_PER_ACCOUNT = 4;
const WRONG = 'not the password 123';

type Kind = 'unknown email' | 'wrong password' | 'no password';
const KINDS: Kind[] = ['unknown email', 'wrong password', 'no password'];

const dir = mkdtempSync(join(tmpdir(), 'abs-enum-'));
const stderr = process.stderr.write.bind(process.stderr);
process.stderr.write = () => true; // the first-admin banner
const server = await startServer(
  loadConfig({
    PORT: '0',
    DATABASE_URL: `sqlite:${join(dir, 'abs.db')}`,
    ABS_ADMIN_EMAIL: 'admin@example.test',
    ABS_ADMIN_PASSWORD: 'correct horse battery staple',
    // Each sample comes from its own address, so the per-address back-off never starts either.
    ABS_TRUST_PROXY: '127.0.0.1',
  }),
  { logger: createLogger('silent') },
);
process.stderr.write = stderr;

try {
  console.log('over HTTP (what a client sees):');
  report(await measure('http', 0));
  console.log("\ncheckPassword alone (the server's work, without HTTP and client noise):");
  report(await measure('direct', 1));
} finally {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
}

/**
 * Times every kind of failed sign-in, in rounds of one of each kind in a random order: a change of
 * load on the machine then falls on every kind alike. `pass` keeps the accounts of passes apart.
 */
async function measure(how: 'http' | 'direct', pass: number): Promise<Record<Kind, number[]>> {
  const accounts = await makeAccounts(Math.ceil((SAMPLES + WARMUP) / TRIES_PER_ACCOUNT), pass);
  const plan = Array.from({ length: SAMPLES + WARMUP }, () => shuffle([...KINDS])).flat();
  const used = { 'wrong password': 0, 'no password': 0, 'unknown email': 0 };
  const times: Record<Kind, number[]> = {
    'unknown email': [],
    'wrong password': [],
    'no password': [],
  };
  for (const [i, kind] of plan.entries()) {
    const n = used[kind]++;
    const account = Math.floor(n / TRIES_PER_ACCOUNT);
    const email =
      kind === 'unknown email'
        ? `nobody-${pass}-${n}@example.test`
        : kind === 'wrong password'
          ? accounts.withPassword[account]!
          : accounts.withoutPassword[account]!;
    const ip = `10.${pass}.${(i >> 8) & 255}.${i & 255}`;
    const elapsed = how === 'http' ? await timeSignIn(email, ip) : await timeCheck(email, ip);
    if (n >= WARMUP) times[kind].push(elapsed);
  }
  return times;
}

async function timeCheck(email: string, ip: string): Promise<number> {
  const started = performance.now();
  const outcome = await checkPassword(server.services, email, WRONG, { ip, userAgent: null });
  const elapsed = performance.now() - started;
  if (outcome.ok || outcome.reason !== 'invalid_credentials') {
    throw new Error(`expected invalid_credentials for ${email}`);
  }
  return elapsed;
}

async function makeAccounts(count: number, pass: number) {
  const org = await server.services.db
    .selectFrom('organizations')
    .select('id')
    .executeTakeFirstOrThrow();
  const withPassword: string[] = [];
  const withoutPassword: string[] = [];
  for (let i = 0; i < count; i += 1) {
    for (const hasPassword of [true, false]) {
      const email = `${hasPassword ? 'pw' : 'gh'}-${pass}-${i}@example.test`;
      const input = { orgId: org.id, email, role: 'viewer' as const };
      const made = await createUser(
        server.services,
        hasPassword ? { ...input, password: `a good password ${i}` } : input,
        { type: 'cli' },
      );
      if (!made.ok) throw new Error(made.detail);
      (hasPassword ? withPassword : withoutPassword).push(email);
    }
  }
  return { withPassword, withoutPassword };
}

async function timeSignIn(email: string, ip: string): Promise<number> {
  const started = performance.now();
  const response = await fetch(`${server.url}/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': ip },
    body: JSON.stringify({ email, password: WRONG }),
  });
  await response.text();
  const elapsed = performance.now() - started;
  if (response.status !== 401) throw new Error(`expected 401 for ${email}, got ${response.status}`);
  return elapsed;
}

function report(times: Record<Kind, number[]>): void {
  const base = median(times['unknown email']);
  let worst = 0;
  console.log(`sign-in timing, ${SAMPLES} samples each (ms)`);
  console.log('kind             median    p10     p90     ratio to unknown email');
  for (const kind of KINDS) {
    const sorted = [...times[kind]].sort((a, b) => a - b);
    const m = median(sorted);
    const ratio = m / base;
    worst = Math.max(worst, Math.abs(ratio - 1));
    console.log(
      `${kind.padEnd(16)} ${fmt(m)} ${fmt(pick(sorted, 0.1))} ${fmt(pick(sorted, 0.9))} ` +
        ratio.toFixed(3),
    );
  }
  const verdict = worst <= TOLERANCE ? 'indistinguishable' : 'DISTINGUISHABLE';
  console.log(`largest median difference: ${(worst * 100).toFixed(1)} % -> ${verdict}`);
  if (worst > TOLERANCE) process.exitCode = 1;
}

function median(values: number[]): number {
  return pick(
    [...values].sort((a, b) => a - b),
    0.5,
  );
}

function pick(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

function fmt(ms: number): string {
  return ms.toFixed(2).padStart(7);
}

function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i -= 1) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}
