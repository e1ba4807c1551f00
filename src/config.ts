import { z } from 'zod';
import { ClientAddressResolver } from './http/client-ip.js';
import { EmailAddress } from './text.js';
import { parseRateLimit, RATE_LIMIT_RULE, type RateLimitPolicy } from './limits/policy.js';

export const ENVIRONMENTS = ['staging', 'production'] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

export interface Config {
  port: number;
  host: string;
  databaseUrl: string;
  redisUrl: string | undefined;
  /** Namespace of this deployment's keys, so several deployments can share one Redis. */
  redisPrefix: string;
  environment: Environment;
  publicUrl: string;
  adminEmail: string | undefined;
  adminPassword: string | undefined;
  github: GithubConfig | undefined;
  rateLimit: RateLimitPolicy;
  /** Each person's budget on the routes that manage users and tokens: `/admin/*`, `/token*`. */
  managementRateLimit: RateLimitPolicy;
  trustProxy: string[];
  corsOrigins: string[];
  logLevel: string;
}

export interface GithubConfig {
  clientId: string;
  clientSecret: string;
  webUrl: string;
  apiUrl: string;
}

const optional = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

const webUrl = z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// address' });

const schema = z.object({
  // Decimal digits only: coercion read "" as 0 (any free port) and "0x4972" as 18802. An empty
  // value, as `PORT=$PORT` leaves when unset, is unset. 0 stays: any free port, as tests use.
  PORT: optional
    .pipe(z.string().regex(/^\d+$/, 'must be a port number from 0 to 65535').optional())
    .transform((v) => (v === undefined ? 8787 : Number(v)))
    .pipe(z.number().max(65535, 'must be a port number from 0 to 65535')),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: z
    .string()
    .default('sqlite:./data/abs.db')
    .refine((v) => v.startsWith('sqlite:') || /^postgres(ql)?:\/\//.test(v), {
      message: 'must be sqlite:PATH or postgres://…',
    }),
  REDIS_URL: optional.pipe(
    z.url({ protocol: /^rediss?$/, error: 'must be a redis:// or rediss:// address' }).optional(),
  ),
  ABS_REDIS_PREFIX: z
    .string()
    .regex(/^[\w:.-]{1,64}$/)
    .default('abs:'),
  ABS_ENVIRONMENT: z.enum(ENVIRONMENTS).default('production'),
  ABS_PUBLIC_URL: optional.pipe(webUrl.optional()),
  // The rule /login applies: an address it would refuse could never sign in as the first admin.
  ABS_ADMIN_EMAIL: optional.pipe(EmailAddress.optional()),
  ABS_ADMIN_PASSWORD: optional,
  ABS_GITHUB_CLIENT_ID: optional,
  ABS_GITHUB_CLIENT_SECRET: optional,
  // http as well as https: tests point these at a stand-in for GitHub on loopback.
  ABS_GITHUB_URL: webUrl.default('https://github.com'),
  ABS_GITHUB_API_URL: webUrl.default('https://api.github.com'),
  ABS_RATE_LIMIT: z.string().default('600/60s'),
  ABS_MANAGEMENT_RATE_LIMIT: z.string().default('300/60s'),
  ABS_TRUST_PROXY: optional,
  ABS_CORS_ORIGINS: optional,
  ABS_LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default('info'),
});

/** Reads the configuration once; a bad variable stops the process with its name. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`configuration: ${String(issue?.path[0])} ${issue?.message}`);
  }
  const v = parsed.data;
  const rateLimit = budget('ABS_RATE_LIMIT', v.ABS_RATE_LIMIT);
  const managementRateLimit = budget('ABS_MANAGEMENT_RATE_LIMIT', v.ABS_MANAGEMENT_RATE_LIMIT);
  const corsOrigins = splitList(v.ABS_CORS_ORIGINS);
  for (const origin of corsOrigins) {
    if (!isOrigin(origin)) {
      throw new Error(
        `configuration: ABS_CORS_ORIGINS: "${origin.slice(0, 100)}" is not an origin; list each ` +
          'one as scheme, host and port, such as https://app.example.com ("*" is not accepted)',
      );
    }
  }
  const trustProxy = splitList(v.ABS_TRUST_PROXY);
  // Checked here, before anything is migrated or bootstrapped, so a typo stops the start cleanly.
  new ClientAddressResolver(trustProxy);
  // One of the two alone is a half-done setup: starting with GitHub silently off would leave the
  // operator looking for why the sign-in button answers 404.
  if (Boolean(v.ABS_GITHUB_CLIENT_ID) !== Boolean(v.ABS_GITHUB_CLIENT_SECRET)) {
    const missing = v.ABS_GITHUB_CLIENT_ID ? 'ABS_GITHUB_CLIENT_SECRET' : 'ABS_GITHUB_CLIENT_ID';
    throw new Error(
      `configuration: ${missing} is missing; GitHub sign-in needs both ABS_GITHUB_CLIENT_ID ` +
        'and ABS_GITHUB_CLIENT_SECRET (or neither, to leave it off)',
    );
  }
  const github =
    v.ABS_GITHUB_CLIENT_ID && v.ABS_GITHUB_CLIENT_SECRET
      ? {
          clientId: v.ABS_GITHUB_CLIENT_ID,
          clientSecret: v.ABS_GITHUB_CLIENT_SECRET,
          webUrl: stripSlash(v.ABS_GITHUB_URL),
          apiUrl: stripSlash(v.ABS_GITHUB_API_URL),
        }
      : undefined;
  return {
    port: v.PORT,
    host: v.HOST,
    databaseUrl: v.DATABASE_URL,
    redisUrl: v.REDIS_URL,
    redisPrefix: v.ABS_REDIS_PREFIX,
    environment: v.ABS_ENVIRONMENT,
    publicUrl: stripSlash(v.ABS_PUBLIC_URL ?? `http://${hostForUrl(v.HOST)}:${v.PORT}`),
    adminEmail: v.ABS_ADMIN_EMAIL,
    adminPassword: v.ABS_ADMIN_PASSWORD,
    github,
    rateLimit,
    managementRateLimit,
    trustProxy,
    corsOrigins,
    logLevel: v.ABS_LOG_LEVEL,
  };
}

function budget(name: string, text: string): RateLimitPolicy {
  const policy = parseRateLimit(text);
  if (!policy) throw new Error(`configuration: ${name} must be ${RATE_LIMIT_RULE}`);
  return policy;
}

function splitList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/**
 * A browser's `Origin` exactly as it sends it: http or https, a host, a port only when not the
 * scheme's own, and nothing else. Anything else would never match, so CORS would stay closed
 * while the operator believed it open (a wildcard, a trailing slash, a path).
 */
function isOrigin(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const url = new URL(value);
  const web = url.protocol === 'https:' || url.protocol === 'http:';
  // `https://*.example.com` parses, but no browser sends it: a wildcard matches nothing here.
  return web && url.origin === value && !url.hostname.includes('*');
}

function stripSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

function hostForUrl(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}
