import { NONE, seconds, type QueueLogLine } from './queue-log-lines.js';

// Agent state changes (agent_state_log) as queue_log lines. Our agents log in once for all
// their queues and pause for all of them, so these lines carry the queue NONE, like the
// AGENTLOGIN/AGENTLOGOFF lines of chan_agent did.

export interface QlStateChange {
  agentId: number;
  /** Epoch milliseconds. */
  at: number;
  from: string;
  to: string;
  reason: string | null;
  /** The desk phone's extension the agent was on. */
  phone: string | null;
}

/** Where an agent stood when the export starts: logged in since, paused for. */
export interface AgentContext {
  loginAt?: number;
  channel?: string;
  pauseReason?: string;
}

export class AgentLines {
  constructor(
    private readonly agentName: (agentId: number) => string,
    private readonly agents: Map<number, AgentContext> = new Map(),
  ) {}

  lines(c: QlStateChange): QueueLogLine[] {
    const ctx = this.agents.get(c.agentId) ?? {};
    this.agents.set(c.agentId, ctx);
    const line = (event: string, data: QueueLogLine['data']): QueueLogLine => ({ at: c.at, callid: NONE, queue: NONE, agent: this.agentName(c.agentId), event, data });
    const out: QueueLogLine[] = [];
    if (c.from === 'logged_out' && c.to !== 'logged_out') {
      ctx.loginAt = c.at;
      ctx.channel = c.phone ? `PJSIP/${c.phone}` : undefined;
      out.push(line('AGENTLOGIN', [ctx.channel]));
    }
    if (c.from === 'paused' && c.to !== 'paused' && c.to !== 'logged_out') out.push(line('UNPAUSE', [ctx.pauseReason ?? c.reason ?? undefined]));
    if (c.to === 'paused') {
      ctx.pauseReason = c.reason ?? undefined;
      out.push(line('PAUSE', [ctx.pauseReason]));
    }
    if (c.to === 'logged_out' && c.from !== 'logged_out') {
      const channel = ctx.channel ?? (c.phone ? `PJSIP/${c.phone}` : undefined);
      out.push(line('AGENTLOGOFF', [channel, ctx.loginAt === undefined ? undefined : seconds(c.at - ctx.loginAt)]));
      this.agents.delete(c.agentId);
    }
    return out;
  }
}
