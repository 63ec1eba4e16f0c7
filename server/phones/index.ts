import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { asteriskHostPath } from '../core/config.js';
import { AsteriskConfigFile } from '../telephony/index.js';
import { PhoneRepository } from './phone-repository.js';
import { renderPjsipPhones } from './pjsip-phones.js';
import { PhoneService } from './phone-service.js';
import { ProvisioningGuard } from './provisioning-guard.js';
import { renderProvisioning, type ProvisioningSettings, type RenderedFile } from './provisioning-render.js';
import { VENDOR_SPECS } from './vendors.js';

export { PhoneService, type ChangedBy } from './phone-service.js';
export type { Phone } from './phone-repository.js';

/** What the provisioning route needs: the file for a secret and a name, or nothing. */
export interface Provisioning {
  /** The phone's file when `secret` is a phone's and `file` is the name that phone asks for. */
  fileFor(secret: string, file: string): Promise<RenderedFile | undefined>;
  guard: ProvisioningGuard;
}

declare module 'fastify' {
  interface FastifyInstance {
    phones: PhoneService;
    provisioning: Provisioning;
  }
}

/** The host part of a URL, for a SIP address when none is configured. */
const hostOf = (url: string) => {
  try {
    return new URL(url).hostname;
  } catch {
    return '127.0.0.1';
  }
};

async function phones(app: FastifyInstance): Promise<void> {
  const log = app.log.child({ room: 'phones' });
  const { config } = app;
  const repo = new PhoneRepository(app.db);
  const file = new AsteriskConfigFile({ hostPath: asteriskHostPath(config, config.provisioning.phonesFile), module: 'res_pjsip.so', pbx: app.pbx, log });
  // Each apply renders the list read in its turn, so the last write holds every change.
  const applier = { apply: (reason: string) => file.apply(async () => renderPjsipPhones(await repo.list()), reason) };
  const base = (config.provisioning.publicHttpUrl || config.http.publicUrl).replace(/\/+$/, '');
  const agentNames = async () => new Map((await app.agents.listWithDevices()).map((a) => [a.number, a.name] as const));
  const service = new PhoneService({
    repo, applier, log,
    configExtensions: () => config.phones.map((p) => p.extension),
    isDid: async (n) => (await app.dids.route(n)) !== undefined,
    missingAgents: async (numbers) => {
      const known = await agentNames();
      return numbers.filter((n) => !known.has(n));
    },
    provisioningBase: base,
    audit: (r) => app.audit.record(r),
  });
  const settings: ProvisioningSettings = {
    sipHost: config.provisioning.sipHost || hostOf(base),
    sipPort: config.provisioning.sipPort,
    transport: config.provisioning.transport,
    timezone: config.timezone,
  };
  app.decorate('phones', service);
  // Agents may log in (hot-desking, *70) on a managed phone as on a config one.
  app.agentSessions.addPhoneSource(() => repo.extensions());
  app.decorate('provisioning', {
    guard: new ProvisioningGuard({ redis: app.redis, perMinute: config.provisioning.failuresPerMinute }),
    fileFor: async (secret: string, file: string) => {
      const phone = await service.forProvisioning(secret);
      if (!phone || VENDOR_SPECS[phone.vendor].fileName(phone.mac) !== file.toLowerCase()) return undefined;
      return renderProvisioning(phone, await agentNames(), settings);
    },
  });
  // Asterisk may have restarted, or a change was saved while AMI was down: write the file
  // and reload at every AMI (re)connect, so Asterisk always has what MariaDB has.
  app.pbx.on('connected', () => {
    service.applyAll('AMI connected').catch((err: Error) => log.error({ err }, 'desk phones not applied after AMI connect'));
  });
}

export default fp(phones, { name: 'phones', dependencies: ['core', 'live', 'telephony', 'agents', 'ivr', 'audit'] });
