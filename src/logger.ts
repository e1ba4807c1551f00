import pino, { type Logger } from 'pino';

export type { Logger };

// Redaction lives here, not at call sites: whatever object reaches the logger, these never print.
const REDACT = [
  'password',
  'newPassword',
  'token',
  'accessToken',
  'secret',
  'clientSecret',
  'authorization',
  'cookie',
  '*.password',
  '*.token',
  '*.accessToken',
  '*.secret',
  '*.clientSecret',
  '*.authorization',
  '*.cookie',
  '*.headers.authorization',
  '*.headers.cookie',
  '*.headers["set-cookie"]',
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'abs-auth' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACT, censor: '[redacted]' },
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
}
