import { request } from 'node:http';
import { connect } from 'node:net';

export interface RawReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

export interface RawRequest {
  method: string;
  /** Already encoded: sent as written. */
  path: string;
  headers?: Record<string, string>;
  body?: Buffer | string;
}

/**
 * One request on its own connection, with bytes exactly as given: `fetch` would normalise or
 * refuse some of what a hostile client can send (latin-1 header bytes, bodies on GET).
 */
export function send(server: { url: string }, req: RawRequest): Promise<RawReply> {
  const url = new URL(server.url);
  const headers = { ...req.headers };
  // Node frames a GET body with neither length nor chunking: the server would read it as the
  // next request. A real client that sends a body says how long it is.
  if (req.body !== undefined) headers['content-length'] = String(Buffer.byteLength(req.body));
  return new Promise((resolve, reject) => {
    const outgoing = request(
      {
        host: url.hostname,
        port: url.port,
        method: req.method,
        path: req.path,
        headers,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    // A server may answer (413) and close before the whole body is written: that is an answer.
    outgoing.on('error', reject);
    outgoing.end(req.body);
  });
}

/** Bytes straight onto a socket, for requests no HTTP client library will write. */
export function sendBytes(server: { url: string }, bytes: string | Buffer): Promise<string> {
  const url = new URL(server.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname);
    let out = '';
    socket.on('data', (chunk) => (out += chunk.toString('latin1')));
    socket.on('end', () => resolve(out));
    socket.on('close', () => resolve(out));
    socket.on('error', (error: NodeJS.ErrnoException) =>
      error.code === 'ECONNRESET' ? resolve(out) : reject(error),
    );
    socket.write(bytes);
    // Half-close: the server sees the end of the request and answers what it has.
    setTimeout(() => socket.end(), 50);
  });
}

/** The status of the first answer on a raw socket, or 0 when the server said nothing. */
export function statusOf(raw: string): number {
  const match = /^HTTP\/1\.[01] (\d{3})/.exec(raw);
  return match ? Number(match[1]) : 0;
}
