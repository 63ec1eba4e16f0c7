import type { FastifyInstance } from 'fastify';

// Each role's first page: the one it came to the suite for.
const HOME: Record<string, string> = { agent: '/desk', admin: '/admin/agents', supervisor: '/admin/agents', quality: '/interactions', reports: '/reports' };

/** GET /: the signed-in user's first page, or the sign-in page. */
export default async function rootRoutes(app: FastifyInstance): Promise<void> {
  app.get('/', async (request, reply) => {
    if (!request.user) return reply.redirect('/login');
    return reply.redirect(HOME[request.user.role] ?? '/login');
  });
}
