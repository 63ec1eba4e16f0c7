import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { asteriskHostPath } from '../core/config.js';
import { AsteriskConfigFile } from '../telephony/index.js';
import { BanRepository } from './ban-repository.js';
import { FailureWindow } from './failure-window.js';
import { NftFirewall, nftUnusable } from './nft-firewall.js';
import { SipGuardService } from './sip-guard-service.js';
import type { Config } from '../core/config.js';
import type { Logger } from '../core/logger.js';

export { SipGuardService, type FirewallStatus } from './sip-guard-service.js';
export { SipBan, ManualBan, BanListQuery, FirewallStatus as FirewallStatusSchema } from './schemas.js';

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
  const { firewall, aclOnlyWhy } = cfg.enabled ? await chooseFirewall(app.config, log) : { firewall: undefined, aclOnlyWhy: 'sipGuard.enabled is false' };
  const service = new SipGuardService({
    repo: new BanRepository(app.db), window: new FailureWindow(app.redis, cfg.windowSec * 1000), acl, firewall, aclOnlyWhy, redis: app.redis,
    neverBan: [...app.config.trunk.match, ...cfg.neverBan], maxFailures: cfg.maxFailures, banMs: cfg.banSec * 1000, log,
  });
  app.decorate('sipGuard', service);
  if (!cfg.enabled) return;
  app.pbx.on('securityEvent', (e) => service.onSecurityEvent(e));
  // The kernel's sets from the database at every start, AMI up or not: bans survive a restart,
  // and bans that ended while we were down leave.
  app.addHook('onReady', () => service.syncFirewall('server started'));
  // At every AMI (re)connect Asterisk may have restarted with an old file: write it from the database.
  app.pbx.on('connected', () => service.sync('ami connected').then(() => acl.reapply()));
  // Bans are expired by the jobs room (server/jobs), like the other timed work.
}

/**
 * nftables only makes sense on the host Asterisk runs on (its packets pass this kernel), so
 * 'auto' wants AMI on loopback as well as a working nft. 'nftables' is used even when the
 * probe fails: the admin asked for it, and the page shows each failure.
 */
async function chooseFirewall(config: Config, log: Logger): Promise<{ firewall?: NftFirewall; aclOnlyWhy?: string }> {
  const cfg = config.sipGuard;
  if (cfg.firewall === 'acl') return { aclOnlyWhy: 'sipGuard.firewall is acl' };
  const firewall = new NftFirewall({ table: cfg.nftTable, ports: [...cfg.sipPorts, config.provisioning.sipPort], log });
  const unusable = await nftUnusable();
  if (cfg.firewall === 'nftables') {
    if (unusable) log.error({ err: unusable }, 'sipGuard.firewall is nftables but nft does not work here');
    return { firewall };
  }
  const local = ['127.0.0.1', '::1', 'localhost'].includes(config.ami.host);
  const why = !local ? `Asterisk is not on this host (ami.host ${config.ami.host})` : unusable && `nft is not usable: ${unusable}`;
  if (why) {
    log.warn({ why }, 'SIP bans enforced by the PJSIP ACL only (banned addresses get 403 answers)');
    return { aclOnlyWhy: why };
  }
  log.info({ table: cfg.nftTable }, 'SIP bans enforced by nftables and the PJSIP ACL');
  return { firewall };
}

export default fp(sipguard, { name: 'sipguard', dependencies: ['core', 'telephony'] });
