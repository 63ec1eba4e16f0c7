import { isIP } from 'node:net';
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { asteriskHostPath } from '../core/config.js';
import { AsteriskConfigFile } from '../telephony/index.js';
import { TrunkRepository, type Trunk } from './trunk-repository.js';
import { renderPjsipTrunks } from './pjsip-trunks.js';
import { TrunkService } from './trunk-service.js';
import { hostPort } from './trunk-rules.js';

export { TrunkService } from './trunk-service.js';
export { TrunkInput, TrunkView, TrunkWithStatus } from './schemas.js';
export { CODECS, TRUNK_KINDS, type Codec, type TrunkKind } from './trunk-rules.js';

declare module 'fastify' {
  interface FastifyInstance {
    trunks: TrunkService;
  }
}

/**
 * A trunk's addresses the SIP attack blocker must never ban: its match, and its host when that
 * is an address. A registering carrier's calls are told by their line, not by an identify, so
 * its host may be outside match; its requests without our line count as failures (unknown
 * account), and a ban would cut off every call it sends.
 */
const neverBanned = (t: Trunk) => (isIP(t.host) && !t.match.includes(t.host) ? [...t.match, t.host] : t.match);

/** The trunk marked outbound, as the ACD dials it; undefined: the config's trunk. */
const outboundOf = (trunks: readonly Trunk[]) => {
  const t = trunks.find((x) => x.outbound && x.enabled);
  return t ? { endpoint: t.name, host: hostPort(t.host, t.port) } : undefined;
};

async function trunks(app: FastifyInstance): Promise<void> {
  const log = app.log.child({ room: 'trunks' });
  const { config } = app;
  const repo = new TrunkRepository(app.db, app.fieldCipher);
  const file = new AsteriskConfigFile({ hostPath: asteriskHostPath(config, config.trunk.managedFile), module: 'res_pjsip.so', pbx: app.pbx, log });
  const service = new TrunkService({
    repo, log,
    // Each apply renders the list read in its turn, so the last write holds every change.
    applier: { apply: (reason: string) => file.apply(async () => renderPjsipTrunks(await repo.list()), reason) },
    configTrunk: config.trunk,
    phoneExtensions: async () => [...config.phones.map((p) => p.extension), ...(await app.phones.list()).map((p) => p.extension)],
    registrations: async () => new Map((await app.pbx.listOutboundRegistrations()).map((r) => [r.name, r.status] as const)),
    changed: async (list) => {
      app.outboundRoute.set(outboundOf(list));
      // Disabled trunks too: re-enabling one must not find its carrier banned in between.
      await app.sipGuard.setNeverBan('trunks', list.flatMap(neverBanned))
        .catch((err: Error) => log.error({ err }, 'bans of trunk addresses not lifted'));
    },
    // Other instances keep the outbound route and the never-ban list in memory: tell them.
    announce: () => app.live.publish('trunks', { at: Date.now() }),
  });
  app.decorate('trunks', service);
  await app.live.subscribe('trunks', () => {
    service.refresh().catch((err: Error) => log.warn({ err: err.message }, 'trunks not re-read after a change elsewhere'));
  });
  app.addHook('onReady', () => service.refresh());
  // Asterisk may have restarted, or a change was saved while AMI was down: write the file
  // and reload at every AMI (re)connect, so Asterisk always has what MariaDB has.
  app.pbx.on('connected', () => {
    service.applyAll('AMI connected').catch((err: Error) => log.error({ err }, 'trunks not applied after AMI connect'));
  });
}

export default fp(trunks, { name: 'trunks', dependencies: ['core', 'live', 'telephony', 'acd', 'sipguard', 'phones'] });
