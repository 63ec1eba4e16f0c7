import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { LiveBus } from './live-bus.js';

declare module 'fastify' {
  interface FastifyInstance {
    live: LiveBus;
  }
}

async function live(app: FastifyInstance): Promise<void> {
  app.decorate('live', new LiveBus(app.redis, app.redisSub, app.log.child({ room: 'live' })));
}

export default fp(live, { name: 'live', dependencies: ['core'] });
export { keys } from './keys.js';
export type { LiveTopic } from './live-bus.js';
