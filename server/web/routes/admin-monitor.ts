import type { FastifyInstance } from 'fastify';
import { requireRole } from '../plugins/auth.js';
import type { MonitorNotice, MonitorView } from '../../supervision/schemas.js';

// Only these fields go to the browser, whatever else a publisher puts on the bus.
const event = (m: MonitorView) => ({ id: m.id, agentId: m.agentId, extension: m.extension, mode: m.mode, state: m.state, endReason: m.endReason });

/** GET /admin/monitor/events: monitoring sessions as they start, switch and end, for the agent board. */
export default async function adminMonitorRoutes(app: FastifyInstance): Promise<void> {
  app.get('/admin/monitor/events', { onRequest: requireRole('admin', 'supervisor') }, async (request, reply) => {
    const stream = reply.eventStream();
    // Subscribe first, then the snapshot: a change in between is sent twice, never lost.
    const unsubscribe = await app.live.subscribe('monitor', (p) => stream.send('monitor', event(p as MonitorNotice)));
    stream.onClose(unsubscribe);
    try {
      stream.send('snapshot', (await app.monitors.list()).map(event));
    } catch (err) {
      request.log.warn({ err: (err as Error).message }, 'monitor snapshot for event stream failed');
    }
  });
}
