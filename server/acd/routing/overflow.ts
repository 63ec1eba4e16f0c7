import type { OverflowRule } from '../schemas.js';

// Overflow stages are pure timing: the service asks which stages are due whenever it
// wakes up for a caller (tick, announcement, event) and applies them in the order given.
// A stage is identified by its index in the queue's rule list, so the set of fired
// stages survives a restart as a short list of numbers in the call's live record.
//
// The caller keeps its place through every stage: `widen` only lowers the minimum level
// (RoutingStore.setMinLevel), and `also_queue` adds the call to the other queue with the
// same virtual-time score it already has (RoutingStore.alsoQueue), never a fresh one.

export interface DueStage {
  index: number;
  rule: OverflowRule;
}

/** Actions that take the caller out of the queue: nothing after them can fire. */
const LEAVES_QUEUE = new Set<OverflowRule['action']['type']>(['flow', 'voicemail', 'callback']);

export function leavesQueue(rule: OverflowRule): boolean {
  return LEAVES_QUEUE.has(rule.action.type);
}

/** Stage indexes in firing order: by `afterSec`, ties in the order the admin wrote them. */
function firingOrder(rules: readonly OverflowRule[]): number[] {
  return rules.map((_, i) => i).sort((a, b) => (rules[a]?.afterSec ?? 0) - (rules[b]?.afterSec ?? 0) || a - b);
}

/**
 * The stages due now that have not fired yet, in the order to apply them. Stops at the
 * first stage that leaves the queue; if one such stage already fired, nothing is due.
 */
export function dueStages(rules: readonly OverflowRule[], queuedAtMs: number, nowMs: number, fired: Iterable<number>): DueStage[] {
  const done = new Set(fired);
  const waitedSec = (nowMs - queuedAtMs) / 1000;
  const due: DueStage[] = [];
  for (const index of firingOrder(rules)) {
    const rule = rules[index] as OverflowRule;
    if (done.has(index)) {
      if (leavesQueue(rule)) return [];
      continue;
    }
    if (rule.afterSec > waitedSec) break;
    due.push({ index, rule });
    if (leavesQueue(rule)) break;
  }
  return due;
}

/** Epoch ms when the next stage falls due, to arm one timer per caller; undefined if none. */
export function nextStageAt(rules: readonly OverflowRule[], queuedAtMs: number, fired: Iterable<number>): number | undefined {
  const done = new Set(fired);
  for (const index of firingOrder(rules)) {
    const rule = rules[index] as OverflowRule;
    if (done.has(index)) {
      if (leavesQueue(rule)) return undefined;
      continue;
    }
    return queuedAtMs + rule.afterSec * 1000;
  }
  return undefined;
}

/** A widen stage never narrows: a caller already open to level 2 stays open to it. */
export function widenedLevel(currentMinLevel: number, rule: OverflowRule): number {
  return rule.action.type === 'widen' ? Math.min(currentMinLevel, rule.action.level) : currentMinLevel;
}
