import type { Logger } from '../core/logger.js';
import type { CallControl } from '../telephony/index.js';
import type { AcdService } from './acd-service.js';
import type { LiveCalls } from './live-calls.js';
import type { WaitingService } from './waiting-service.js';
import { isCallbackMember } from './callbacks/callback-state.js';
import type { CallControlService } from './call-control/call-control-service.js';
import { isOwnLeg } from './matcher.js';

/**
 * Where calls enter the ACD. The dialplan says what a channel is with its Stasis
 * arguments (`inbound,<did>`); channels we create say `agent,<callId>,<agentId>`.
 * Events of one call are handled one after another, never interleaved.
 */
export class AcdStasisHandler {
  private readonly chains = new Map<string, Promise<void>>();

  constructor(private readonly d: { calls: CallControl; acd: AcdService; waiting: WaitingService; live: LiveCalls; control: CallControlService; log: Logger }) {}

  attach(): void {
    const { calls, acd } = this.d;
    acd.serial = (key, fn) => this.serial(key, fn);
    calls.on('stasisStart', ({ channel, args }) => {
      if (args[0] === 'inbound') return this.serial(channel.id, () => acd.inbound(channel, args[1] ?? ''));
      // The party of a desk phone's attended REFER, redirected here to take the agent's place.
      if (args[0] === 'replaces' && args[1]) return this.serial(args[1], () => this.d.control.replacesJoined(args[1] as string, channel));
    });
    calls.on('playbackFinished', ({ playbackId }) => {
      if (playbackId.startsWith('greeting-')) {
        const callId = playbackId.slice('greeting-'.length);
        return this.serial(callId, () => acd.greetingDone(callId));
      }
      if (playbackId.startsWith('announce-')) {
        const callId = playbackId.slice('announce-'.length, 'announce-'.length + 36);
        return this.serial(callId, () => this.d.waiting.announcementDone(callId, playbackId));
      }
    });
    calls.on('channelDtmf', async ({ channel, digit }) => {
      const callId = await this.d.live.callForChannel(channel.id);
      if (callId) await this.serial(callId, () => this.d.waiting.key(callId, digit));
    });
    calls.on('channelStateChange', async ({ channel }) => {
      if (channel.state !== 'Up' || !isOwnLeg(channel.id)) return;
      const callId = await this.d.live.callForChannel(channel.id);
      if (!callId) return;
      if (isCallbackMember(callId)) await this.serial(callId, () => acd.dialer.answered(callId, channel.id, channel.name));
      // Transfer targets and click-to-dial legs are call control's.
      else if (!channel.id.startsWith('agent-')) await this.serial(callId, () => this.d.control.legUp(callId, channel));
      else {
        await this.serial(callId, () => acd.matcher.agentAnswered(callId, channel.id));
        await this.d.control.allowAriTransfer(channel.id);
      }
    });
    calls.on('channelTransfer', async (t) => {
      // A ChannelTransfer with a state is Asterisk echoing a transfer_progress we sent, not a new REFER.
      if (t.state) return;
      const callId = await this.d.live.callForChannel(t.sourceChannelId);
      if (callId && !isCallbackMember(callId)) await this.serial(callId, () => this.d.control.referred(callId, t));
      else await calls.transferProgress(t.sourceChannelId, 'channel_declined');
    });
    calls.on('stasisEnd', ({ channel }) => this.channelGone(channel.id, 'hangup'));
    calls.on('channelDestroyed', ({ channel, cause, causeText }) => this.channelGone(channel.id, causeText || 'destroyed', cause));
    calls.on('connected', () => acd.recover());
  }

  private async channelGone(channelId: string, reason: string, cause?: number): Promise<void> {
    const callId = await this.d.live.callForChannel(channelId);
    if (!callId) return;
    if (isCallbackMember(callId)) return this.serial(callId, () => this.d.acd.dialer.legGone(callId, channelId, cause));
    await this.serial(callId, async () => {
      const call = await this.d.live.get(callId);
      if (!call || call.state === 'ended') return;
      if (await this.d.control.channelGone(call, channelId, reason, cause)) return;
      if (call.callerChannel === channelId) await this.d.acd.completion.callerGone(callId);
      else if (call.agentChannel === channelId) await this.d.acd.completion.agentLegGone(callId, channelId, reason);
    });
  }

  /** Runs fn after every earlier handler of the same call has finished. */
  private serial(key: string, fn: () => Promise<void>): Promise<void> {
    const prev = this.chains.get(key) ?? Promise.resolve();
    const next = prev.then(fn).catch((err: Error) => this.d.log.error({ key, err }, 'call handler failed'));
    this.chains.set(key, next);
    void next.finally(() => {
      if (this.chains.get(key) === next) this.chains.delete(key);
    });
    return next;
  }
}
