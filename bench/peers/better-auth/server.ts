import { createServer, type ServerResponse } from 'node:http';
import { toNodeHandler } from 'better-auth/node';
import { announceReady } from '../../lib/proc.js';
import { createPeerAuth } from './auth.js';

// Better Auth 1.4 serves API-key verification to server code only (`auth.api.verifyApiKey` has
// no HTTP route), so this is what a team would write: its handler for /api/auth/*, and a
// /verify route on plain node:http (no framework cost) that reads `x-api-key` and asks it.
const path = process.env.PEER_DB;
if (!path) throw new Error('PEER_DB: the seeded Better Auth database file');
const { auth, database } = createPeerAuth(path);
const handler = toNodeHandler(auth);

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(text);
}

const server = createServer((req, res) => {
  if (req.method !== 'GET' || req.url !== '/verify') return void handler(req, res);
  const key = req.headers['x-api-key'];
  if (typeof key !== 'string') return send(res, 401, { valid: false });
  auth.api.verifyApiKey({ body: { key } }).then(
    (result) =>
      send(
        res,
        result.valid ? 200 : 401,
        result.valid
          ? { valid: true, keyId: result.key?.id, userId: result.key?.userId }
          : { valid: false, error: result.error?.code },
      ),
    () => send(res, 500, { valid: false }),
  );
});

server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  announceReady(port, async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    database.close();
  });
});
