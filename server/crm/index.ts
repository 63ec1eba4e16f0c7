import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { CustomerRepository } from './customer-repository.js';
import { HistoryRepository } from './history-repository.js';
import { CrmService } from './crm-service.js';

export { CrmService, type CallerCard, type HistoryRequest } from './crm-service.js';
export { LEVELS, LIMITS } from './schemas.js';
// Pure: the interaction search matches a typed number the way the caller-id lookup does.
export { deliveredForms, matchForms, type NumberRule } from './phone-number.js';
export type { Author, Customer, CustomerDetail, CustomerNote, CustomerPage, HistoryItem, HistoryPage, Level } from './schemas.js';

declare module 'fastify' {
  interface FastifyInstance {
    crm: CrmService;
  }
}

async function crm(app: FastifyInstance): Promise<void> {
  const log = app.log.child({ room: 'crm' });
  app.decorate('crm', new CrmService({
    customers: new CustomerRepository(app.db, app.fieldCipher),
    history: new HistoryRepository(app.db, app.fieldCipher),
    interactions: app.interactions,
    numberRule: app.config.crm,
    log,
  }));
}

export default fp(crm, { name: 'crm', dependencies: ['core', 'interactions'] });
