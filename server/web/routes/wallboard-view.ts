import type { AgentBoard, QueueBoard } from '../../wallboard/index.js';
import type { AlertView } from '../../alerts/index.js';
import { t, type Locale } from '../i18n/index.js';

// View models of the wallboard and supervisor pages. The page scripts format the same
// way (views/static/wallboard-live.js), so a pushed update looks like the first render.

export const percent = (r: number | null) => (r === null ? '—' : `${Math.round(r * 100)}%`);

/** m:ss, or h:mm:ss past an hour. */
export function clock(sec: number | null): string {
  if (sec === null) return '—';
  const s = Math.max(0, Math.floor(sec));
  const hh = Math.floor(s / 3600);
  const mm = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return hh ? `${hh}:${String(mm).padStart(2, '0')}:${ss}` : `${mm}:${ss}`;
}

export function queueCard(q: QueueBoard, at: string) {
  const longest = q.oldestQueuedAt ? (Date.parse(at) - Date.parse(q.oldestQueuedAt)) / 1000 : null;
  return {
    name: q.name, waiting: q.waiting, oldestQueuedAt: q.oldestQueuedAt ?? '', longestWait: clock(longest),
    slSec: q.thresholds.serviceLevelSec, slTarget: q.thresholds.serviceLevelTargetPct, abandonTarget: q.thresholds.abandonTargetPct,
    standing: q.standing,
    serviceLevel: percent(q.today.serviceLevelInclusive), serviceLevelAnswered: percent(q.today.serviceLevel), abandonRate: percent(q.today.abandonRate),
    offered: q.today.offered, answered: q.today.answered, abandoned: q.today.abandoned, shortAbandoned: q.today.shortAbandoned,
    timedOut: q.today.timedOut, callbacks: q.today.callbacks, asa: clock(q.today.asaSec), maxWait: clock(q.today.maxWaitSec),
    agents: q.agents,
  };
}

export function agentRow(a: AgentBoard, locale: Locale) {
  return {
    id: a.id, number: a.number, name: a.name, extension: a.extension, state: a.state, stateLabel: t(locale, `agents.state.${a.state}`),
    since: a.since, pauseReason: a.pauseReason ?? '', registered: a.registered,
    registeredLabel: t(locale, a.registered ? 'agents.registered.yes' : 'agents.registered.no'),
    queues: a.queues.join(', '),
    callerNumber: a.call?.callerNumber ?? '', callQueue: a.call?.queue ?? '', callSince: a.call?.since ?? '',
    callState: a.call?.state ?? '',
  };
}

export function alertRow(a: AlertView, locale: Locale) {
  return { id: a.id, ruleName: a.ruleName, kindLabel: `${t(locale, `alerts.kind.${a.kind}`)}${a.kind === 'phone_unregistered' ? '' : ` ${a.threshold}`}`, label: a.label, startedAt: a.startedAt, value: a.lastValue, threshold: a.threshold };
}
