// The KPI engine (KPIS.md): one fold for the live wallboard and for printed reports.
export { applyEvent, createFold, foldEvents, openEntries, KPI_EVENT_TYPES, type FoldOptions, type FoldState, type KpiEvent } from './fold.js';
export { kpisOf, addCounters, emptyCounters, serviceLevelStanding, waitStanding, abandonStanding, type QueueCounters, type QueueKpis, type Standing } from './counters.js';
export { thresholdsOf, DEFAULT_THRESHOLDS, type KpiThresholds } from './thresholds.js';
export { dayOf, dayKey, isValidTimeZone, type Interval } from '../../core/time-zone.js';
export { fromNotice, fromRow, type NoticeLike } from './events.js';
export { KpiRepository } from './kpi-repository.js';
