import type { FastifyInstance } from 'fastify';

/** GET /: an agent's desk, the agents board for supervisors and admins, the sign-in page for anyone else. */
export default async function rootRoutes(app: FastifyInstance): Promise<void> {
  app.get('/', async (request, reply) => {
    if (!request.user) return reply.redirect('/login');
    return reply.redirect(request.user.role === 'agent' ? '/desk' : '/admin/agents');
  });
}
