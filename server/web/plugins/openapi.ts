import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { SESSION_COOKIE } from './security.js';

/**
 * OpenAPI from the routes' own TypeBox schemas, so the document cannot drift
 * from the code. Registered before the routes, which it collects as they are
 * added. Only tagged routes are documented: pages and plumbing stay out.
 */
async function openapi(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    hideUntagged: true,
    openapi: {
      info: { title: 'Contact center API', version: 'v1' },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE, description: 'the session cookie set by POST /login' },
        },
      },
      security: [{ session: [] }],
    },
  });
  // The UI's pages load only same-origin scripts, so they live under our own CSP.
  await app.register(swaggerUi, { routePrefix: '/api/docs', uiConfig: { deepLinking: false } });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}

export default fp(openapi, { name: 'web-openapi', dependencies: ['web-errors'] });
