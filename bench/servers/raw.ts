import { createServer } from 'node:http';
import { announceReady } from '../lib/proc.js';

// The ceiling for one Node process: no routing, no middleware, no database, a small JSON body
// of about the size of a /verify answer.
const body = JSON.stringify({
  active: true,
  type: 'pat',
  tokenId: 'tok_0000000000000000',
  userId: 'usr_0000000000000000',
  email: 'someone@bench.example',
  role: 'operator',
  scope: 'runtime:read runtime:write',
  environment: 'production',
  expiresAt: '2027-12-04T00:00:00.000Z',
});

/**
 * `/spin` first keeps the CPU busy for SPIN_US: the calibration row, which shows what any fixed
 * amount of work a request costs on this machine, apart from what the work is.
 */
const SPIN_US = 50;

function spin(microseconds: number): void {
  const until = performance.now() + microseconds / 1000;
  while (performance.now() < until);
}

const server = createServer((req, res) => {
  if (req.url === '/spin') spin(SPIN_US);
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
  res.end(body);
});

server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  announceReady(port, () => new Promise<void>((resolve) => server.close(() => resolve())));
});
