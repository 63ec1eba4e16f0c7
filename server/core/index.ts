import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import type { Config } from './config.js';
import { createDb, migrateLatest, pingDb, type Knex } from './db.js';
import { createRedis, type Redis } from './redis.js';
import { HealthRegistry } from './health.js';
import { AppError } from './errors.js';
import { createFieldCipher, type FieldCipher } from './field-crypto.js';
import { ResealRepository } from './reseal-repository.js';
import { SEALED_TABLES } from './sealed-columns.js';

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    db: Knex;
    redis: Redis;
    /** A second connection: a Redis connection in subscriber mode can run no other command. */
    redisSub: Redis;
    health: HealthRegistry;
    /** Seals sensitive columns; handed to the repositories that store them, nothing else. */
    fieldCipher: FieldCipher;
  }
}

async function core(app: FastifyInstance, opts: { config: Config }): Promise<void> {
  const { config } = opts;
  app.decorate('config', config);
  // First: a missing data key stops the boot before anything connects.
  app.decorate('fieldCipher', createFieldCipher(config));
  const db = createDb(config);
  app.decorate('db', db);
  app.decorate('redis', createRedis(config, app.log, 'main'));
  app.decorate('redisSub', createRedis(config, app.log, 'sub'));
  app.decorate('health', new HealthRegistry());

  app.health.register('mariadb', async () => {
    try {
      await pingDb(db);
      return { up: true, since: '' };
    } catch (err) {
      return { up: false, error: (err as Error).message, since: '' };
    }
  });
  app.health.register('redis', () => ({
    up: app.redis.status === 'ready',
    error: app.redis.status === 'ready' ? undefined : `status ${app.redis.status}`,
    since: '',
  }));

  await runMigrations(app, db);
  await fillBlindIndexes(app, db);

  app.addHook('onClose', async () => {
    await db.destroy();
    app.redis.disconnect();
    app.redisSub.disconnect();
  });
}

/**
 * MariaDB may come up after us (boot order on a real server), so migrations are
 * retried for a while before the boot gives up with a message saying why.
 */
async function runMigrations(app: FastifyInstance, db: Knex, attempts = 30): Promise<void> {
  for (let i = 1; ; i++) {
    try {
      const applied = await migrateLatest(db);
      if (applied.length) app.log.info({ applied }, 'migrations applied');
      return;
    } catch (err) {
      const message = (err as Error).message;
      if (i >= attempts) throw new AppError(503, 'database-unavailable', `cannot migrate the database: ${message}`);
      app.log.warn({ attempt: i, err: message }, 'database not reachable yet, retrying migrations');
      await new Promise((r) => setTimeout(r, 2000));
    }
  }
}

/**
 * Rows stored before a blind-index column existed get their index now: only the running
 * server holds the keys. A value that does not open is logged, not fatal: the rest of the
 * product still works, and searching for that one value does not.
 */
async function fillBlindIndexes(app: FastifyInstance, db: Knex): Promise<void> {
  const repo = new ResealRepository(db, app.fieldCipher);
  for (const t of SEALED_TABLES.filter((s) => s.indexed)) {
    try {
      const filled = await repo.fillIndexes(t, 500);
      if (filled) app.log.info({ table: t.table, filled }, 'blind indexes filled');
    } catch (err) {
      app.log.error({ table: t.table, err: (err as Error).message }, 'blind indexes not filled');
    }
  }
}

export default fp(core, { name: 'core' });
