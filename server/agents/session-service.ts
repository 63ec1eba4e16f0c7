import type { Logger } from '../core/logger.js';
import { hashPassword, verifyPassword } from '../users/index.js';
import type { AgentRecord, AgentRepository } from './agent-repository.js';
import type { AgentService } from './agent-service.js';
import type { LiveAgents } from './live-agents.js';
import type { PauseReasonService } from './pause-reason-service.js';
import { isOnCallPath } from './agent-state.js';
import { agentBusy, agentNotFound, invalidTransition, notYourAgent, phoneInUse, unknownPhone } from './errors.js';
import type { AgentView, RequestedState } from './schemas.js';

export interface SessionDeps {
  repo: AgentRepository;
  live: LiveAgents;
  agents: AgentService;
  reasons: PauseReasonService;
  /** Extensions of the desk phones this system has (the installed config's phones). */
  phones: () => readonly string[];
  log: Logger;
}

/** Who asks: a signed-in user (the page, the API) by id and role. */
export interface Actor {
  id: number;
  role: string;
}

/** The pause reason used when a request names none (the API's `paused` without a reason). */
const DEFAULT_PAUSE = 'break';

/**
 * An agent's session: logged in on one desk phone (hot-desking: any phone, one agent per
 * phone), ready or paused with a configured reason, logged out. Every state change goes
 * through AgentService.move, so it is compare-and-set, logged and published.
 */
export class SessionService {
  /** Desk phones other rooms know of (the phones room's managed phones), asked at each log-in. */
  private readonly phoneSources: Array<() => Promise<readonly string[]>> = [];

  constructor(private readonly d: SessionDeps) {}

  /** Adds where more desk phones come from; the rooms that keep phones call it at boot. */
  addPhoneSource(source: () => Promise<readonly string[]>): void {
    this.phoneSources.push(source);
  }

  private async isPhone(extension: string): Promise<boolean> {
    if (this.d.phones().includes(extension)) return true;
    for (const source of this.phoneSources) if ((await source()).includes(extension)) return true;
    return false;
  }

  /** An agent user may act only on its own agent (agents.user_id); supervisors and admins on any. */
  async assertMayAct(user: Actor, agentId: number): Promise<void> {
    if (user.role === 'admin' || user.role === 'supervisor') return;
    const own = await this.d.repo.byUser(user.id);
    if (own?.id !== agentId) throw notYourAgent();
  }

  /**
   * Logs the agent in on `phone` (default: the phone it is on, else its own extension),
   * ready, or paused when a reason is given. Already logged in elsewhere: it moves to this
   * phone and keeps its state. Another agent on this phone is logged out (hot-desking).
   */
  async login(agentId: number, opts: { phone?: string; pauseReason?: string }, actor: string): Promise<AgentView> {
    const agent = await this.agent(agentId);
    const phone = opts.phone ?? (await this.d.agents.phoneOf(agent));
    if (phone !== agent.extension && !(await this.isPhone(phone))) throw unknownPhone(phone);
    const reason = opts.pauseReason ? await this.d.reasons.resolve(opts.pauseReason) : undefined;
    const cur = await this.d.live.get(agentId);
    const current = await this.d.live.phone(agentId);
    if (isOnCallPath(cur.state)) {
      if ((current ?? agent.extension) === phone) return this.d.agents.get(agentId);
      throw agentBusy(agentId, cur.state);
    }
    const holder = await this.d.live.agentOnPhone(phone);
    if (holder !== undefined && holder !== agentId && isOnCallPath((await this.d.live.get(holder)).state)) throw phoneInUse(phone, holder);
    const evicted = await this.d.live.claimPhone(agentId, phone);
    if (evicted !== undefined) await this.evict(evicted, phone, actor);
    if (cur.state === 'logged_out') {
      const to = reason ? 'paused' : 'ready';
      if (!(await this.d.agents.move(agentId, 'logged_out', to, { pauseReason: reason?.name, actor }))) {
        await this.d.live.releasePhone(agentId);
        throw invalidTransition((await this.d.live.get(agentId)).state, to);
      }
    } else if (current !== phone) {
      await this.d.agents.announcePhone(agentId, phone);
    }
    this.d.log.info({ agentId, phone, previousPhone: current, evicted, actor }, 'agent logged in');
    return this.d.agents.get(agentId);
  }

