import type { FastifyInstance, FastifyReply } from 'fastify';

// Desk phones fetch their configuration here: GET /provision/<secret>/<file>. No session:
// the per-phone secret in the URL is the credential. A wrong secret, another phone's file
// name and an unknown MAC all get the very same 404, so the answer tells a guesser nothing;
// failures are logged and counted per address, and an address over the limit gets 429s.

const NOT_FOUND = 'not found\n';

export default async function provisionRoutes(app: FastifyInstance): Promise<void> {
  const log = app.log.child({ room: 'phones', route: 'provision' });
  const refuse = (reply: FastifyReply) => reply.code(404).type('text/plain; charset=utf-8').header('cache-control', 'no-store').send(NOT_FOUND);

  app.get<{ Params: { secret: string; file: string } }>('/provision/:secret/:file', {
    schema: { hide: true },
  }, async (request, reply) => {
    const { secret, file } = request.params;
    const { guard } = app.provisioning;
    if (await guard.blocked(request.ip)) {
      log.warn({ ip: request.ip, file: file.slice(0, 64) }, 'provisioning fetch refused: too many failures from this address');
      return reply.code(429).type('text/plain; charset=utf-8').header('retry-after', '60').send('too many requests\n');
    }
    const found = await app.provisioning.fileFor(secret, file);
    if (!found) {
      await guard.failed(request.ip);
      // Never the secret itself: a near miss of a real one would end up in the log.
      log.warn({ ip: request.ip, file: file.slice(0, 64), userAgent: String(request.headers['user-agent'] ?? '').slice(0, 120) }, 'provisioning fetch refused: wrong secret or file');
      return refuse(reply);
    }
    log.info({ ip: request.ip, file: found.fileName }, 'desk phone fetched its configuration');
    return reply.type(found.contentType).header('cache-control', 'no-store').send(found.body);
  });
}
