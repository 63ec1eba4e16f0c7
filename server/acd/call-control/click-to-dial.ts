import { randomUUID } from 'node:crypto';
import type { ChannelInfo } from '../../telephony/index.js';
import type { LiveCall } from '../live-calls.js';
import { dialFailureKind } from '../callbacks/callback-state.js';
import { bridgeOf, type ControlContext } from './control-context.js';
import type { DialTarget } from './dial-target.js';
import { agentUnavailable } from './errors.js';

/** Deterministic per call, so a restarted server recognises its own legs. */
export const dialAgentChannel = (id: string) => `ctd-a-${id}`;
export const dialCustomerChannel = (id: string) => `ctd-c-${id}`;

/** How long the customer's phone may ring before we give up. */
const CUSTOMER_RING_SEC = 45;

/**
 * Click to dial: the agent's desk phone rings first (so nobody is dialled for an agent
 * who is not at the desk); when the agent answers it hears ringback while the number is
 * dialled, and the two are bridged and recorded when the number answers. The call is an
 * outbound interaction of its own, handled like any other call afterwards (hold,
 * transfer, wrap-up). The customer's leg plays the caller's part (callerChannel).
 */
export class ClickToDial {
  constructor(private readonly c: ControlContext) {}

  async start(agent: { id: number; number: string; extension: string }, target: DialTarget, actor: string, id: string = randomUUID()): Promise<string> {
    const d = this.c.d;
    if (!(await d.agents.move(agent.id, 'ready', 'reserved', { actor }))) {
      throw agentUnavailable(agent.number, (await d.agents.liveState(agent.id)).state);
    }
    const now = new Date();
    const agentChannel = dialAgentChannel(id);
    const call: LiveCall = {
      id, state: 'agent-dialing', callerChannel: dialCustomerChannel(id), callerChannelName: '', callerNumber: target.digits, did: '', queue: '',
      enteredAt: now.toISOString(), attrs: '{}', agentId: agent.id, agentChannel, direction: 'outbound', handledBy: String(agent.id),
      dialTo: JSON.stringify({ endpoint: target.endpoint }),
    };
    await d.interactions.open({
      id, direction: 'outbound', callerNumber: target.digits, callerName: null, did: null, linkedid: agentChannel,
      asteriskSystem: d.settings.instanceName, enteredAt: now,
    });
    await d.live.save(call);
    await d.live.linkChannel(agentChannel, id);
    await this.c.record(call, 'dial', { number: target.digits, internal: target.internal, by: actor }, [agent.id]);
    try {
      // The phone the agent is logged in on (hot-desking), not necessarily its own.
      const phone = await d.agents.phoneOf(agent);
      await d.calls.createChannel({ channelId: agentChannel, endpoint: `PJSIP/${phone}`, appArgs: `ctd,${id}`, callerId: `"Dial ${target.digits}" <${target.digits}>` });
      await d.agents.move(agent.id, 'reserved', 'ringing', { interactionId: id });
      await d.calls.dial(agentChannel, undefined, d.settings.ringTimeoutSec);
    } catch (err) {
      d.log.warn({ interactionId: id, err: (err as Error).message }, 'click to dial: desk phone could not be rung');
      await this.c.acd.completion.end({ ...call, leftTo: 'agent-unreachable' }, 'system');
    }
    return id;
  }

  /** A leg of ours answered: the agent (dial the number now) or the customer (bridge them). */
  async answered(call: LiveCall, channel: ChannelInfo): Promise<void> {
    if (channel.id === call.agentChannel && call.state === 'agent-dialing') return this.dialCustomer(call);
    if (channel.id === call.callerChannel && call.state === 'dialing') return this.connect(call, channel);
  }

  private async dialCustomer(call: LiveCall): Promise<void> {
    if (!(await this.c.move(call, 'dialing'))) return;
    const d = this.c.d;
    // The number travels in the live call: the customer leg is dialled once the agent answers.
    const { endpoint } = JSON.parse(call.dialTo as string) as { endpoint: string };
    await d.agents.move(call.agentId as number, 'ringing', 'on_call', { interactionId: call.id });
    await d.calls.ring(call.agentChannel as string);
    try {
      await d.calls.createChannel({ channelId: call.callerChannel, endpoint, appArgs: `ctd,${call.id}`, originator: call.agentChannel });
      await d.calls.dial(call.callerChannel, call.agentChannel, CUSTOMER_RING_SEC);
    } catch (err) {
      d.log.warn({ interactionId: call.id, err: (err as Error).message }, 'click to dial: number could not be dialled');
      await this.c.acd.completion.end({ ...call, leftTo: 'failed' }, 'system');
    }
  }

  private async connect(call: LiveCall, channel: ChannelInfo): Promise<void> {
    if (!(await this.c.move(call, 'connected'))) return;
    const d = this.c.d;
    const answeredAt = new Date();
    await d.calls.ringStop(call.agentChannel as string);
    await d.calls.createBridge(bridgeOf(call.id));
    await d.calls.addToBridge(bridgeOf(call.id), [call.callerChannel, call.agentChannel as string]);
    await d.interactions.update(call.id, { agentId: call.agentId, answeredAt, handledBy: [call.agentId as number] });
    await this.c.record(call, 'connect', { direction: 'outbound', number: call.callerNumber }, [call.agentId]);
    let recordingPath: string | undefined;
    try {
      recordingPath = await d.recordings.start(channel.name, call.id, answeredAt);
    } catch (err) {
      d.log.error({ interactionId: call.id, err: (err as Error).message }, 'recording could not start');
    }
    await d.live.patch(call.id, { answeredAt: answeredAt.toISOString(), callerChannelName: channel.name, recordingPath });
  }

  /**
   * A leg went before the call was connected. The customer's reason (busy, no answer)
   * comes with ChannelDestroyed; StasisEnd has none and comes first, so it is waited for.
   * True when handled here.
   */
  async legGone(call: LiveCall, channelId: string, cause?: number): Promise<boolean> {
    if (call.state === 'agent-dialing' && channelId === call.agentChannel) {
      await this.c.acd.completion.end({ ...call, leftTo: 'agent-no-answer' }, 'system');
      return true;
    }
    if (call.state !== 'dialing') return false;
    if (channelId === call.agentChannel) {
      await this.c.acd.completion.end({ ...call, leftTo: 'agent-cancelled' }, 'agent');
      return true;
    }
    if (channelId !== call.callerChannel) return false;
    if (cause === undefined) return true;
    await this.c.acd.completion.end({ ...call, leftTo: dialFailureKind(cause) }, 'system');
    return true;
  }
}
