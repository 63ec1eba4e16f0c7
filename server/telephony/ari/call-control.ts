import { EventEmitter } from 'node:events';
import { randomUUID } from 'node:crypto';
import type { Logger } from '../../core/logger.js';
import type { AriConnection } from './ari-connection.js';
import { isGone } from './errors.js';
import type { AriEventName, AriEvents, BridgeInfo, CallControl, ChannelInfo, SnoopOptions, TransferProgress } from './types.js';

/** How long a new channel or snoop may take to enter Stasis; measured well under 100 ms on a quiet box. */
const STASIS_START_MS = 5000;

type Op = (params: Record<string, unknown>) => Promise<unknown>;

/** The CallControl port over one ARI connection. Vanished channels are swallowed, not thrown. */
export class AriCallControl implements CallControl {
  private readonly events = new EventEmitter();
  /** Channels we created and wait to see enter Stasis, by channel id. */
  private readonly starting = new Map<string, () => void>();

  constructor(private readonly conn: AriConnection, private readonly log: Logger) {
    this.events.setMaxListeners(50);
    conn.on('event', (raw: Record<string, unknown>) => this.translate(raw));
    conn.on('connected', (e: AriEvents['connected']) => this.events.emit('connected', e));
    conn.on('disconnected', (e: AriEvents['disconnected']) => this.events.emit('disconnected', e));
  }

  on<K extends AriEventName>(event: K, handler: (e: AriEvents[K]) => void): void {
    this.events.on(event, (e: AriEvents[K]) => {
      // A handler's failure must never reach the websocket reader.
      Promise.resolve()
        .then(() => handler(e))
        .catch((err: Error) => this.log.error({ err, event }, 'ARI event handler failed'));
    });
  }

  isUp(): boolean {
    return this.conn.status.get().up;
  }

  private op(resource: string, name: string): Op {
    const client = this.conn.client;
    if (!client) throw Object.assign(new Error('ARI not connected'), { statusCode: 503 });
    const res = client[resource] as Record<string, Op>;
    const fn = res[name];
    if (!fn) throw new Error(`ARI operation ${resource}.${name} missing`);
    return fn.bind(res);
  }

  /** Runs an operation; a 404/422 (channel gone or left Stasis) resolves to undefined. */
  private async call(resource: string, name: string, params: Record<string, unknown>): Promise<unknown> {
    try {
      return await this.op(resource, name)(params);
    } catch (err) {
      if (isGone(err)) {
        this.log.debug({ resource, name, params }, 'ARI target already gone');
        return undefined;
      }
      throw err;
    }
  }

  async answer(channelId: string): Promise<void> {
    await this.call('channels', 'answer', { channelId });
  }

  async hangup(channelId: string, reason = 'normal'): Promise<void> {
    await this.call('channels', 'hangup', { channelId, reason });
  }

  async startMoh(channelId: string, mohClass = 'default'): Promise<void> {
    await this.call('channels', 'startMoh', { channelId, mohClass });
  }

  async stopMoh(channelId: string): Promise<void> {
    await this.call('channels', 'stopMoh', { channelId });
  }

  async ring(channelId: string): Promise<void> {
    await this.call('channels', 'ring', { channelId });
  }

  async ringStop(channelId: string): Promise<void> {
    await this.call('channels', 'ringStop', { channelId });
  }

  async play(channelId: string, media: string | string[], playbackId = randomUUID()): Promise<string> {
    await this.call('channels', 'play', { channelId, media: Array.isArray(media) ? media : [media], playbackId });
    return playbackId;
  }

  async stopPlayback(playbackId: string): Promise<void> {
    await this.call('playbacks', 'stop', { playbackId });
  }

  async createBridge(bridgeId: string): Promise<void> {
    // dtmf_events: bridged channels deliver DTMF to us only on such a bridge.
    await this.op('bridges', 'create')({ bridgeId, type: 'mixing,dtmf_events', name: bridgeId });
  }

