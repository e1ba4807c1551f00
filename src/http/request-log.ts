import type { Logger } from '../logger.js';

/** What the one log line of every answered request holds. */
export interface RequestLine {
  reqId: string;
  method: string;
  path: string;
  status: number;
  /** Start to answer, in milliseconds. */
  started: number;
  ip: string;
}

// A secret pasted into a URL by mistake (`/tokens/abs_pat_…`) is masked before the path is
// logged: field redaction cannot see inside a value.
const SECRET_IN_PATH = /abs_(pat|ses)_[0-9A-Za-z]*/g;
const MAX_PATH = 200;

/** Writes the request line: `info`, or `error` for a 5xx. */
export function logRequest(logger: Logger, line: RequestLine): void {
  const level = line.status >= 500 ? 'error' : 'info';
  if (!logger.isLevelEnabled(level)) return;
  let path = line.path.slice(0, MAX_PATH);
  if (path.includes('abs_')) path = path.replace(SECRET_IN_PATH, 'abs_$1_[redacted]');
  logger[level](
    {
      reqId: line.reqId,
      method: line.method,
      path,
      status: line.status,
      ms: Math.round((performance.now() - line.started) * 10) / 10,
      ip: line.ip,
    },
    'request',
  );
}
