import type { AriEvents, ChannelInfo } from '../../telephony/index.js';
import type { LiveCall } from '../live-calls.js';
import { bridgeOf, targetOf, type ControlContext, type ResolvedTarget } from './control-context.js';

/** Where the consulted party's channel is sent to enter our app (dialplan/extensions-callctl.conf.hbs). */
export const REPLACES_CONTEXT = 'cc-refer-replaces';
/** The channel variable that tells that dialplan which call the channel joins. */
export const REPLACES_CALL_VAR = 'CC_REPLACES_CALL';

/** The endpoint of a PJSIP channel name: PJSIP/1002-0000001a is 1002. */
export const endpointOf = (channelName: string | undefined): string | undefined => /^PJSIP\/([^-/]+)-[0-9a-f]+$/i.exec(channelName ?? '')?.[1];

/**
 * The desk phone's own attended transfer. The phone held the caller, called someone from
 * the phone itself (through the dialplan, outside our app), then sent REFER with
 * Replaces naming that second call. With ari-only handling Asterisk only tells us
 * (ChannelTransfer): the second call's channel and the party it is bridged to.
 *
 * That party's channel is not in Stasis, so ARI cannot bridge it: AMI redirects it into a
 * dialplan context that enters the app (`replaces,<call>`), and there it joins the call's
 * bridge, in place of the agent. The phone's own consult leg is dropped, the phone hears
 * the outcome (NOTIFY 200) before its agent leg is hung up, and the interaction keeps its id.
 */
export class AttendedRefer {
  constructor(private readonly c: ControlContext) {}

  /** Starts the hand-over; false when Asterisk named no party to hand the caller to. */
  async start(call: LiveCall, t: AriEvents['channelTransfer']): Promise<boolean> {
    const peer = t.replacesPeerId;
    const ext = endpointOf(t.replacesPeerName);
    if (!peer || !t.replacesPeerName || !ext) return false;
    const target = await this.targetOf(ext);
    Object.assign(call, { xferChannel: peer, xferTo: JSON.stringify(target), xferKind: 'attended', xferBy: 'phone', referChannel: t.sourceChannelId, replacesChannel: t.replacesChannelId });
    await this.c.live.patch(call.id, {
      xferChannel: peer, xferTo: call.xferTo, xferKind: 'attended', xferBy: 'phone', referChannel: t.sourceChannelId, replacesChannel: t.replacesChannelId,
      xferAgentId: target.type === 'agent' ? target.agentId : undefined,
    });
    call.xferAgentId = target.type === 'agent' ? target.agentId : undefined;
    await this.c.live.linkChannel(peer, call.id);
    await this.c.record(call, 'transfer', { kind: 'attended', by: 'phone', from: { agentId: call.agentId }, to: target, phase: 'replaces' }, [call.agentId, call.xferAgentId]);
    await this.c.pbx.redirect(t.replacesPeerName, REPLACES_CONTEXT, 's', { [REPLACES_CALL_VAR]: call.id });
    return true;
  }

  /** The consulted party's channel entered the app: it takes the agent's place in the call. */
  async joined(call: LiveCall, channel: ChannelInfo): Promise<void> {
    if (call.xferChannel !== channel.id || call.xferBy !== 'phone' || !call.referChannel) {
      this.c.d.log.warn({ interactionId: call.id, channelId: channel.id }, 'a channel entered as a REFER target of a call that expects none: hung up');
      return this.c.calls.hangup(channel.id);
    }
    const from = call.agentId;
    const target = targetOf(call);
    const { referChannel, replacesChannel, xferAgentId } = call;
    if (xferAgentId) await this.onCall(xferAgentId, call.id);
    const wasHeld = call.state === 'held';
    await this.c.calls.addToBridge(bridgeOf(call.id), [channel.id]);
    if (wasHeld) await this.c.move(call, 'connected');
    await this.c.closeHold(call);
    // NOTIFY 200 first: the phone hangs up its own legs once it hears the transfer is done.
    await this.c.releaseHandlingAgent(call, () => this.c.calls.transferProgress(referChannel, 'channel_answered'));
    call.xferAnsweredAt = new Date().toISOString();
    await this.c.adoptTarget(call);
    // The phone's hold (re-INVITE) put the caller on music inside the bridge; a page hold took it out.
    if (wasHeld) await this.c.unholdCaller(call);
    else await this.c.calls.stopMoh(call.callerChannel).catch(() => undefined);
    if (replacesChannel) await this.c.calls.hangup(replacesChannel).catch(() => undefined);
    await this.c.record(call, 'transfer-complete', { kind: 'attended', by: 'phone', from: { agentId: from }, to: target }, [from, call.agentId]);
  }

  /** Redirect failed or the party went before it joined: the call stays with its agent. */
  async failed(call: LiveCall, reason: string): Promise<void> {
    const { referChannel, xferAgentId } = call;
    await this.c.forgetTarget(call);
    await this.c.record(call, 'transfer-failed', { kind: 'attended', by: 'phone', reason }, [call.agentId, xferAgentId]);
    if (referChannel) await this.c.calls.transferProgress(referChannel, 'channel_unavailable').catch(() => undefined);
  }

  /** The party on the other end is an agent when one is logged in on that phone; else a number. */
  private async targetOf(ext: string): Promise<ResolvedTarget> {
    const agent = (await this.c.d.agents.listWithDevices()).find((a) => a.phone === ext);
    if (agent) return { type: 'agent', agentId: agent.id, number: agent.number, extension: ext };
    return { type: 'number', number: ext, endpoint: `PJSIP/${ext}`, internal: true };
  }

  /**
   * The consulted agent now talks to the caller: a ready agent goes the offer's way to
   * on_call (so the ACD offers it nothing else); an agent in another state (paused) keeps it.
   */
  private async onCall(agentId: number, interactionId: string): Promise<void> {
    const cur = await this.c.d.agents.liveState(agentId);
    if (cur.state !== 'ready') return;
    if (!(await this.c.d.agents.move(agentId, 'ready', 'reserved', { actor: 'transfer' }))) return;
    await this.c.d.agents.move(agentId, 'reserved', 'ringing', { interactionId });
    await this.c.d.agents.move(agentId, 'ringing', 'on_call', { interactionId });
  }
}
