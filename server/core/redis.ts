import { Redis } from 'ioredis';
import type { Config } from './config.js';
import type { Logger } from './logger.js';

export type { Redis } from 'ioredis';

/** A client that retries forever; commands wait in ioredis' offline queue only briefly. */
export function createRedis(config: Config, log: Logger, name: string): Redis {
  const client = new Redis({
    host: config.redis.host,
    port: config.redis.port,
    db: config.redis.db,
    password: config.redis.password,
    connectionName: `cc-${name}`,
    lazyConnect: false,
    maxRetriesPerRequest: 2,
    retryStrategy: (times) => Math.min(200 * times, 5000),
  });
  let wasReady = false;
  client.on('ready', () => {
    wasReady = true;
    log.info({ redis: name }, 'redis connected');
  });
  client.on('error', (err) => {
    if (wasReady) log.warn({ redis: name, err: err.message }, 'redis error');
  });
  return client;
}
