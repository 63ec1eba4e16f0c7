import type { AriEvents } from '../../telephony/index.js';
import type { LiveCall } from '../live-calls.js';
import type { ControlContext, ResolvedTarget } from './control-context.js';
import type { Transfers } from './transfers.js';
import { referDigits } from './dial-target.js';
import type { AttendedRefer } from './refer-attended.js';

/**
 * The desk phone's own transfer key. With PJSIP_TRANSFER_HANDLING()=ari-only on the agent
 * leg, Asterisk answers the phone's REFER with 202 and a first NOTIFY (100 Trying) and
 * then waits for us: we make the transfer ourselves, keeping the interaction, and tell the
 * phone how it went (transfer_progress: a NOTIFY with 200 OK, or 503/603).
 *
 * A blind Refer-To is dialled like the page's blind transfer. An attended REFER (Refer-To
 * with Replaces) names the phone's second call: the party on it takes the agent's place
 * (refer-attended.ts).
 */
export class ReferHandler {
  constructor(
    private readonly c: ControlContext,
    private readonly transfers: Transfers,
    private readonly resolve: (digits: string, call: LiveCall) => Promise<ResolvedTarget>,
    private readonly attended: AttendedRefer,
  ) {}

  async handle(callId: string, t: AriEvents['channelTransfer']): Promise<void> {
    const call = await this.c.live.get(callId);
    const log = this.c.d.log.child({ interactionId: callId, channelId: t.sourceChannelId });
    if (!call || call.agentChannel !== t.sourceChannelId || (call.state !== 'connected' && call.state !== 'held')) {
      log.warn({ state: call?.state }, 'REFER from a leg that is not the agent of a call in progress: declined');
      return this.c.calls.transferProgress(t.sourceChannelId, 'channel_declined');
    }
    if (t.protocolId || t.replacesChannelId) return this.replaces(call, t);
    const digits = referDigits(t.destination);
    if (!digits) {
      log.warn({ destination: t.destination }, 'REFER declined: the Refer-To is not a number');
      await this.c.record(call, 'transfer-failed', { by: 'phone', reason: 'bad-destination' }, [call.agentId]);
      return this.c.calls.transferProgress(t.sourceChannelId, 'channel_declined');
    }
    let target: ResolvedTarget;
    try {
      target = await this.resolve(digits, call);
    } catch (err) {
      log.warn({ destination: digits, err: (err as Error).message }, 'REFER target refused');
      await this.c.record(call, 'transfer-failed', { by: 'phone', reason: (err as { code?: string }).code ?? 'refused', to: { number: digits } }, [call.agentId]);
      return this.c.calls.transferProgress(t.sourceChannelId, 'channel_unavailable');
    }
    log.info({ destination: digits, target: target.type }, 'blind transfer from the desk phone');
    await this.blind(call, target, t.sourceChannelId);
  }

  /** Attended: declined when Asterisk could not name the party of the phone's second call. */
  private async replaces(call: LiveCall, t: AriEvents['channelTransfer']): Promise<void> {
    const log = this.c.d.log.child({ interactionId: call.id, channelId: t.sourceChannelId });
    try {
      if (await this.attended.start(call, t)) return log.info({ peer: t.replacesPeerName }, 'attended transfer from the desk phone');
      log.warn({ replaces: t.replacesChannelId, peer: t.replacesPeerName }, 'attended REFER declined: its second call has no party we can reach');
      await this.c.record(call, 'transfer-failed', { kind: 'attended', by: 'phone', reason: 'replaces-not-found' }, [call.agentId]);
      await this.c.calls.transferProgress(t.sourceChannelId, 'channel_declined');
    } catch (err) {
      log.warn({ err: (err as Error).message }, 'attended REFER failed');
      await this.attended.failed(call, 'redirect-failed');
    }
  }

  /**
   * The phone is told the transfer is done (NOTIFY 200) before its leg is hung up: for a
   * blind transfer the phone's part is over once we took it, whether the target answers or not.
   */
  private async blind(call: LiveCall, target: ResolvedTarget, referChannel: string): Promise<void> {
    try {
      await this.transfers.blind(call, target, 'phone', () => this.c.calls.transferProgress(referChannel, 'channel_answered'));
    } catch (err) {
      if (target.type === 'agent') await this.c.d.agents.move(target.agentId, 'reserved', 'ready', { actor: 'transfer' });
      this.c.d.log.warn({ interactionId: call.id, err: (err as Error).message }, 'REFER transfer failed');
      await this.c.calls.transferProgress(referChannel, 'channel_unavailable');
    }
  }
}
