import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Vitest global setup: `npx vitest run` alone serves freshly built pages. */
export default function buildWeb(): void {
  const script = fileURLToPath(new URL('../../../scripts/build-web.mjs', import.meta.url));
  execFileSync(process.execPath, [script], { stdio: ['ignore', 'ignore', 'inherit'] });
}
