import { BENCH_PASSWORD } from './config.js';
import { hashPassword, verifyPassword } from '../src/passwords.js';

// How many password checks a second argon2id alone allows here, with the service's own
// parameters and as many checks in flight as the login load has connections. Run as a child
// process so that nothing else shares its thread pool.
const seconds = Number(process.argv[2] ?? 5);
const inFlight = Number(process.argv[3] ?? 50);
const stored = await hashPassword(BENCH_PASSWORD);

async function checksFor(ms: number): Promise<number> {
  const until = performance.now() + ms;
  let done = 0;
  const worker = async () => {
    while (performance.now() < until) {
      if (!(await verifyPassword(stored, BENCH_PASSWORD))) throw new Error('argon2 check failed');
      done += 1;
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  return done;
}

await checksFor(1000);
const started = performance.now();
const done = await checksFor(seconds * 1000);
const perSecond = done / ((performance.now() - started) / 1000);
process.send?.({ perSecond });
process.disconnect?.();