  async logout(agentId: number, actor: string): Promise<AgentView> {
    await this.agent(agentId);
    const cur = await this.d.live.get(agentId);
    if (cur.state !== 'logged_out') {
      if (isOnCallPath(cur.state)) throw invalidTransition(cur.state, 'logged_out');
      if (!(await this.d.agents.move(agentId, cur.state, 'logged_out', { actor }))) throw invalidTransition(cur.state, 'logged_out');
    }
    await this.d.live.releasePhone(agentId);
    return this.d.agents.get(agentId);
  }

  async ready(agentId: number, actor: string): Promise<AgentView> {
    await this.agent(agentId);
    const cur = await this.d.live.get(agentId);
    if (cur.state === 'logged_out') return this.login(agentId, {}, actor);
    if (cur.state === 'ready') return this.d.agents.get(agentId);
    if (isOnCallPath(cur.state) || !(await this.d.agents.move(agentId, cur.state, 'ready', { actor }))) throw invalidTransition(cur.state, 'ready');
    return this.d.agents.get(agentId);
  }

  /** Pauses with an active reason (by name or phone code); an unknown one is refused with a 400. */
  async pause(agentId: number, reasonKey: string, actor: string): Promise<AgentView> {
    await this.agent(agentId);
    const reason = await this.d.reasons.resolve(reasonKey);
    const cur = await this.d.live.get(agentId);
    if (cur.state === 'logged_out') return this.login(agentId, { pauseReason: reason.name }, actor);
    if (cur.state === 'paused' && cur.pauseReason === reason.name) return this.d.agents.get(agentId);
    if (isOnCallPath(cur.state) || !(await this.d.agents.move(agentId, cur.state, 'paused', { pauseReason: reason.name, actor }))) {
      throw invalidTransition(cur.state, 'paused');
    }
    return this.d.agents.get(agentId);
  }

  requestState(agentId: number, req: RequestedState, actor: string): Promise<AgentView> {
    if (req.state === 'ready') return this.ready(agentId, actor);
    if (req.state === 'paused') return this.pause(agentId, req.reason ?? DEFAULT_PAUSE, actor);
    return this.logout(agentId, actor);
  }

  /** The agent a feature code from this phone acts on: the one logged in there, else the phone's owner. */
  async agentAt(phone: string): Promise<AgentRecord | undefined> {
    const id = await this.d.live.agentOnPhone(phone);
    if (id !== undefined) return this.d.repo.get(id);
    const owner = await this.d.repo.byExtension(phone);
    // The owner counts only while it is not logged in on another phone.
    return owner && !(await this.d.live.phone(owner.id)) ? owner : undefined;
  }

  async setPin(agentId: number, pin: string | null): Promise<void> {
    await this.agent(agentId);
    await this.d.repo.setPinHash(agentId, pin === null ? null : await hashPassword(pin));
  }

  /** The agent with this number when the PIN is its own; undefined for any mismatch (no hint which). */
  async checkPin(number: string, pin: string): Promise<AgentRecord | undefined> {
    const agent = await this.d.repo.byNumber(number);
    const hash = agent ? await this.d.repo.pinHash(agent.id) : null;
    if (!agent || !hash || !(await verifyPassword(pin, hash))) return undefined;
    return agent;
  }

  private async evict(agentId: number, phone: string, actor: string): Promise<void> {
    const cur = await this.d.live.get(agentId);
    this.d.log.info({ agentId, phone, state: cur.state }, 'agent logged out: another agent logged in on its phone');
    if (cur.state !== 'logged_out' && !isOnCallPath(cur.state)) await this.d.agents.move(agentId, cur.state, 'logged_out', { actor: `hot-desk ${actor}` });
  }

  private async agent(agentId: number): Promise<AgentRecord> {
    const agent = await this.d.repo.get(agentId);
    if (!agent) throw agentNotFound(agentId);
    return agent;
  }
}
