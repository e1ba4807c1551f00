import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';

const root = join(import.meta.dirname, '..', '..');

/** The entry files of every process the benchmark starts besides itself. */
const ENTRIES = [
  'bench/servers/raw.ts',
  'bench/servers/abs.ts',
  'bench/peers/better-auth/server.ts',
  'bench/argon2.ts',
  'bench/audit-verify.ts',
];

/**
 * Compiles the child processes (and the product code they import) to JavaScript with tsc, emit
 * only (`npm run typecheck` checks types), so that every server runs on plain node like
 * `npm start` does: tsx would add its loader's memory (about 30 MB) to every process measured.
 */
export function buildChildren(outDir: string): void {
  rmSync(outDir, { recursive: true, force: true });
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const args = [
    tsc,
    '--outDir',
    outDir,
    '--rootDir',
    root,
    '--target',
    'ES2022',
    '--module',
    'NodeNext',
    '--moduleResolution',
    'NodeNext',
    '--esModuleInterop',
    '--skipLibCheck',
    '--strict',
    '--types',
    'node',
    '--sourceMap',
    'false',
    '--noCheck',
    ...ENTRIES.map((e) => join(root, e)),
    join(root, 'bench', 'lib', 'autocannon.d.ts'),
  ];
  const result = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8' });
  // src/version.ts reads the package file next to the folder it was compiled into.
  copyFileSync(join(root, 'package.json'), join(outDir, 'package.json'));
  const missing = ENTRIES.filter((e) => !existsSync(builtPath(outDir, e)));
  if (missing.length > 0) {
    throw new Error(`tsc did not emit ${missing.join(', ')}:\n${result.stdout}${result.stderr}`);
  }
}

/** Where the compiled form of a source file lands. */
export function builtPath(outDir: string, source: string): string {
  const rel = relative(root, join(root, source));
  return join(outDir, rel.replace(/\.ts$/, '.js'));
}
