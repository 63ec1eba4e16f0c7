import type { AccessLogEntry, InteractionDetail, InteractionSummary, RecordingView, SearchQuery } from '../../records/index.js';
import { localText } from '../../core/time-zone.js';
import { t } from '../i18n/index.js';
import { NUMBER_KEYS } from '../../core/number-mask.js';
import { duration } from './customers.js';

// View models of the interaction records pages (views/records/*.hbs). Every value is plain
// text printed with {{ }}, which escapes: a caller's name or a note is never markup.

/** The search form's fields, as typed (strings), so a refused search shows what was asked. */
export type SearchForm = Partial<Record<'from' | 'to' | 'number' | 'agent' | 'queue' | 'disposition' | 'outcome' | 'direction' | 'minTalk' | 'maxTalk', string>>;
export const FORM_FIELDS = ['from', 'to', 'number', 'agent', 'queue', 'disposition', 'outcome', 'direction', 'minTalk', 'maxTalk'] as const;

/** Times are printed on the contact center's clock (config timezone), as managers read them. */
const clockOf = (timeZone: string) => (iso: string | null) => (iso ? localText(timeZone, Date.parse(iso)) : '');
const label = (locale: string, key: string, fallback: string) => {
  const text = t(locale, key);
  return text === key ? fallback : text;
};

/** The search as query parameters, for the CSV link and the next page: only the fields filled in. */
export function filterParams(form: SearchForm): URLSearchParams {
  const p = new URLSearchParams();
  for (const k of FORM_FIELDS) if (form[k]?.trim()) p.set(k, form[k].trim());
  return p;
}

/** The typed form as the service's query; a number field that is not a whole number is named. */
export function queryOf(form: SearchForm): { query: SearchQuery; problem?: string } {
  const query: SearchQuery = {};
  for (const k of ['from', 'to', 'number', 'queue', 'disposition', 'outcome'] as const) if (form[k]?.trim()) query[k] = form[k].trim();
  if (form.direction === 'inbound' || form.direction === 'outbound' || form.direction === 'internal') query.direction = form.direction;
  for (const k of ['agent', 'minTalk', 'maxTalk'] as const) {
    const raw = form[k]?.trim();
    if (!raw) continue;
    if (!/^\d{1,6}$/.test(raw)) return { query, problem: k };
    query[k] = Number(raw);
  }
  return { query };
}

export function searchRows(items: InteractionSummary[], locale: string, timeZone: string) {
  const when = clockOf(timeZone);
  return items.map((i) => ({
    id: i.id, href: `/interactions/${i.id}`, at: i.enteredAt, atLabel: when(i.enteredAt),
    direction: label(locale, `crm.direction.${i.direction}`, i.direction), callerNumber: i.callerNumber, callerName: i.callerName ?? '',
    queue: i.queue ?? '', agentName: i.agentName ?? '', outcome: i.outcome ?? '', outcomeLabel: i.outcome ? label(locale, `records.outcome.${i.outcome}`, i.outcome) : '',
    wait: duration(i.waitMs), talk: duration(i.talkMs), disposition: i.disposition ?? '', recordings: i.recordings,
  }));
}

export function searchOptions(o: { agents: Array<{ id: number; name: string; number: string }>; queues: string[]; outcomes: string[]; dispositions: string[] }, form: SearchForm, locale: string) {
  return {
    agents: o.agents.map((a) => ({ value: String(a.id), label: `${a.number} ${a.name}`, selected: form.agent === String(a.id) })),
    queues: o.queues.map((q) => ({ value: q, label: q, selected: form.queue === q })),
    outcomes: o.outcomes.map((v) => ({ value: v, label: label(locale, `records.outcome.${v}`, v), selected: form.outcome === v })),
    dispositions: o.dispositions.map((v) => ({ value: v, label: v, selected: form.disposition === v })),
    directions: ['inbound', 'outbound', 'internal'].map((v) => ({ value: v, label: t(locale, `crm.direction.${v}`), selected: form.direction === v })),
  };
}

function recordingModel(r: RecordingView, locale: string, when: (iso: string | null) => string) {
  const state = r.state === 'deleted'
    ? t(locale, 'records.recording.deleted', { date: (r.deletedAt ?? '').slice(0, 10) })
    : r.state === 'missing' ? t(locale, 'records.recording.missing') : '';
  return { ...r, available: r.state === 'available', stateText: state, duration: duration(r.durationMs), startedLabel: when(r.startedAt) };
}

export function detailModel(d: InteractionDetail, locale: string, timeZone: string) {
  const when = clockOf(timeZone);
  const i = d.interaction;
  return {
    id: i.id,
    parties: {
      callerNumber: i.callerNumber, callerName: i.callerName ?? '', did: i.did ?? '', direction: label(locale, `crm.direction.${i.direction}`, i.direction),
      queues: i.queues, handledBy: i.handledBy.map((h) => h.agentName ?? `#${h.agentId}`), customerHref: i.customerId ? `/customers/${i.customerId}` : undefined,
    },
    times: {
      entered: when(i.enteredAt), queued: when(i.queuedAt), answered: when(i.answeredAt), ended: when(i.endedAt),
      wait: duration(i.waitMs), talk: duration(i.talkMs), hold: duration(i.holdMs),
    },
    outcome: i.outcome ? label(locale, `records.outcome.${i.outcome}`, i.outcome) : '',
    wrapUp: { disposition: i.disposition ?? '', note: i.wrapNote ?? '', followUp: i.followUp },
    ivrPath: i.ivrPath,
    timeline: d.timeline.map((e) => ({
      at: e.at, atLabel: when(e.at), kind: e.kind, kindLabel: label(locale, `records.event.${e.kind}`, e.kind), queue: e.queue ?? '', agentName: e.agentName ?? (e.agentId ? `#${e.agentId}` : ''),
      details: Object.entries(e.details).filter(([, v]) => v !== null && v !== '').map(([name, value]) => ({ name, value: String(value), isNumber: NUMBER_KEYS.has(name) })),
    })),
    callbacks: d.callbacks.map((c) => ({ ...c, requestedLabel: when(c.requestedAt), lastResult: c.lastResult ?? '' })),
    recordings: d.recordings.map((r) => recordingModel(r, locale, when)),
  };
}

/** The access log of an interaction's recordings, newest first (admins only). */
export function accessRows(items: AccessLogEntry[], locale: string, timeZone: string) {
  const when = clockOf(timeZone);
  return items.map((a) => ({
    atLabel: when(a.at), at: a.at, username: a.username, recordingId: a.recordingId, ip: a.ip ?? '',
    action: t(locale, `records.access.${a.action}`), result: a.result, resultLabel: t(locale, `records.access.result.${a.result}`),
  }));
}
