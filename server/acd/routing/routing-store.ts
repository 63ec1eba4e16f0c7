import type { Redis } from '../../core/redis.js';
import { keys } from '../../live/keys.js';
import type { Strategy } from '../schemas.js';
import { AGENT_NOT_READY, AGENT_READY, PICK_FOR_AGENT, PICK_FOR_QUEUE } from './routing-lua.js';
import { ALSO_QUEUE, ENQUEUE, REMOVE, REQUEUE, SET_MIN_LEVEL } from './waiting-lua.js';

export const LEVELS = [1, 2, 3, 4, 5] as const;

/** One queue an agent is ready in: its skill level there and its strategy score (strategy.ts). */
export interface ReadyMembership {
  queue: string;
  level: number;
  score: number;
}

/** A call and an agent reserved for each other; the agent hash already says `reserved`. */
export interface Reservation {
  callId: string;
  agentId: number;
  /** The queue the call was taken from (pickForAgent may choose among several). */
  queue: string;
  /** The call's virtual-time score, unchanged: requeue() puts it back at that place. */
  score: number;
}

export interface RoutingStoreOptions {
  /** How many calls at the head of a queue a pick looks at (a strict head must not block). */
  callScan?: number;
  /** Lifetime of a call's routing record if nobody removes it (a crashed instance). */
  callTtlSec?: number;
}

const SCRIPTS = {
  ccRoutingPickForQueue: PICK_FOR_QUEUE,
  ccRoutingPickForAgent: PICK_FOR_AGENT,
  ccRoutingAgentReady: AGENT_READY,
  ccRoutingAgentNotReady: AGENT_NOT_READY,
  ccRoutingEnqueue: ENQUEUE,
  ccRoutingAlsoQueue: ALSO_QUEUE,
  ccRoutingSetMinLevel: SET_MIN_LEVEL,
  ccRoutingRequeue: REQUEUE,
  ccRoutingRemove: REMOVE,
} as const;
type ScriptName = keyof typeof SCRIPTS;
type ScriptCall = (numKeys: number, ...keysThenArgs: Array<string | number>) => Promise<unknown>;

function checkLevel(level: number): number {
  if (!Number.isInteger(level) || level < 1 || level > 5) throw new RangeError(`skill level must be 1..5, got ${level}`);
  return level;
}

function toReservation(reply: unknown): Reservation | undefined {
  if (!Array.isArray(reply)) return undefined;
  const [callId, agentId, score, queue] = reply as [string, string, string, string];
  return { callId, agentId: Number(agentId), score: Number(score), queue };
}

/**
 * The ACD's live matching state in Redis: who waits where, who is free where, and the one
 * atomic step that pairs them. Shared by every server instance; holds nothing in memory.
 * Callers wanting the Redis layout: see the routing block of live/keys.ts.
 */
export class RoutingStore {
  private readonly callScan: number;
  private readonly callTtlSec: number;

  constructor(private readonly redis: Redis, options: RoutingStoreOptions = {}) {
    this.callScan = options.callScan ?? 20;
    this.callTtlSec = options.callTtlSec ?? 86400;
    // defineCommand sends EVALSHA and falls back to EVAL once after a Redis restart
    // (NOSCRIPT), so the scripts travel over the wire only when Redis lacks them.
    for (const [name, lua] of Object.entries(SCRIPTS)) redis.defineCommand(name, { lua });
  }

  /** The caller enters `queue` at `score` (virtual time ms) accepting agents of `minLevel` and up. */
  async enqueue(callId: string, queue: string, score: number, minLevel: number): Promise<void> {
    await this.run('ccRoutingEnqueue', [keys.routingCall(callId), keys.queueWaiting(queue)], [callId, queue, score, checkLevel(minLevel), this.callTtlSec]);
  }

  /** Overflow: the call also waits in `otherQueue`, at the same place. False if the call is unknown. */
  async alsoQueue(callId: string, otherQueue: string): Promise<boolean> {
    return (await this.run('ccRoutingAlsoQueue', [keys.routingCall(callId), keys.queueWaiting(otherQueue)], [callId, otherQueue])) === 1;
  }

  /** Overflow or a lowered queue level: agents of `level` and up may take the call, in every queue it sits in. Never raises it. */
  async setMinLevel(callId: string, level: number): Promise<boolean> {
    return (await this.run('ccRoutingSetMinLevel', [keys.routingCall(callId)], [checkLevel(level)])) === 1;
  }

  /** A missed or failed offer: the call goes back into all its queues with its old score. */
  async requeue(callId: string): Promise<boolean> {
    return (await this.run('ccRoutingRequeue', [keys.routingCall(callId)], [callId])) === 1;
  }

  /** Abandon, connect or leave for a flow: out of every queue, record gone. */
  async remove(callId: string): Promise<boolean> {
    return (await this.run('ccRoutingRemove', [keys.routingCall(callId)], [callId])) === 1;
  }

