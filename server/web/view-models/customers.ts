import { LEVELS, LIMITS, type Customer, type CustomerDetail, type HistoryItem, type Level } from '../../crm/index.js';
import { t } from '../i18n/index.js';

// View models of the CRM for the customers pages and the agent desk's screen pop (the
// partials views/partials/crm-customer-card.hbs and crm-new-customer-form.hbs render
// them). Every value is plain text: the templates print it with {{ }}, which escapes.

/** "2026-03-01 09:05" in UTC, like the other admin pages; the ISO time goes in <time datetime>. */
const when = (iso: string) => iso.slice(0, 16).replace('T', ' ');

/** m:ss, or h:mm:ss from an hour; '' when unknown. */
export function duration(ms: number | null): string {
  if (ms === null || ms < 0) return '';
  const s = Math.round(ms / 1000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return s >= 3600 ? `${Math.floor(s / 3600)}:${pad(Math.floor(s / 60) % 60)}:${pad(s % 60)}` : `${Math.floor(s / 60)}:${pad(s % 60)}`;
}

export function levelOptions(selected: Level, locale: string) {
  return LEVELS.map((value) => ({ value, label: t(locale, `crm.level.${value}`), selected: value === selected }));
}

const OUTCOMES = new Set(['answered', 'abandoned', 'abandoned-in-greeting']);
const outcomeLabel = (outcome: string | null, locale: string) =>
  outcome === null ? '' : OUTCOMES.has(outcome) ? t(locale, `crm.outcome.${outcome}`) : outcome;

/** One row of a customer list. */
export function customerRow(c: Customer, locale: string) {
  return {
    id: c.id, href: `/customers/${c.id}`, name: c.name, company: c.company ?? '', level: c.level, levelLabel: t(locale, `crm.level.${c.level}`),
    // Numbers stay whole here: the page prints them with the `phone` helper, which masks them for roles that do not see them.
    tags: c.tags, numbers: c.numbers, updatedAt: when(c.updatedAt),
  };
}

/** The customer card: what the screen pop and the customer page show of a customer. */
export function customerCardModel(c: CustomerDetail, locale: string) {
  return {
    ...customerRow(c, locale),
    email: c.email ?? '',
    notes: c.notes,
    latestNotes: c.latestNotes.map((n) => ({ id: n.id, at: n.at, atLabel: when(n.at), author: n.author, text: n.text })),
  };
}

/** Rows of a history table, newest first. */
export function historyRows(items: HistoryItem[], locale: string) {
  return items.map((i) => ({
    interactionId: i.interactionId, at: i.at, atLabel: when(i.at), direction: t(locale, `crm.direction.${i.direction}`),
    callerNumber: i.callerNumber, queue: i.queue ?? '', agentName: i.agentName ?? '',
    outcome: i.outcome ?? '', outcomeLabel: outcomeLabel(i.outcome, locale), wait: duration(i.waitMs), talk: duration(i.talkMs),
    disposition: i.disposition ?? '', note: i.note ?? '', followUp: i.followUp,
    recordings: i.recordings.map((r) => ({ id: r.id, duration: duration(r.durationMs) })),
  }));
}

export interface CustomerFormValues {
  name?: string;
  level?: string;
  tags?: string;
  notes?: string;
  email?: string;
  company?: string;
  numbers?: string;
}

/**
 * The new-customer form, the number prefilled from the caller id (the desk passes the
 * ringing call's number). `values` and `problems` re-show a refused submission.
 */
export function newCustomerFormModel(o: { callerNumber?: string; values?: CustomerFormValues; problems?: Array<{ where?: string; message: string }>; locale: string; csrfToken?: string }) {
  const v = o.values ?? {};
  return {
    action: '/customers',
    api: '/api/v1/customers',
    csrfToken: o.csrfToken,
    values: { ...v, name: v.name ?? '', numbers: v.numbers ?? o.callerNumber ?? '' },
    levels: levelOptions(LEVELS.includes(v.level as Level) ? (v.level as Level) : 'standard', o.locale),
    limits: LIMITS,
    problems: o.problems ?? [],
  };
}

/** Form fields (all text) as the CRM's input: tags and numbers are comma or line separated. */
export function customerInputOf(f: CustomerFormValues): Record<string, unknown> {
  const list = (s: string | undefined) => (s ?? '').split(/[,\n]/).map((x) => x.trim()).filter(Boolean);
  const input: Record<string, unknown> = {};
  if (f.name !== undefined) input.name = f.name;
  if (f.level !== undefined && f.level !== '') input.level = f.level;
  if (f.tags !== undefined) input.tags = list(f.tags);
  if (f.notes !== undefined) input.notes = f.notes;
  if (f.email !== undefined) input.email = f.email;
  if (f.company !== undefined) input.company = f.company;
  if (f.numbers !== undefined) input.numbers = list(f.numbers);
  return input;
}

/** A customer as the edit form shows it. */
export function customerFormValues(c: Customer): CustomerFormValues {
  return { name: c.name, level: c.level, tags: c.tags.join(', '), notes: c.notes, email: c.email ?? '', company: c.company ?? '', numbers: c.numbers.join('\n') };
}
