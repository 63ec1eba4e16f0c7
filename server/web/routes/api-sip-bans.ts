import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { currentUser, requireRole } from '../plugins/auth.js';
import { csrfUnlessJson } from '../plugins/csrf.js';
import { docsOnlyBody } from '../plugins/docs-only-body.js';
import { BanListQuery, FirewallStatusSchema, ManualBan, SipBan } from '../../sipguard/index.js';
import { errorResponses } from '../api-errors.js';

const errors = errorResponses(400, 401, 403, 404, 409);
const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });

/** /api/v1/sip-bans: the SIP attack blocker's bans (admin only). */
export default async function apiSipBansRoutes(app: FastifyInstance): Promise<void> {
  const admin = { onRequest: requireRole('admin'), ...docsOnlyBody };
  const write = { ...admin, preValidation: csrfUnlessJson(app) };
  const tags = ['sip-bans'];

  app.get<{ Querystring: Static<typeof BanListQuery> }>('/api/v1/sip-bans', {
    ...admin, schema: { tags, summary: 'Banned SIP addresses (state=all adds the lifted and expired ones, newest first)', querystring: BanListQuery, response: { 200: Type.Array(SipBan), ...errors } },
  }, async (request) => app.sipGuard.list(request.query.state ?? 'active'));

  app.get('/api/v1/sip-bans/firewall', {
    ...admin, schema: { tags, summary: 'How bans are enforced now (nftables or the PJSIP ACL only), with the last nft error', response: { 200: FirewallStatusSchema, ...errors } },
  }, async () => app.sipGuard.firewallStatus());

  app.post<{ Body: ManualBan }>('/api/v1/sip-bans', {
    ...write, schema: { tags, summary: 'Ban an address by hand (an address already banned stays as it is)', body: ManualBan, response: { 201: SipBan, ...errors } },
  }, async (request, reply) => reply.code(201).send(await app.sipGuard.banByHand(request.body, currentUser(request).username)));

  app.delete<{ Params: Static<typeof IdParams> }>('/api/v1/sip-bans/:id', {
    ...write, schema: { tags, summary: 'Lift an active ban now', params: IdParams, response: { 204: Type.Null(), ...errors } },
  }, async (request, reply) => {
    await app.sipGuard.lift(request.params.id, currentUser(request).username);
    return reply.code(204).send();
  });
}
