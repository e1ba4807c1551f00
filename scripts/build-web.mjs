#!/usr/bin/env node
// Builds the dashboard into dist/web: one hashed script, one hashed stylesheet and the HTML shell
// that names them. Everything the pages need is in that folder, so the dashboard works offline.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'dist', 'web');
// Built beside the target and swapped in at the end, so a running server never sees half a build.
const workDir = join(root, 'dist', `web.build-${process.pid}`);

const result = await build({
  entryPoints: { app: join(root, 'web/src/main.ts'), style: join(root, 'web/styles/main.css') },
  outdir: join(workDir, 'assets'),
  entryNames: '[name]-[hash]',
  bundle: true,
  minify: true,
  sourcemap: false,
  format: 'esm',
  target: ['chrome110', 'firefox110', 'safari16'],
  legalComments: 'none',
  metafile: true,
  logLevel: 'warning',
});

const outputs = Object.entries(result.metafile.outputs).map(([file, meta]) => ({
  file: file.slice(file.lastIndexOf('/') + 1),
  entry: meta.entryPoint ?? '',
}));
const script = outputs.find((o) => o.entry.endsWith('main.ts'))?.file;
const style = outputs.find((o) => o.entry.endsWith('main.css'))?.file;
if (!script || !style) throw new Error('build-web: esbuild produced no script or stylesheet');

const icon = readFileSync(join(root, 'web/favicon.svg'));
const iconName = `icon-${createHash('sha256').update(icon).digest('hex').slice(0, 8)}.svg`;
copyFileSync(join(root, 'web/favicon.svg'), join(workDir, 'assets', iconName));

const shell = readFileSync(join(root, 'web/index.html'), 'utf8')
  .replaceAll('%SCRIPT%', `/assets/${script}`)
  .replaceAll('%STYLE%', `/assets/${style}`)
  .replaceAll('%ICON%', `/assets/${iconName}`);
writeFileSync(join(workDir, 'index.html'), shell);

mkdirSync(join(root, 'dist'), { recursive: true });
rmSync(outDir, { recursive: true, force: true });
renameSync(workDir, outDir);
console.log(`built dashboard: dist/web (${script}, ${style})`);
