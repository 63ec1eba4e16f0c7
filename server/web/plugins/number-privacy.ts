import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { maskNumbersIn, seesNumbers } from '../../core/number-mask.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Whether the signed-in user's role sees phone numbers in full (config privacy.unmaskedRoles). */
    seesNumbers(): boolean;
  }
}

/**
 * Phone numbers for roles that do not need them (issue 6, PIPL): the one decision per
 * request, and the one place JSON answers are masked. Pages mask with the `phone` helper
 * (fed `seesNumbers` by views.ts), live feeds in sse.ts, CSV exports in their routes; every
 * one asks request.seesNumbers(). Masking the serialised answer, not each service's result,
 * means a new API route that returns numbers is masked without anyone remembering to.
 */
async function numberPrivacy(app: FastifyInstance): Promise<void> {
  const unmasked = app.config.privacy.unmaskedRoles;
  app.decorateRequest('seesNumbers', function seesNumbersOf(this: FastifyRequest) {
    return seesNumbers(this.user?.role, unmasked);
  });
  app.addHook('preSerialization', async (request, _reply, payload) =>
    (payload !== null && typeof payload === 'object' && !request.seesNumbers() ? maskNumbersIn(payload) : payload));
}

export default fp(numberPrivacy, { name: 'web-number-privacy', dependencies: ['web-auth'] });
