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

/** `cc:phone:` : keys.phoneAgent(x) is this prefix, the extension, then ':agent'. */
const phonePrefix = () => keys.phoneAgent('').slice(0, -':agent'.length);

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

  /** The phone the agent is logged in on, if it logged in through a session. */
  async phone(agentId: number): Promise<string | undefined> {
    return (await this.redis.get(keys.agentPhone(agentId))) ?? undefined;
  }

  async agentOnPhone(extension: string): Promise<number | undefined> {
    const id = await this.redis.get(keys.phoneAgent(extension));
    return id ? Number(id) : undefined;
  }

  /**
   * Puts the agent on a phone in one step: off its previous phone, and the phone's previous
   * agent (if another) loses it. Returns that previous agent, whom the caller logs out.
   */
  async claimPhone(agentId: number, extension: string): Promise<number | undefined> {
    const prev = await this.redis.eval(
      `local old = redis.call('GET', KEYS[1])
       if old and old ~= ARGV[2] then
         if redis.call('GET', ARGV[3] .. old .. ':agent') == ARGV[1] then redis.call('DEL', ARGV[3] .. old .. ':agent') end
       end
       local holder = redis.call('GET', KEYS[2])
       redis.call('SET', KEYS[1], ARGV[2])
       redis.call('SET', KEYS[2], ARGV[1])
       if holder and holder ~= ARGV[1] then
         if redis.call('GET', ARGV[4] .. holder .. ':phone') == ARGV[2] then redis.call('DEL', ARGV[4] .. holder .. ':phone') end
         return holder
       end
       return false`,
      2,
      keys.agentPhone(agentId),
      keys.phoneAgent(extension),
      String(agentId),
      extension,
      phonePrefix(),
      keys.agentPrefix(),
    );
    return prev ? Number(prev) : undefined;
  }

  /** The agent leaves its phone (log out); the phone is freed only if it is still the agent's. */
  async releasePhone(agentId: number): Promise<void> {
    await this.redis.eval(
      `local old = redis.call('GET', KEYS[1])
       redis.call('DEL', KEYS[1])
       if old and redis.call('GET', ARGV[2] .. old .. ':agent') == ARGV[1] then redis.call('DEL', ARGV[2] .. old .. ':agent') end
       return 1`,
      1,
      keys.agentPhone(agentId),
      String(agentId),
      phonePrefix(),
    );
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
