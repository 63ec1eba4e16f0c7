import type { KpiQuery, KpiTable } from './kpi/query.js';

/**
 * Where a report gets its figures: the KPI engine's query (KpiQuery -> KpiTable) and
 * nothing else, so the printed numbers are the engine's numbers.
 */
export type KpiSource = (q: KpiQuery) => Promise<KpiTable>;
