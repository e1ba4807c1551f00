import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface CurlReply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * Runs the real curl binary. Used where a client must see an answer the server sends before it
 * has read the whole request (413 on a huge body), and for the spec's curl examples.
 */
export async function curl(args: string[]): Promise<CurlReply> {
  const { stdout } = await run('curl', ['-s', '-i', ...args], { maxBuffer: 16 * 1024 * 1024 });
  const split = stdout.indexOf('\r\n\r\n');
  const head = stdout.slice(0, split).split('\r\n');
  const status = Number(/^HTTP\/[\d.]+ (\d{3})/.exec(head[0] ?? '')?.[1]);
  const headers: Record<string, string> = {};
  for (const line of head.slice(1)) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { status, headers, body: stdout.slice(split + 4) };
}
