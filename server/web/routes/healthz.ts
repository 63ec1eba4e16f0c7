import type { FastifyInstance } from 'fastify';

/** GET /healthz: 200 only when every component is up, else 503 with the same body, so a probe can read why. */
export default async function healthzRoutes(app: FastifyInstance): Promise<void> {
  app.get('/healthz', async (_request, reply) => {
    const health = await app.health.check();
    return reply.code(health.ok ? 200 : 503).header('cache-control', 'no-store').send(health);
  });
}
