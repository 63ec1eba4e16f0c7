/** The per-queue settings the KPI definitions use (KPIS.md). */
export interface KpiThresholds {
  /** T of the service level: answered within this many seconds counts as within service. */
  serviceLevelSec: number;
  /** The service level a queue aims at, in percent; only colours and alerts use it. */
  serviceLevelTargetPct: number;
  /** Abandons with a wait under this many seconds are short abandons. */
  shortAbandonSec: number;
  /** The highest abandon rate a queue accepts, in percent; only colours use it. */
  abandonTargetPct: number;
}

export const DEFAULT_THRESHOLDS: KpiThresholds = { serviceLevelSec: 20, serviceLevelTargetPct: 80, shortAbandonSec: 5, abandonTargetPct: 5 };

/** Thresholds from a queue's settings; a value the queue does not set takes the default. */
export function thresholdsOf(q: Partial<KpiThresholds> | undefined): KpiThresholds {
  return {
    serviceLevelSec: q?.serviceLevelSec ?? DEFAULT_THRESHOLDS.serviceLevelSec,
    serviceLevelTargetPct: q?.serviceLevelTargetPct ?? DEFAULT_THRESHOLDS.serviceLevelTargetPct,
    shortAbandonSec: q?.shortAbandonSec ?? DEFAULT_THRESHOLDS.shortAbandonSec,
    abandonTargetPct: q?.abandonTargetPct ?? DEFAULT_THRESHOLDS.abandonTargetPct,
  };
}
