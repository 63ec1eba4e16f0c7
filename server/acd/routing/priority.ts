import type { PriorityRules } from '../schemas.js';

// Priority turns what the IVR or the CRM knows about a caller into a head start in the
// queue (ARCHITECTURE.md, "Queue order"). It is computed once, when the caller enters:
// the virtual time it produces is never recomputed, so waiting ages everyone fairly.

/** A numeric attribute as 0..1; absent, empty or not a number counts as 0. */
function unit(raw: string | undefined): number {
  if (raw === undefined || raw.trim() === '') return 0;
  const n = Number(raw);
  if (!Number.isFinite(n)) return 0;
  return Math.min(1, Math.max(0, n));
}

/** The weighted score of value, behaviour and emotion, normalised by the weights' sum. */
function weightedScore(attrs: Record<string, string>, weights: PriorityRules['weights']): number {
  const sum = weights.value + weights.behaviour + weights.emotion;
  // All weights zero means the queue does not rank by attributes: no score, not NaN.
  if (sum <= 0) return 0;
  const raw = weights.value * unit(attrs.value) + weights.behaviour * unit(attrs.behaviour) + weights.emotion * unit(attrs.emotion);
  return raw / sum;
}

/**
 * The caller's priority in [0, 1]: 1 for a VIP, otherwise the highest of its customer
 * level's fixed priority and its weighted attribute score.
 */
export function priorityOf(attrs: Record<string, string>, rules: PriorityRules): number {
  const level = attrs.level;
  if (attrs.vip === 'true' || (level !== undefined && rules.vipLevels.includes(level))) return 1;
  const candidates = [weightedScore(attrs, rules.weights)];
  // Own-property check: a level named "constructor" must not reach Object.prototype.
  if (level !== undefined && Object.hasOwn(rules.levels, level)) candidates.push(rules.levels[level] ?? 0);
  return Math.min(1, Math.max(0, ...candidates));
}

/**
 * The score a caller gets in every waiting set it sits in: lower is served first.
 * Priority buys at most `creditSec` of head start, so a caller who has waited longer
 * than that credit is ahead of any VIP who arrives after it (nobody starves).
 * Rounded to whole milliseconds so the sorted-set score is an exact integer everywhere.
 */
export function virtualTime(enqueuedAtMs: number, priority: number, creditSec: number): number {
  return Math.round(enqueuedAtMs - priority * creditSec * 1000);
}
