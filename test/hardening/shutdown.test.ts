import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { request, type ClientRequest, type IncomingMessage } from 'node:http';
import { connect as connectSocket, createServer, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { connect } from '../../src/db/connect.js';
import { call, expectStatus } from '../support/client.js';
import { FROM_SOURCES, spawnServer } from '../support/process.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD, useFreshDatabase } from '../support/server.js';

const database = useFreshDatabase();

/** Resolves true once nothing accepts a connection on the server's port any more. */
async function refusesConnections(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const refused = await new Promise<boolean>((resolve) => {
      const socket = connectSocket(Number(port), hostname);
      socket.once('connect', () => {
        socket.destroy();
        resolve(false);
      });
      socket.once('error', () => resolve(true));
    });
    if (refused) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return false;
}

/** A request whose body is sent in two parts, so it can be kept in flight as long as needed. */
function slowUpload(url: string, path: string, token: string, body: string) {
  const { hostname, port } = new URL(url);
  let req!: ClientRequest;
  const answered = new Promise<{ status: number; text: string }>((resolve, reject) => {
    req = request(
      {
        host: hostname,
        port,
        path,
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
        },
      },
      (res: IncomingMessage) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on('error', reject);
  });
  const half = Math.floor(body.length / 2);
  const halfSent = new Promise<void>((resolve) => req.write(body.slice(0, half), () => resolve()));
  return { answered, halfSent, finish: () => req.end(body.slice(half)) };
}

/**
 * Waits until the server has authenticated the upload (it stamps the token's first use a moment
 * later): the request is then in flight, its handler waiting for the rest of the body.
 */
async function authenticated(tokenId: string): Promise<void> {
  const db = connect(database.url);
  try {
    for (let attempt = 0; attempt < 200; attempt += 1) {
      const row = await db.db
        .selectFrom('tokens')
        .select('last_used_at')
        .where('id', '=', tokenId)
        .executeTakeFirstOrThrow();
      if (row.last_used_at !== null) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error('the upload never reached the server');
  } finally {
    await db.close();
  }
}

describe('SIGTERM', () => {
  it('stops accepting, finishes the request in flight, closes the database, exits 0', async () => {
    const server = await spawnServer({
      DATABASE_URL: database.url,
      ABS_ADMIN_EMAIL: ADMIN_EMAIL,
      ABS_ADMIN_PASSWORD: ADMIN_PASSWORD,
    });
    const signIn = await call(server, 'POST', '/login', {
      json: { email: ADMIN_EMAIL, password: ADMIN_PASSWORD },
    });
    expectStatus(signIn, 200);
    const pat = await call(server, 'POST', '/token', { token: signIn.body.token, json: {} });
    expectStatus(pat, 201);

    const body = JSON.stringify({
      event_type: 'shutdown.inflight',
      payload: { pad: 'x'.repeat(2000) },
    });
    const upload = slowUpload(server.url, '/v1/events/ingest', pat.body.accessToken, body);
    await upload.halfSent;
    await authenticated(pat.body.tokenId);
    const exited = server.stop();

    expect(await refusesConnections(server.url)).toBe(true);
    upload.finish();
    const reply = await upload.answered;
    expect(reply.status, reply.text).toBe(201);
    const { id } = JSON.parse(reply.text) as { id: string };

    expect(await exited).toBe(0);
    expect(server.output()).toMatch(/"msg":"shutdown requested"/);
    expect(server.output()).toMatch(/"msg":"server stopped"/);

    // A clean close of the last SQLite connection checkpoints the log and removes it.
    if (database.url.startsWith('sqlite:')) {
      const file = database.url.slice('sqlite:'.length);
      expect(existsSync(`${file}-wal`)).toBe(false);
    }
    const db = connect(database.url);
    try {
      const stored = await db.db.selectFrom('events').select('id').where('id', '=', id).execute();
      expect(stored).toHaveLength(1);
    } finally {
      await db.close();
    }
  });

  it('while the server waits for its database, ends the process with 143 at once', async () => {
    // A "database" that accepts the connection and never answers: the service stays inside its
    // start, past the point where its signal handlers went in, for as long as the test wants.
    const held: Socket[] = [];
    let connected!: () => void;
    const reached = new Promise<void>((resolve) => (connected = resolve));
    const silent = createServer((socket) => {
      held.push(socket);
      connected();
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as { port: number };
    const [command, ...args] = FROM_SOURCES;
    const child = spawn(command!, args, {
      env: {
        PATH: process.env.PATH ?? '',
        HOST: '127.0.0.1',
        PORT: '0',
        DATABASE_URL: `postgres://abs:abs@127.0.0.1:${port}/abs`,
        ABS_ADMIN_EMAIL: ADMIN_EMAIL,
        ABS_ADMIN_PASSWORD: ADMIN_PASSWORD,
      },
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    try {
      await reached;
      const sent = Date.now();
      child.kill('SIGTERM');
      // Killed by the default action it would report signal SIGTERM and no code.
      expect(await exited, output).toEqual({ code: 143, signal: null });
      // Well before the 5 s connection timeout would have ended the start on its own.
      expect(Date.now() - sent).toBeLessThan(4000);
      expect(output).not.toMatch(/server started/);
    } finally {
      child.kill('SIGKILL');
      held.forEach((socket) => socket.destroy());
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});
