import { EventEmitter } from 'node:events';
import type { Logger } from '../../core/logger.js';
import type { AmiConnection, AmiMessage } from './ami-connection.js';
import type { AmiEventName, AmiEvents, CdrFields, ContactInfo, DeviceStateInfo, OutboundRegistrationInfo, PbxManager } from './types.js';

const str = (v: unknown): string => (typeof v === 'string' ? v : Array.isArray(v) ? String(v[0] ?? '') : '');

/**
 * The AOR of one ContactList entry. Asterisk 22's ContactList has no AOR field (unlike
 * ContactStatus): the contact's ObjectName is `<aor>;@<hash>`. Reading a missing `aor`
 * made every phone look unregistered after each resync (a server restart) until it
 * registered again.
 */
export function contactAor(item: AmiMessage): string {
  return str(item.aor) || (str(item.objectname).split(';@')[0] ?? '');
}

/** The IP of a security event's RemoteAddress, which reads `IPV4/UDP/203.0.113.9/5060`. */
export function securityAddress(remote: string): string | undefined {
  const parts = remote.split('/');
  return parts.length >= 3 && /^IPV[46]$/i.test(parts[0] ?? '') ? parts[2] : undefined;
}

/** The PbxManager port over one AMI connection: typed events out, typed actions in. */
export class AmiPbxManager implements PbxManager {
  private readonly events = new EventEmitter();

  constructor(private readonly conn: AmiConnection, private readonly log: Logger) {
    this.events.setMaxListeners(50);
    conn.on('event', (evt: AmiMessage) => this.translate(evt));
    conn.on('connected', () => this.events.emit('connected', {}));
    conn.on('disconnected', () => this.events.emit('disconnected', {}));
  }

  on<K extends AmiEventName>(event: K, handler: (e: AmiEvents[K]) => void): void {
    this.events.on(event, (e: AmiEvents[K]) => {
      Promise.resolve()
        .then(() => handler(e))
        .catch((err: Error) => this.log.error({ err, event }, 'AMI event handler failed'));
    });
  }

  isUp(): boolean {
    return this.conn.status.get().up;
  }

  async listContacts(): Promise<ContactInfo[]> {
    const items = await this.conn.list({ action: 'PJSIPShowContacts' });
    return items
      .filter((i) => str(i.event) === 'ContactList')
      .map((i) => ({ aor: contactAor(i), uri: str(i.uri), status: str(i.status) }));
  }

  async listDeviceStates(): Promise<DeviceStateInfo[]> {
    const items = await this.conn.list({ action: 'DeviceStateList' });
    return items
      .filter((i) => str(i.event) === 'DeviceStateChange')
      .map((i) => ({ device: str(i.device), state: str(i.state) }));
  }

  async listOutboundRegistrations(): Promise<OutboundRegistrationInfo[]> {
    // Needs the 'system' (or 'reporting') read class, which manager.conf gives.
    const items = await this.conn.list({ action: 'PJSIPShowRegistrationsOutbound' });
    return items
      .filter((i) => str(i.event) === 'OutboundRegistrationDetail')
      .map((i) => ({ name: str(i.objectname), status: str(i.status), serverUri: str(i.serveruri) }));
  }

  async startRecording(channel: string, file: string): Promise<void> {
    await this.conn.action({ action: 'MixMonitor', channel, file });
  }

  async stopRecording(channel: string): Promise<void> {
    await this.conn.action({ action: 'StopMixMonitor', channel });
  }

  async muteRecording(channel: string, mute: boolean): Promise<void> {
    // Asterisk 22 has no PauseMonitor (Monitor is gone); MixMonitorMute writes silence instead.
    await this.conn.action({ action: 'MixMonitorMute', channel, direction: 'both', state: mute ? '1' : '0' });
  }

  async redirect(channel: string, context: string, exten: string, vars: Record<string, string> = {}): Promise<void> {
    for (const [variable, value] of Object.entries(vars)) await this.conn.action({ action: 'Setvar', channel, variable, value });
    await this.conn.action({ action: 'Redirect', channel, context, exten, priority: '1' });
  }

  async reloadModule(module: string): Promise<void> {
    // Reload needs the 'system' write class (manager.conf gives it) and never a CLI command.
    await this.conn.action({ action: 'Reload', module });
  }

  private translate(evt: AmiMessage): void {
    const name = str(evt.event);
    switch (name) {
      case 'ContactStatus':
        this.events.emit('contactStatus', { aor: str(evt.aor), uri: str(evt.uri), status: str(evt.contactstatus) });
        break;
      case 'DeviceStateChange':
        this.events.emit('deviceState', { device: str(evt.device), state: str(evt.state) });
        break;
      case 'InvalidAccountID':
      case 'ChallengeResponseFailed':
      case 'InvalidPassword':
      case 'FailedACL':
      case 'RequestBadFormat':
      case 'RequestNotAllowed':
      case 'AuthMethodNotAllowed': {
        const address = securityAddress(str(evt.remoteaddress));
        if (address) {
          this.events.emit('securityEvent', {
            kind: name, service: str(evt.service), account: str(evt.accountid), address, eventId: `${str(evt.eventtv)}/${str(evt.sessionid)}/${name}`,
          });
        }
        break;
      }
      case 'Cdr': {
        const fields: CdrFields = {};
        for (const [k, v] of Object.entries(evt)) fields[k] = str(v);
        this.events.emit('cdr', fields);
        break;
      }
    }
  }
}
