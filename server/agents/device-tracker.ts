import type { Logger } from '../core/logger.js';
import type { LiveBus } from '../live/live-bus.js';
import type { PbxManager, ContactInfo } from '../telephony/index.js';
import type { AgentRepository } from './agent-repository.js';
import type { LiveAgents } from './live-agents.js';
import type { DeviceUpdate } from './schemas.js';

const REGISTERED = new Set(['Created', 'Reachable', 'NonQualified', 'Unknown', 'Updated']);

export function isRegistered(contact: Pick<ContactInfo, 'status'>): boolean {
  return REGISTERED.has(contact.status);
}

/**
 * Mirrors desk-phone registration and device state from AMI into Redis. After every
 * (re)connect it rebuilds the whole picture, since events during a gap are lost.
 */
export class DeviceTracker {
  constructor(
    private readonly d: { pbx: PbxManager; repo: AgentRepository; live: LiveAgents; bus: LiveBus; log: Logger },
  ) {}

  attach(): void {
    this.d.pbx.on('connected', () => this.resync());
    this.d.pbx.on('contactStatus', async (c) => {
      if (!c.aor) return;
      const device = await this.d.live.setContact(c.aor, c.uri, isRegistered(c));
      await this.publish(c.aor, device);
    });
    this.d.pbx.on('deviceState', (s) => {
      if (s.device.startsWith('PJSIP/')) return this.update(s.device.slice(6), { deviceState: s.state });
    });
  }

  async resync(): Promise<void> {
    const [contacts, states, agents] = await Promise.all([this.d.pbx.listContacts(), this.d.pbx.listDeviceStates(), this.d.repo.list()]);
    const registered = new Set(contacts.filter(isRegistered).map((c) => c.aor));
    const deviceStates = new Map(states.map((s) => [s.device, s.state]));
    // Every agent's own phone, and every phone with a contact: with hot-desking an agent
    // may take calls on a phone that is nobody's own extension.
    const phones = new Set([...agents.map((a) => a.extension), ...contacts.map((c) => c.aor).filter(Boolean)]);
    for (const phone of phones) {
      const uris = contacts.filter((c) => c.aor === phone && isRegistered(c)).map((c) => c.uri);
      await this.d.live.resetContacts(phone, uris);
      await this.update(phone, { registered: registered.has(phone), deviceState: deviceStates.get(`PJSIP/${phone}`) ?? 'UNKNOWN' });
    }
    this.d.log.info({ registered: [...registered] }, 'device state resynchronised');
  }

  private async update(extension: string, patch: { registered?: boolean; deviceState?: string }): Promise<void> {
    if (!extension) return;
    await this.publish(extension, await this.d.live.setDevice(extension, patch));
  }

  private async publish(extension: string, device: { registered: boolean; deviceState: string }): Promise<void> {
    const update: DeviceUpdate = { extension, ...device };
    await this.d.bus.publish('devices', update);
  }
}