  async addToBridge(bridgeId: string, channelIds: string[]): Promise<void> {
    await this.op('bridges', 'addChannel')({ bridgeId, channel: channelIds.join(',') });
  }

  async removeFromBridge(bridgeId: string, channelIds: string[]): Promise<void> {
    // 422 (channel not in that bridge or gone) is the outcome we wanted anyway.
    await this.call('bridges', 'removeChannel', { bridgeId, channel: channelIds.join(',') });
  }

  async destroyBridge(bridgeId: string): Promise<void> {
    await this.call('bridges', 'destroy', { bridgeId });
  }

  async createChannel(o: { channelId: string; endpoint: string; appArgs: string; originator?: string; callerId?: string }): Promise<void> {
    const params: Record<string, unknown> = { endpoint: o.endpoint, app: this.conn.appName, appArgs: o.appArgs, channelId: o.channelId };
    // originator links the new leg to the caller (linkedid, CDR pairing).
    if (o.originator) params.originator = o.originator;
    await this.enteringStasis(o.channelId, 'channel', () => this.op('channels', 'create')(params));
    if (o.callerId) await this.setVar(o.channelId, 'CALLERID(all)', o.callerId);
  }

  async dial(channelId: string, callerChannelId: string | undefined, timeoutSec: number): Promise<void> {
    const params: Record<string, unknown> = { channelId, timeout: timeoutSec };
    if (callerChannelId) params.caller = callerChannelId;
    await this.op('channels', 'dial')(params);
  }

  async snoop(o: SnoopOptions): Promise<void> {
    await this.enteringStasis(o.snoopId, 'snoop', () => this.op('channels', 'snoopChannelWithId')({
      channelId: o.channelId, snoopId: o.snoopId, app: this.conn.appName, appArgs: o.appArgs, spy: o.spy, whisper: o.whisper,
    }));
  }