  /**
   * The agent is free in these queues, replacing any earlier memberships. Call it after the
   * agent hash says `ready` (the script refuses otherwise and returns false). `deviceKey`
   * (keys.device of the desk phone) lets a pick skip an agent whose phone is busy or gone.
   */
  async agentReady(agentId: number, memberships: readonly ReadyMembership[], deviceKey?: string): Promise<boolean> {
    // One level per queue: a repeated queue keeps its last entry, or a stale one would linger.
    const byQueue = new Map(memberships.map((m) => [m.queue, m]));
    const readyKeys: string[] = [];
    const args: Array<string | number> = [agentId, deviceKey ?? ''];
    for (const m of byQueue.values()) {
      readyKeys.push(keys.queueReadyAtLevel(m.queue, checkLevel(m.level)));
      args.push(m.queue, m.level, m.score);
    }
    return (await this.run('ccRoutingAgentReady', [keys.routingAgent(agentId), ...readyKeys], this.header(args))) === 1;
  }

  /** The agent left ready (pause, logout, a call of its own): out of every ready set. */
  async agentNotReady(agentId: number): Promise<void> {
    await this.run('ccRoutingAgentNotReady', [keys.routingAgent(agentId)], this.header([agentId]));
  }

  /** The best waiting call of `queue` and the best agent for it, reserved; undefined if no pair. */
  async pickForQueue(queue: string, strategy: Strategy): Promise<Reservation | undefined> {
    const readyKeys = LEVELS.map((l) => keys.queueReadyAtLevel(queue, l));
    const k = [keys.agentsReady(), keys.queueWaiting(queue), keys.queueOfferSeq(queue), keys.queueLastOffer(queue), ...readyKeys];
    return toReservation(await this.run('ccRoutingPickForQueue', k, this.header([strategy, this.callScan, queue])));
  }

  /** The agent just became ready: the oldest call it may take in `queues`, reserved. */
  async pickForAgent(agentId: number, queues: readonly string[]): Promise<Reservation | undefined> {
    const unique = [...new Set(queues)];
    if (!unique.length) return undefined;
    const k = [keys.agentsReady(), keys.agent(agentId), keys.routingAgent(agentId)];
    for (const q of unique) k.push(keys.queueWaiting(q), keys.queueOfferSeq(q), keys.queueLastOffer(q));
    return toReservation(await this.run('ccRoutingPickForAgent', k, this.header([agentId, this.callScan, ...unique])));
  }

  /** The agent a call is reserved for (taken out of its waiting sets), undefined if none. */
  async offeredTo(callId: string): Promise<number | undefined> {
    const v = await this.redis.hget(keys.routingCall(callId), 'offeredTo');
    return v ? Number(v) : undefined;
  }

  /** 1-based place of the call in `queue`, undefined if it does not wait there. */
  async position(callId: string, queue: string): Promise<number | undefined> {
    const rank = await this.redis.zrank(keys.queueWaiting(queue), callId);
    return rank === null ? undefined : rank + 1;
  }

  /** The place a call with `score` would take in `queue` if it entered now (ties aside). */
  async placeFor(queue: string, score: number): Promise<number> {
    return (await this.redis.zcount(keys.queueWaiting(queue), '-inf', `(${score}`)) + 1;
  }

  async waitingCount(queue: string): Promise<number> {
    return this.redis.zcard(keys.queueWaiting(queue));
  }

  /**
   * Agents in the queue's ready sets. An agent whose hash left ready without agentNotReady
   * is counted until the next pick cleans it; a busy phone is counted (it is staffed).
   */
  async readyCount(queue: string): Promise<number> {
    const m = this.redis.multi();
    for (const l of LEVELS) m.zcard(keys.queueReadyAtLevel(queue, l));
    const res = (await m.exec()) ?? [];
    return res.reduce((sum, [err, n]) => sum + (err ? 0 : Number(n)), 0);
  }

  /** Agents in any of the queue's ready sets (offerable or not), for a resync after a queue edit. */
  async readyAgentsOf(queue: string): Promise<number[]> {
    const m = this.redis.multi();
    for (const l of LEVELS) m.zrange(keys.queueReadyAtLevel(queue, l), '0', '-1');
    const res = (await m.exec()) ?? [];
    const ids = new Set<number>();
    for (const [err, members] of res) if (!err) for (const id of members as string[]) ids.add(Number(id));
    return [...ids];
  }

  /** For round robin: each queue's offer counter at this agent's last offer there (0 = never). */
  async lastOfferSeqs(agentId: number, queues: readonly string[]): Promise<Map<string, number>> {
    const m = this.redis.multi();
    for (const q of queues) m.hget(keys.queueLastOffer(q), String(agentId));
    const res = (await m.exec()) ?? [];
    return new Map(queues.map((q, i) => [q, Number(res[i]?.[1] ?? 0) || 0]));
  }

  /** The prefixes the scripts append ids to, and the time a reservation is stamped with. */
  private header(args: Array<string | number>): Array<string | number> {
    return [keys.agentPrefix(), keys.routingAgentPrefix(), keys.routingCallPrefix(), new Date().toISOString(), ...args];
  }

  private run(name: ScriptName, scriptKeys: string[], args: Array<string | number>): Promise<unknown> {
    // defineCommand adds methods ioredis cannot type; this is the one place that reaches them.
    const fn = (this.redis as unknown as Record<ScriptName, ScriptCall>)[name];
    return fn.call(this.redis, scriptKeys.length, ...scriptKeys, ...args);
  }
}
