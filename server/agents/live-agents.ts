import type { Redis } from '../core/redis.js';
import { keys } from '../live/keys.js';
import type { AgentState } from './schemas.js';

export interface LiveAgent {
  state: AgentState;
  since: string;
  pauseReason?: string;
  interactionId?: string;
}

export interface LiveDevice {
  registered: boolean;
  deviceState: string;
}

/** Live agent and device state in Redis; shared by every server instance. */
export class LiveAgents {
  constructor(private readonly redis: Redis) {}

  async get(agentId: number): Promise<LiveAgent> {
    const h = await this.redis.hgetall(keys.agent(agentId));
    if (!h.state) return { state: 'logged_out', since: new Date(0).toISOString() };
    return { state: h.state as AgentState, since: h.since ?? '', pauseReason: h.pauseReason || undefined, interactionId: h.interactionId || undefined };
  }

  /**
   * Compare-and-set: the write happens only if the agent is still in `from`, so two
   * instances (or a call event racing a button) can never both move the same agent.
   */
  async transition(agentId: number, from: AgentState, to: LiveAgent): Promise<boolean> {
    const ok = await this.redis.eval(
      `local cur = redis.call('HGET', KEYS[1], 'state') or 'logged_out'
       if cur ~= ARGV[1] then return 0 end
       redis.call('DEL', KEYS[1])
       redis.call('HSET', KEYS[1], 'state', ARGV[2], 'since', ARGV[3], 'pauseReason', ARGV[4], 'interactionId', ARGV[5])
       if ARGV[2] == 'ready' then redis.call('SADD', KEYS[2], ARGV[6]) else redis.call('SREM', KEYS[2], ARGV[6]) end
       return 1`,
      2,
      keys.agent(agentId),
      keys.agentsReady(),
      from,
      to.state,
      to.since,
      to.pauseReason ?? '',
      to.interactionId ?? '',
      String(agentId),
    );
    return ok === 1;
  }

  async device(extension: string): Promise<LiveDevice> {
    const h = await this.redis.hgetall(keys.device(`PJSIP/${extension}`));
    return { registered: h.registered === '1', deviceState: h.deviceState ?? 'UNKNOWN' };
  }

  async setDevice(extension: string, patch: Partial<LiveDevice>): Promise<LiveDevice> {
    const fields: string[] = [];
    if (patch.registered !== undefined) fields.push('registered', patch.registered ? '1' : '0');
    if (patch.deviceState !== undefined) fields.push('deviceState', patch.deviceState);
    if (fields.length) await this.redis.hset(keys.device(`PJSIP/${extension}`), ...fields);
    return this.device(extension);
  }

  /**
   * A phone is registered while at least one of its contacts is reachable. Contacts
   * come and go in any order (a re-registration adds the new one before removing the old).
   */
  async setContact(extension: string, uri: string, reachable: boolean): Promise<LiveDevice> {
    const set = keys.deviceContacts(`PJSIP/${extension}`);
    if (reachable) await this.redis.sadd(set, uri);
    else await this.redis.srem(set, uri);
    return this.setDevice(extension, { registered: (await this.redis.scard(set)) > 0 });
  }

  async resetContacts(extension: string, uris: string[]): Promise<void> {
    const set = keys.deviceContacts(`PJSIP/${extension}`);
    const m = this.redis.multi().del(set);
    if (uris.length) m.sadd(set, ...uris);
    await m.exec();
  }
}