  /**
   * Runs the REST call that puts a new channel (or snoop) into our app and resolves once
   * its StasisStart is seen. Asterisk answers the call before the channel is registered
   * in the app, and anything done to it in between is refused: a dial gets "Channel not
   * in Stasis application" (2 click-to-dial customer legs in 25 failed so on a loaded box),
   * a bridge a 422.
   */
  private async enteringStasis(id: string, what: string, run: () => Promise<unknown>): Promise<void> {
    const started = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.starting.delete(id);
        reject(new Error(`${what} ${id} did not enter Stasis within ${STASIS_START_MS} ms`));
      }, STASIS_START_MS);
      this.starting.set(id, () => {
        clearTimeout(timer);
        resolve();
      });
    });
    // Awaited below; this keeps a timeout that fires while the REST call fails from going unhandled.
    started.catch(() => undefined);
    try {
      await run();
    } catch (err) {
      this.starting.get(id)?.();
      this.starting.delete(id);
      throw err;
    }
    await started;
  }

  async continueInDialplan(channelId: string, context: string, extension: string, priority = 1): Promise<void> {
    await this.call('channels', 'continueInDialplan', { channelId, context, extension, priority });
  }

  async setVar(channelId: string, variable: string, value: string): Promise<void> {
    await this.call('channels', 'setChannelVar', { channelId, variable, value });
  }

  async getVar(channelId: string, variable: string): Promise<string | undefined> {
    const res = (await this.call('channels', 'getChannelVar', { channelId, variable }).catch(() => undefined)) as { value?: string } | undefined;
    return res?.value;
  }

  async setDeviceState(name: string, state: string): Promise<void> {
    await this.op('deviceStates', 'update')({ deviceName: `Stasis:${name}`, deviceState: state });
  }

  async sendDtmf(channelId: string, digits: string): Promise<void> {
    await this.call('channels', 'sendDTMF', { channelId, dtmf: digits, between: 100, duration: 160 });
  }

  async transferProgress(channelId: string, state: TransferProgress): Promise<void> {
    await this.call('channels', 'transfer_progress', { channelId, states: state });
  }

  async listChannels(): Promise<ChannelInfo[]> {
    const list = (await this.op('channels', 'list')({})) as Array<Record<string, unknown>>;
    return list.map(toChannel);
  }

  async listBridges(): Promise<BridgeInfo[]> {
    const list = (await this.op('bridges', 'list')({})) as Array<Record<string, unknown>>;
    return list.map((b) => ({ id: String(b.id), channels: (b.channels as string[]) ?? [], bridge_type: b.bridge_type as string }));
  }

  private emitTransfer(raw: Record<string, unknown>): void {
    const t = transferOf(raw);
    // What Asterisk resolved of a REFER differs by phone and by transfer kind: kept for whoever debugs one.
    this.log.debug({ refer_to: raw.refer_to, referred_by: raw.referred_by, state: raw.state }, 'ChannelTransfer');
    if (t) this.events.emit('channelTransfer', t);
    else this.log.warn({ raw }, 'ChannelTransfer without a source channel ignored');
  }

  private translate(raw: Record<string, unknown>): void {
    const channel = raw.channel ? toChannel(raw.channel as Record<string, unknown>) : undefined;
    switch (raw.type) {
      case 'StasisStart':
        if (channel) this.starting.get(channel.id)?.();
        if (channel) this.starting.delete(channel.id);
        this.events.emit('stasisStart', { channel, args: (raw.args as string[]) ?? [] });
        break;
      case 'StasisEnd':
        this.events.emit('stasisEnd', { channel });
        break;
      case 'ChannelDestroyed':
        this.events.emit('channelDestroyed', { channel, cause: Number(raw.cause ?? 0), causeText: String(raw.cause_txt ?? '') });
        break;
      case 'ChannelStateChange':
        this.events.emit('channelStateChange', { channel });
        break;
      case 'Dial': {
        const peer = toChannel(raw.peer as Record<string, unknown>);
        const caller = raw.caller as Record<string, unknown> | undefined;
        this.events.emit('dial', { peer, callerId: caller?.id as string | undefined, status: String(raw.dialstatus ?? '') });
        break;
      }
      case 'PlaybackFinished':
        this.events.emit('playbackFinished', { playbackId: String((raw.playback as Record<string, unknown>)?.id ?? '') });
        break;
      case 'ChannelDtmfReceived':
        this.events.emit('channelDtmf', { channel, digit: String(raw.digit ?? '') });
        break;
      case 'ChannelTransfer':
        this.emitTransfer(raw);
        break;
      case 'ApplicationReplaced':
        this.log.error('another connection took over the Stasis app (ApplicationReplaced)');
        break;
    }
  }
}

type Raw = Record<string, unknown> | undefined;

/** ChannelTransfer nests what we need two or three objects deep; flattened for the port. */
function transferOf(raw: Record<string, unknown>): AriEvents['channelTransfer'] | undefined {
  const by = raw.referred_by as Raw;
  const to = raw.refer_to as Raw;
  const source = by?.source_channel as Raw;
  if (!source?.id) return undefined;
  const dest = to?.requested_destination as Raw;
  return {
    sourceChannelId: String(source.id),
    destination: dest?.destination ? String(dest.destination) : undefined,
    protocolId: dest?.protocol_id ? String(dest.protocol_id) : undefined,
    replacesChannelId: (to?.destination_channel as Raw)?.id as string | undefined,
    replacesPeerId: (to?.connected_channel as Raw)?.id as string | undefined,
    replacesPeerName: (to?.connected_channel as Raw)?.name as string | undefined,
    state: raw.state ? String(raw.state) : undefined,
  };
}

function toChannel(c: Record<string, unknown>): ChannelInfo {
  const caller = (c.caller as { number?: string; name?: string }) ?? {};
  const dialplan = c.dialplan as { context: string; exten: string } | undefined;
  return {
    id: String(c.id),
    name: String(c.name ?? ''),
    state: String(c.state ?? ''),
    caller: { number: caller.number ?? '', name: caller.name ?? '' },
    dialplan,
    creationtime: c.creationtime as string | undefined,
  };
}
