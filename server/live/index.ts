import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { LiveBus } from './live-bus.js';
import { Outbox } from './outbox.js';

declare module 'fastify' {
  interface FastifyInstance {
    live: LiveBus;
    /** Database writes that wait in Redis while MariaDB is down. */
    outbox: Outbox;
  }
}

async function live(app: FastifyInstance): Promise<void> {
  app.decorate('live', new LiveBus(app.redis, app.redisSub, app.log.child({ room: 'live' }), app.config.redis.db));
  app.decorate('outbox', new Outbox(app.redis, app.log.child({ room: 'outbox' })));
}

export default fp(live, { name: 'live', dependencies: ['core'] });
export { keys } from './keys.js';
export type { LiveTopic } from './live-bus.js';
export type { Outbox } from './outbox.js';
