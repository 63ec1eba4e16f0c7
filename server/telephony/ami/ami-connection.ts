import { EventEmitter } from 'node:events';
import AsteriskManager from 'asterisk-manager';
import type { Logger } from '../../core/logger.js';
import { StatusFlag } from '../../core/health.js';

export type AmiMessage = Record<string, string | string[] | Record<string, string> | undefined>;

interface RawManager {
  connect(port: number, host: string, cb: (err?: Error) => void): void;
  login(cb: (err?: AmiMessage) => void): void;
  action(action: Record<string, unknown>, cb: (err: AmiMessage | undefined, res: AmiMessage) => void): string;
  disconnect(): void;
  isConnected(): boolean;
  on(event: string, handler: (...args: unknown[]) => void): void;
  removeAllListeners(): void;
}

export interface AmiSettings {
  host: string;
  port: number;
  username: string;
  password: string;
  actionTimeoutMs: number;
}

export class AmiError extends Error {
  constructor(message: string, public readonly response?: AmiMessage) {
    super(message);
    this.name = 'AmiError';
  }
}

/**
 * Owns the AMI socket. asterisk-manager stays silent on a bad login, drops actions sent
 * while down and never times out; this wrapper logs in itself (so a bad password is an
 * error with a name), refuses actions while down, times every action out, collects list
 * actions until their ...Complete event, and reconnects forever with backoff.
 */
export class AmiConnection extends EventEmitter {
  readonly status = new StatusFlag();
  private mgr: RawManager | undefined;
  private ready = false;
  private stopped = false;
  private attempt = 0;
  private seq = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private readonly lists = new Map<string, { items: AmiMessage[]; done: (items: AmiMessage[]) => void }>();

  constructor(private readonly settings: AmiSettings, private readonly log: Logger) {
    super();
  }

  start(): void {
    this.stopped = false;
    this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    this.drop();
  }

  isReady(): boolean {
    return this.ready;
  }

  private connect(): void {
    if (this.stopped) return;
    this.attempt++;
    const mgr = new (AsteriskManager as unknown as new (...a: unknown[]) => RawManager)(undefined, undefined, undefined, undefined, true);
    this.mgr = mgr;
    mgr.on('managerevent', (evt) => this.onEvent(evt as AmiMessage));
    mgr.on('close', () => this.onClose(mgr));
    mgr.on('error', (err) => this.status.set(false, (err as Error).message));
    mgr.connect(this.settings.port, this.settings.host, (err) => {
      if (err) return;
      (mgr as unknown as { options: Record<string, unknown> }).options = {
        port: this.settings.port, host: this.settings.host, username: this.settings.username, password: this.settings.password, events: true,
      };
      mgr.login((loginErr) => {
        if (loginErr) {
          const reason = `AMI login failed: ${String(loginErr.message ?? 'authentication failed')} (check ami.username and ami.password against manager.conf)`;
          this.log.error({ user: this.settings.username }, reason);
          this.status.set(false, reason);
          mgr.disconnect();
          return;
        }
        void this.verify(mgr);
      });
    });
  }

  /** A Ping proves the login really took; only then are we up. */
  private async verify(mgr: RawManager): Promise<void> {
    this.ready = true;
    try {
      await this.action({ action: 'Ping' });
      this.attempt = 0;
      this.status.set(true);
      this.log.info('AMI connected');
      this.emit('connected');
    } catch (err) {
      this.ready = false;
      this.status.set(false, `AMI ping failed: ${(err as Error).message}`);
      mgr.disconnect();
    }
  }

  private onClose(mgr: RawManager): void {
    if (mgr !== this.mgr) return;
    const wasUp = this.ready;
    this.ready = false;
    if (!this.status.get().error?.startsWith('AMI login failed')) this.status.set(false, 'AMI connection closed');
    for (const [, list] of this.lists) list.done([]);
    this.lists.clear();
    if (wasUp) this.emit('disconnected');
    this.mgr = undefined;
    mgr.removeAllListeners();
    if (this.stopped) return;
    const delay = Math.min(500 * 2 ** Math.min(this.attempt, 6), 15000);
    this.log.warn({ retryInMs: delay, reason: this.status.get().error }, 'AMI down, reconnecting');
    this.retryTimer = setTimeout(() => this.connect(), delay);
  }

  private drop(): void {
    const mgr = this.mgr;
    this.ready = false;
    this.mgr = undefined;
    if (mgr) {
      mgr.removeAllListeners();
      mgr.disconnect();
    }
  }

  private onEvent(evt: AmiMessage): void {
    const id = typeof evt.actionid === 'string' ? evt.actionid : undefined;
    const list = id ? this.lists.get(id) : undefined;
    if (list) {
      if (String(evt.event).endsWith('Complete')) {
        this.lists.delete(id as string);
        list.done(list.items);
      } else {
        list.items.push(evt);
      }
      return;
    }
    this.emit('event', evt);
  }

  /** Sends one action; rejects at once when AMI is down and after actionTimeoutMs otherwise. */
  action(action: Record<string, unknown>): Promise<AmiMessage> {
    const mgr = this.mgr;
    if (!mgr || !this.ready) return Promise.reject(new AmiError('AMI not connected'));
    const actionid = `cc-${process.pid}-${++this.seq}`;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new AmiError(`AMI action ${String(action.action)} timed out`)), this.settings.actionTimeoutMs);
      mgr.action({ ...action, actionid }, (err, res) => {
        clearTimeout(timer);
        if (err) reject(new AmiError(String(err.message ?? 'AMI action failed'), err));
        else resolve(res);
      });
    });
  }

  /** A list action (PJSIPShowContacts, DeviceStateList...): all its events, in order. */
  async list(action: Record<string, unknown>): Promise<AmiMessage[]> {
    const mgr = this.mgr;
    if (!mgr || !this.ready) throw new AmiError('AMI not connected');
    const actionid = `cc-${process.pid}-${++this.seq}`;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.lists.delete(actionid);
        reject(new AmiError(`AMI list ${String(action.action)} timed out`));
      }, this.settings.actionTimeoutMs);
      this.lists.set(actionid, { items: [], done: (items) => (clearTimeout(timer), resolve(items)) });
      mgr.action({ ...action, actionid }, (err) => {
        if (!err) return;
        clearTimeout(timer);
        this.lists.delete(actionid);
        // "No ... found" is an empty list, not a failure.
        if (/no .* found|not found/i.test(String(err.message ?? ''))) resolve([]);
        else reject(new AmiError(String(err.message ?? 'AMI list failed'), err));
      });
    });
  }
}
