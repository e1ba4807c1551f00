import type { Config } from './config.js';
import { connect, type Db, type Dialect } from './db/connect.js';
import { createLogger, type Logger } from './logger.js';
import { RedisLimitStore } from './limits/redis-store.js';
import { MemoryLimitStore, type LimitStore } from './limits/store.js';

/** Everything a request handler or CLI command needs, built once per process. */
export interface Services {
  config: Config;
  db: Db;
  dialect: Dialect;
  limits: LimitStore;
  logger: Logger;
  now(): number;
  close(): Promise<void>;
}

export interface ServiceOverrides {
  logger?: Logger;
  limits?: LimitStore;
}

export async function createServices(
  config: Config,
  overrides: ServiceOverrides = {},
): Promise<Services> {
  const connection = connect(config.databaseUrl);
  const logger = overrides.logger ?? createLogger(config.logLevel);
  const limits = overrides.limits ?? (await createLimitStore(config, logger));
  return {
    config,
    db: connection.db,
    dialect: connection.dialect,
    limits,
    logger,
    now: () => Date.now(),
    async close() {
      await limits.close();
      await connection.close();
    },
  };
}

async function createLimitStore(config: Config, logger: Logger): Promise<LimitStore> {
  if (config.redisUrl) return new RedisLimitStore(config.redisUrl, logger, config.redisPrefix);
  // LIMITATION: without REDIS_URL the counters live in this process; each instance of a
  // multi-instance deployment then enforces its own budget.
  return new MemoryLimitStore();
}
