import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { AriConnection } from './ari/ari-connection.js';
import { AriCallControl } from './ari/call-control.js';
import { AmiConnection } from './ami/ami-connection.js';
import { AmiPbxManager } from './ami/pbx-manager.js';
import type { CallControl } from './ari/types.js';
import { RedisLease } from '../core/lease.js';
import type { PbxManager } from './ami/types.js';

export type { CallControl, ChannelInfo, BridgeInfo, AriEvents, SnoopDirection, SnoopOptions, TransferProgress } from './ari/types.js';
export type { PbxManager, ContactInfo, DeviceStateInfo, CdrFields, SecurityEventInfo, OutboundRegistrationInfo } from './ami/types.js';
export { AsteriskConfigFile } from './config-file.js';

declare module 'fastify' {
  interface FastifyInstance {
    calls: CallControl;
    pbx: PbxManager;
  }
}

/**
 * Wires both Asterisk connections. They start after every room has registered its
 * handlers (onReady), so the first 'connected' event reaches all reconcilers.
 */
export interface TelephonyOptions {
  enabled: boolean;
  /** Redis key of the lease that makes this instance the one owner of the Stasis app. */
  leaseKey: string;
}

async function telephony(app: FastifyInstance, opts: TelephonyOptions): Promise<void> {
  const log = app.log.child({ room: 'telephony' });
  const ari = new AriConnection(app.config.ari, log.child({ link: 'ari' }));
  const ami = new AmiConnection(app.config.ami, log.child({ link: 'ami' }));
  app.decorate('calls', new AriCallControl(ari, log.child({ link: 'ari' })));
  app.decorate('pbx', new AmiPbxManager(ami, log.child({ link: 'ami' })));
  app.health.register('ari', () => ari.status.get());
  app.health.register('ami', () => ami.status.get());
  if (!opts.enabled) return;
  const lease = new RedisLease({ redis: app.redis, key: opts.leaseKey, ttlMs: 9000, log: log.child({ link: 'ari-lease' }) });
  app.addHook('onReady', async () => {
    // AMI is safe to share between instances; the Stasis app is not.
    ami.start();
    lease.start({
      acquired: () => ari.start(),
      lost: (holder) => void ari.stop().then(() => ari.status.set(false, `standby: Stasis app taken over by ${holder}`)),
      standby: (holder) => ari.status.set(false, `standby: Stasis app owned by ${holder}`),
    });
  });
  app.addHook('onClose', async () => {
    await ari.stop();
    await lease.stop();
    await ami.stop();
  });
}

export default fp(telephony, { name: 'telephony', dependencies: ['core'] });
