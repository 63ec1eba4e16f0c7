import type { FastifyInstance } from 'fastify';

/** GET /: the agents board for someone signed in, the sign-in page for anyone else. */
export default async function rootRoutes(app: FastifyInstance): Promise<void> {
  app.get('/', async (request, reply) => reply.redirect(request.user ? '/admin/agents' : '/login'));
}
