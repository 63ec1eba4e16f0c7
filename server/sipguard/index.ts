import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { asteriskHostPath } from '../core/config.js';
import { AsteriskConfigFile } from '../telephony/index.js';
import { BanRepository } from './ban-repository.js';
import { FailureWindow } from './failure-window.js';
import { SipGuardService } from './sip-guard-service.js';

export { SipGuardService } from './sip-guard-service.js';
export { SipBan, ManualBan, BanListQuery } from './schemas.js';

declare module 'fastify' {
  interface FastifyInstance {
    sipGuard: SipGuardService;
  }
}

/** The SIP attack blocker: Asterisk's security events in, PJSIP ACL bans out. */
async function sipguard(app: FastifyInstance): Promise<void> {
  const cfg = app.config.sipGuard;
  const log = app.log.child({ room: 'sipguard' });
  const acl = new AsteriskConfigFile({ hostPath: asteriskHostPath(app.config, cfg.aclFile), module: 'res_pjsip.so', pbx: app.pbx, log });
  const service = new SipGuardService({
    repo: new BanRepository(app.db), window: new FailureWindow(app.redis, cfg.windowSec * 1000), acl, redis: app.redis,
    neverBan: [...app.config.trunk.match, ...cfg.neverBan], maxFailures: cfg.maxFailures, banMs: cfg.banSec * 1000, log,
  });
  app.decorate('sipGuard', service);
  if (!cfg.enabled) return;
  app.pbx.on('securityEvent', (e) => service.onSecurityEvent(e));
  // At every AMI (re)connect Asterisk may have restarted with an old file: write it from the database.
  app.pbx.on('connected', () => service.sync('ami connected').then(() => acl.reapply()));
  // Bans are expired by the jobs room (server/jobs), like the other timed work.
}

export default fp(sipguard, { name: 'sipguard', dependencies: ['core', 'telephony'] });
