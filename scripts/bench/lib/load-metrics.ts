// Turns the call-load benchmark's sipp logs into per-run figures: calls placed, calls an
// agent's phone answered, and setup times, joined across the caller's and the agents'
// logs by the caller's number (the agent leg's From carries it on both systems).
import type { SipEntry } from './sipp-log.js';
import { summarize, type Summary } from './stats.js';

export interface RunFigures {
  attempted: number;
  answered: number;
  failed: number;
  /** INVITE sent -> 200 OK received, at the caller. */
  answer?: Summary;
  /** INVITE sent by the caller -> INVITE received at the agent's phone. */
  toAgent?: Summary;
  /** The end of the caller's key (ACK + key delay + its sending time) -> INVITE at the agent's phone. */
  afterKey?: Summary;
}

interface CallerCall { number: string; invite?: number; ok?: number; ack?: number }
interface AgentCall { invite: number; acked: boolean }

function callerCalls(entries: SipEntry[]): CallerCall[] {
  const byId = new Map<string, CallerCall>();
  for (const e of entries) {
    let c = byId.get(e.callId);
    if (!c) byId.set(e.callId, (c = { number: '' }));
    if (e.dir === 'sent' && e.what === 'INVITE' && c.invite === undefined) {
      c.invite = e.at;
      c.number = e.fromUser;
    }
    if (e.dir === 'received' && e.what === '200' && e.cseqMethod === 'INVITE' && c.ok === undefined) c.ok = e.at;
    if (e.dir === 'sent' && e.what === 'ACK' && c.ack === undefined) c.ack = e.at;
  }
  return [...byId.values()].filter((c) => c.invite !== undefined);
}

/** Agent-side calls by caller number: when the INVITE arrived and whether the answer was acknowledged. */
export function agentCalls(entries: SipEntry[]): Map<string, AgentCall> {
  const byId = new Map<string, { number: string; invite: number; acked: boolean }>();
  for (const e of entries) {
    if (e.dir !== 'received') continue;
    if (e.what === 'INVITE' && !byId.has(e.callId)) byId.set(e.callId, { number: e.fromUser, invite: e.at, acked: false });
    const c = byId.get(e.callId);
    if (c && e.what === 'ACK') c.acked = true;
  }
  return new Map([...byId.values()].map((c) => [c.number, { invite: c.invite, acked: c.acked }]));
}

export function figures(caller: SipEntry[], agents: Map<string, AgentCall>, keyEndMs: number): RunFigures {
  const calls = callerCalls(caller);
  const answer: number[] = [];
  const toAgent: number[] = [];
  const afterKey: number[] = [];
  let answered = 0;
  for (const c of calls) {
    if (c.ok !== undefined) answer.push(c.ok - (c.invite as number));
    const a = agents.get(c.number);
    if (!a?.acked) continue;
    answered++;
    toAgent.push(a.invite - (c.invite as number));
    if (c.ack !== undefined) afterKey.push(a.invite - (c.ack + keyEndMs));
  }
  return {
    attempted: calls.length, answered, failed: calls.length - answered,
    answer: summarize(answer), toAgent: summarize(toAgent), afterKey: summarize(afterKey),
  };
}

/** Why a run counts as broken, or '' when it held. */
export function breakage(f: RunFigures, setupBoundMs: number): string {
  if (!f.attempted) return 'no calls placed';
  if (f.failed / f.attempted > 0.01) return `${((100 * f.failed) / f.attempted).toFixed(1)}% failed`;
  if ((f.toAgent?.p99 ?? Infinity) > setupBoundMs) return `setup p99 ${Math.round(f.toAgent?.p99 ?? 0)} ms > ${setupBoundMs} ms`;
  return '';
}
