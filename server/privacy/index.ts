import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { asteriskHostPath } from '../core/config.js';
import { PrivacyRepository } from './privacy-repository.js';
import { PrivacyService } from './privacy-service.js';

export { PrivacyService, type Requester } from './privacy-service.js';
export { CustomerExport, EraseBody, EraseResult } from './schemas.js';

declare module 'fastify' {
  interface FastifyInstance {
    privacy: PrivacyService;
  }
}

async function privacy(app: FastifyInstance): Promise<void> {
  app.decorate('privacy', new PrivacyService({
    crm: app.crm,
    repo: new PrivacyRepository(app.db, app.fieldCipher),
    audit: app.audit,
    forgetCard: (interactionId) => app.desk.cards.forget(interactionId),
    recordingsRoot: asteriskHostPath(app.config, app.config.asterisk.recordingsDir),
    hostPath: (p) => asteriskHostPath(app.config, p),
    log: app.log.child({ room: 'privacy' }),
  }));
}

export default fp(privacy, { name: 'privacy', dependencies: ['core', 'crm', 'desk', 'audit'] });
