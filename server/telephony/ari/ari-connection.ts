import { EventEmitter } from 'node:events';
import ariClient from 'ari-client';
import type { Logger } from '../../core/logger.js';
import { StatusFlag } from '../../core/health.js';
import { AriAuthError } from './errors.js';

/** The parts of an ari-client instance we use; its bundled types lag Asterisk 22. */
export interface RawAriClient {
  on(event: string, handler: (event: Record<string, unknown>) => void): void;
  removeAllListeners(): void;
  start(app: string): Promise<void>;
  stop(): void;
  ping(): void;
  [resource: string]: unknown;
}

export interface AriSettings {
  url: string;
  username: string;
  password: string;
  app: string;
}

// Only these events reach us (PUT /applications/{app}/eventFilter): Asterisk closes the
// socket of a consumer that reads too slowly, so the firehose is filtered at the source.
export const SUBSCRIBED_EVENTS = [
  'StasisStart', 'StasisEnd', 'ChannelDestroyed', 'ChannelStateChange', 'Dial',
  'PlaybackFinished', 'ChannelDtmfReceived', 'ApplicationReplaced', 'ChannelTransfer',
];

const PING_EVERY_MS = 5000;
const PONG_WITHIN_MS = 4000;

/**
 * Owns the ARI websocket: connects, re-creates the client when ari-client gives up,
 * pings so a dead peer is noticed, and re-emits events. Knows nothing of calls.
 */
export class AriConnection extends EventEmitter {
  readonly status = new StatusFlag();
  client: RawAriClient | undefined;
  private stopped = false;
  private attempt = 0;
  private pingTimer: NodeJS.Timeout | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private everConnected = false;

  constructor(private readonly settings: AriSettings, private readonly log: Logger) {
    super();
  }

  get appName(): string {
    return this.settings.app;
  }

  start(): void {
    this.stopped = false;
    void this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    clearInterval(this.pingTimer);
    this.teardown();
  }

  /** Plain REST call for what the client's swagger binding does not cover. */
  async rest(method: string, path: string, body?: unknown): Promise<Response> {
    const auth = Buffer.from(`${this.settings.username}:${this.settings.password}`).toString('base64');
    return fetch(`${this.settings.url}/ari${path}`, {
      method,
      headers: { authorization: `Basic ${auth}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(5000),
    });
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    this.attempt++;
    try {
      await this.checkCredentials();
      const client = (await ariClient.connect(this.settings.url, this.settings.username, this.settings.password)) as unknown as RawAriClient;
      this.wire(client);
      await client.start(this.settings.app);
      this.client = client;
      await this.rest('PUT', `/applications/${this.settings.app}/eventFilter`, {
        allowed: SUBSCRIBED_EVENTS.map((type) => ({ type })),
      }).catch((err: Error) => this.log.warn({ err: err.message }, 'ARI event filter not set'));
      this.onConnected();
    } catch (err) {
      this.teardown();
      this.onFailure(err as Error);
    }
  }

  /** ari-client reports a bad password as a swagger load failure; ask first so the log says why. */
  private async checkCredentials(): Promise<void> {
    const res = await this.rest('GET', '/asterisk/ping').catch((err: Error & { cause?: { code?: string } }) => {
      throw new Error(`Asterisk ARI not reachable at ${this.settings.url} (${err.cause?.code ?? err.message})`);
    });
    if (res.status === 401) throw new AriAuthError();
    if (!res.ok) throw new Error(`ARI answered ${res.status} to ping`);
  }

  private wire(client: RawAriClient): void {
    for (const type of SUBSCRIBED_EVENTS) client.on(type, (event) => this.emit('event', event));
    client.on('WebSocketReconnecting', () => this.markDown('websocket reconnecting'));
    client.on('WebSocketConnected', () => {
      if (this.client === client) this.onConnected();
    });
    client.on('WebSocketMaxRetries', () => {
      // ari-client stops trying here forever; we start over with a new client.
      this.teardown();
      this.onFailure(new Error('websocket lost'));
    });
    client.on('pong', () => {
      this.lastPong = Date.now();
    });
  }

  private lastPong = 0;

  private onConnected(): void {
    const reconnect = this.everConnected;
    this.everConnected = true;
    this.attempt = 0;
    this.status.set(true);
    this.log.info({ app: this.settings.app, reconnect }, 'ARI connected');
    this.startPing();
    this.emit('connected', { reconnect });
  }

  private onFailure(err: Error): void {
    this.markDown(err.message);
    if (this.stopped) return;
    const delay = Math.min(500 * 2 ** Math.min(this.attempt, 6), 15000);
    const level = err instanceof AriAuthError ? 'error' : 'warn';
    this.log[level]({ err: err.message, retryInMs: delay }, 'ARI connection failed');
    this.retryTimer = setTimeout(() => void this.connect(), delay);
  }

  private markDown(reason: string): void {
    const wasUp = this.status.get().up;
    this.status.set(false, reason);
    if (wasUp) this.emit('disconnected', { error: reason });
  }

  private startPing(): void {
    clearInterval(this.pingTimer);
    this.lastPong = Date.now();
    this.pingTimer = setInterval(() => {
      if (!this.client) return;
      if (Date.now() - this.lastPong > PING_EVERY_MS + PONG_WITHIN_MS) {
        this.log.warn('ARI websocket silent, reconnecting');
        clearInterval(this.pingTimer);
        this.teardown();
        this.onFailure(new Error('no pong from Asterisk'));
        return;
      }
      try {
        this.client.ping();
      } catch {
        // the socket is closing; the close handler takes it from here
      }
    }, PING_EVERY_MS);
    this.pingTimer.unref();
  }

  private teardown(): void {
    const client = this.client;
    this.client = undefined;
    if (!client) return;
    client.removeAllListeners();
    try {
      client.stop();
    } catch {
      // already closed
    }
  }
}
