#!/usr/bin/env -S node --max-semi-space-size=4 --heap-growing-percent=100
'use strict';
// The package's command; the compiled CLI lives in dist/ (built by `npm install` via `prepare`).
//
// V8's memory settings (measured in bench/findings.md, items 11 and 17):
// - the young generation is capped at 4 MB a half (Node's default is 16): under 20,000 token
//   checks a second that keeps the service about 27 MB smaller, at the same speed;
// - the old generation may grow to twice what the last full collection left alive, where V8
//   lets it reach up to 4 times under load: 40-60 MB less at the peak of every load measured,
//   for a few per cent more CPU under batch ingest. 1.5 times saved 10 MB more but ran full
//   collections so often that the token check's p99 went from 4-5 to 6.5-7 ms. The setting
//   moves when a collection starts, never how much the heap may hold, so a burst of large
//   requests cannot run out of memory because of it.
// A V8 heap setting cannot be changed once the process runs, hence the first line here and the
// `start` script in package.json, which pass the same flags (a test checks that they agree).
//
// libuv's thread pool runs the argon2id checks, each holding 19 MiB while it runs. Its default of
// 4 threads lets 4 run at once even on 2 cores: no faster, but 38 MB more memory under a burst of
// sign-ins (measured in bench/findings.md). One thread a core, at least 2 so a file or DNS task
// never waits behind a lone password check. An operator's own setting wins. This file is
// CommonJS (bin/package.json says so) because the pool starts with the first asynchronous file
// read, and loading an ES module entry point does one: the size must be set before that.
if (!process.env.UV_THREADPOOL_SIZE) {
  const cores = require('node:os').availableParallelism();
  process.env.UV_THREADPOOL_SIZE = String(Math.max(2, cores));
}
import('../dist/cli/main.js');
