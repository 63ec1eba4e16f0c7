import type { Strategy } from '../schemas.js';

// How an agent is ranked inside a queue's ready sets (one sorted set per skill level).
// The routing script offers the LOWEST score first, so every strategy is encoded as
// "smaller = has waited its turn longer":
//
//   longest_idle  score = idle-since (epoch ms)               earliest idle first
//   best_skill    score = idle-since (epoch ms)               the script scans level sets
//                                                             5 down to the call's minimum
//                                                             and takes the first non-empty,
//                                                             so idle time only breaks ties
//                                                             inside one level
//   fewest_calls  score = callsToday x 1e13 + idle-since ms   fewer calls first, then
//                                                             longest idle; epoch ms stays
//                                                             below 1e13 until the year 2286
//   round_robin   score = the queue's offer counter when      never offered = 0, so new
//                 the agent was last offered in this queue    agents go first and each offer
//                                                             sends the agent to the back
//
// Scores are doubles in Redis: integers stay exact below 2^53 (about 9e15), which caps
// callsToday at 900; beyond that every agent ranks as having taken 900 calls.

export const FEWEST_CALLS_STRIDE = 1e13;
export const MAX_COUNTED_CALLS = 900;

/** What the ready-set score of one agent in one queue is built from. */
export interface AgentStanding {
  /** Epoch ms since the agent is idle (entered ready, or ended its last wrap-up). */
  idleSinceMs: number;
  /** Calls the agent has handled today, across queues. */
  callsToday: number;
  /** The queue's offer counter at this agent's last offer in that queue; 0 if never. */
  lastOfferSeq: number;
}

export function readyScore(strategy: Strategy, agent: AgentStanding): number {
  switch (strategy) {
    case 'longest_idle':
    case 'best_skill':
      return Math.round(agent.idleSinceMs);
    case 'fewest_calls': {
      const calls = Math.min(MAX_COUNTED_CALLS, Math.max(0, Math.floor(agent.callsToday)));
      return calls * FEWEST_CALLS_STRIDE + Math.round(agent.idleSinceMs);
    }
    case 'round_robin':
      return Math.max(0, Math.floor(agent.lastOfferSeq));
  }
}
