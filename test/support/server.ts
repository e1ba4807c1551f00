import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { startServer, type RunningServer } from '../../src/server.js';

export const ADMIN_EMAIL = 'admin@example.test';
export const ADMIN_PASSWORD = 'correct horse battery staple';

export interface TestServer extends RunningServer {
  /** Every log line the server wrote, as text: tests search it for leaked secrets. */
  logs: string[];
  databaseUrl: string;
  env: Record<string, string>;
}

/**
 * A real server on a loopback port with its own fresh database: SQLite in a temporary folder, or a
 * new PostgreSQL database when TEST_POSTGRES_URL is set (the suite then runs on PostgreSQL).
 */
export async function startTestServer(env: Record<string, string> = {}): Promise<TestServer> {
  const database = await freshDatabase();
  const fullEnv: Record<string, string> = {
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: database.url,
    ABS_ADMIN_EMAIL: ADMIN_EMAIL,
    ABS_ADMIN_PASSWORD: ADMIN_PASSWORD,
    ABS_LOG_LEVEL: 'debug',
    // Each test server gets its own key space in the shared Redis, as separate deployments would.
    ...(process.env.TEST_REDIS_URL
      ? {
          REDIS_URL: process.env.TEST_REDIS_URL,
          ABS_REDIS_PREFIX: `abs-test-${Math.random().toString(36).slice(2, 10)}:`,
        }
      : {}),
    ...env,
  };
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  const logger = createLogger(fullEnv.ABS_LOG_LEVEL!, sink);
  const stderrWrite = process.stderr.write;
  process.stderr.write = () => true; // the first-admin banner is not test output
  let running: RunningServer;
  try {
    running = await startServer(loadConfig(fullEnv), { logger });
  } finally {
    process.stderr.write = stderrWrite;
  }
  return {
    ...running,
    logs,
    databaseUrl: database.url,
    env: fullEnv,
    async stop() {
      await running.stop();
      await database.drop();
    },
  };
}

export interface FreshDatabase {
  url: string;
  drop(): Promise<void>;
}

/** A fresh database for the tests of one file: made before them, dropped after them. */
export function useFreshDatabase(): { readonly url: string } {
  let database: FreshDatabase | undefined;
  beforeAll(async () => {
    database = await freshDatabase();
  });
  afterAll(() => database?.drop());
  return {
    get url() {
      return database!.url;
    },
  };
}

export async function freshDatabase(): Promise<FreshDatabase> {
  const admin = process.env.TEST_POSTGRES_URL;
  if (!admin) {
    const dir = mkdtempSync(join(tmpdir(), 'abs-test-'));
    return {
      url: `sqlite:${join(dir, 'abs.db')}`,
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const name = `abs_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  await client.query(`create database ${name}`);
  await client.end();
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: admin });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}
