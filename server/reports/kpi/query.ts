import type { QueueKpis } from './counters.js';
import type { KpiThresholds } from './thresholds.js';

// The contract between the KPI engine and everything that shows its figures (reports,
// exports, the API). The engine fills it; the report pages only read it.

/** Interval lengths, in the contact center's time zone (KPIS.md). Weeks start on Monday. */
export const GRAINS = ['15m', 'hour', 'day', 'week', 'month'] as const;
export type Grain = (typeof GRAINS)[number];

/** What the rows are split by; 'total' gives one row per interval. */
export const DIMENSIONS = ['total', 'queue', 'agent', 'did'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

export interface KpiQuery {
  /** First local day, YYYY-MM-DD, inclusive. */
  from: string;
  /** Last local day, YYYY-MM-DD, inclusive. */
  to: string;
  grain: Grain;
  by: Dimension;
  /** Only these queues (names); all when absent. */
  queues?: string[];
}

/** Handling figures of the calls agents answered (counted by the entry's interval). */
export interface HandlingKpis {
  handled: number;
  talkMs: number;
  holdMs: number;
  wrapMs: number;
  /** (talk + hold + wrap) / handled, seconds. */
  ahtSec: number | null;
  transferred: number;
  /** transferred / handled, 0..1. */
  transferRate: number | null;
  repeatCalls: number;
  /** 1 − repeat / handled, 0..1 (repeat within fcr_window_h, anonymous never grouped). */
  fcr: number | null;
  csatResponses: number;
  /** Mean survey score 1..5. */
  csatMean: number | null;
  /** Share of scores 4 or 5, 0..1. */
  csatTopShare: number | null;
}

/** Time an agent spent in each state within the interval (by the time it was spent). */
export interface AgentTimeKpis {
  loggedInMs: number;
  readyMs: number;
  ringingMs: number;
  talkingMs: number;
  holdMs: number;
  wrapMs: number;
  /** Per pause reason code. */
  pausedMs: Record<string, number>;
  paidPausedMs: number;
  unpaidPausedMs: number;
  /** (talk + hold + wrap) / (that + ready), 0..1. */
  occupancy: number | null;
  /** (talk + hold + wrap) / logged in, 0..1. */
  utilisation: number | null;
}

export interface KpiRow {
  /** Interval start and end, epoch ms; label is local, e.g. '2026-11-21 09:15' or '2026-W47'. */
  from: number;
  to: number;
  label: string;
  /** Queue name, agent id (as text), DID; null for 'total'. */
  key: string | null;
  /** Queue display name, agent name, DID; null for 'total'. */
  name: string | null;
  queue: QueueKpis;
  handling: HandlingKpis;
  /** Only when split by agent, or for the total of agent time. */
  agentTime?: AgentTimeKpis;
}

export interface KpiTable {
  query: KpiQuery;
  timeZone: string;
  /** Thresholds used, per queue name, for the footnote. */
  thresholds: Record<string, KpiThresholds>;
  /** Rows in interval order, then key order. */
  rows: KpiRow[];
  /** Everything in the query added up. */
  total: KpiRow;
  generatedAt: number;
}
