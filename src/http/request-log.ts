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
// logged: field redaction cannot see inside a value. So is any run of 32 or more letters and
// digits, the body of a secret without its prefix (the prefix is public, so the body is all an
// attacker needs). Ids are 16 characters after their prefix and stay readable.
const SECRET_IN_PATH = /abs_(pat|ses)_[0-9A-Za-z]*|[0-9A-Za-z]{32,}/g;
const MAX_PATH = 200;

/** Writes the request line: `info`, or `error` for a 5xx. */
export function logRequest(logger: Logger, line: RequestLine): void {
  const level = line.status >= 500 ? 'error' : 'info';
  if (!logger.isLevelEnabled(level)) return;
  let path = line.path.slice(0, MAX_PATH);
  path = path.replace(SECRET_IN_PATH, (_, kind?: string) =>
    kind ? `abs_${kind}_[redacted]` : '[redacted]',
  );
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
