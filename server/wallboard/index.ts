import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { LiveCalls } from '../acd/index.js';
import { KpiRepository } from '../reports/kpi/index.js';
import { DayKpis } from './day-kpis.js';
import { WallboardService } from './wallboard-service.js';

export { WallboardService } from './wallboard-service.js';
export { DayKpis } from './day-kpis.js';
export { BOARD_STATES, type FloorSnapshot, type QueueBoard, type AgentBoard } from './floor-snapshot.js';

declare module 'fastify' {
  interface FastifyInstance {
    wallboard: WallboardService;
  }
}

/** Nothing is read or subscribed until a page, the API or the alert evaluator first asks. */
async function wallboard(app: FastifyInstance): Promise<void> {
  const log = app.log.child({ room: 'wallboard' });
  const day = new DayKpis({ repo: new KpiRepository(app.db), bus: app.live, timeZone: app.config.timezone, log });
  const service = new WallboardService({
    queues: app.queues, agents: app.agents, calls: new LiveCalls(app.redis), day, bus: app.live, timeZone: app.config.timezone, log,
  });
  app.decorate('wallboard', service);
  app.addHook('onClose', async () => service.close());
}

export default fp(wallboard, { name: 'wallboard', dependencies: ['core', 'live', 'agents', 'acd-queues', 'acd'] });
