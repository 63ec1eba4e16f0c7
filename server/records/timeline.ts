import type { CallEventRow } from '../interactions/index.js';
import type { TimelineEntry } from './schemas.js';

// Pure: an interaction's timeline from its call events and the customer notes written on
// it, in the order things happened.

export type EventRow = CallEventRow;

export interface NoteRow {
  id: number;
  created_at: Date;
  author_name: string;
  body: string;
}

export interface WrapUp {
  disposition: string | null;
  note: string | null;
  followUp: boolean;
}

type Detail = TimelineEntry['details'][string];
const MAX_TEXT = 500;

/** JSON columns come back from MariaDB as text. */
export function parsedJson(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}

/** An event's data as flat name/value pairs a page can print: nested values become their JSON. */
export function flatDetails(data: unknown): Record<string, Detail> {
  const obj = parsedJson(data);
  if (!obj || typeof obj !== 'object' || Array.isArray(obj)) return {};
  const out: Record<string, Detail> = {};
  for (const [k, v] of Object.entries(obj as Record<string, unknown>)) {
    if (v === undefined) continue;
    if (v === null || typeof v === 'number' || typeof v === 'boolean') out[k] = v;
    else out[k] = (typeof v === 'string' ? v : JSON.stringify(v)).slice(0, MAX_TEXT);
  }
  return out;
}

export function buildTimeline(i: { events: EventRow[]; notes: NoteRow[]; wrapUp: WrapUp; agentName: (id: number) => string | null }): TimelineEntry[] {
  const entries: TimelineEntry[] = i.events.map((e) => {
    const details = flatDetails(e.data);
    // The wrap-up event only says whether there was a note; the text is on the interaction.
    if (e.type === 'wrap-up') Object.assign(details, { disposition: i.wrapUp.disposition, note: i.wrapUp.note, followUp: i.wrapUp.followUp });
    return { at: e.at.toISOString(), kind: e.type, queue: e.queue, agentId: e.agent_id, agentName: e.agent_id === null ? null : i.agentName(e.agent_id), details };
  });
  for (const n of i.notes) {
    entries.push({ at: n.created_at.toISOString(), kind: 'note', queue: null, agentId: null, agentName: null, details: { author: n.author_name, text: n.body } });
  }
  // Stable sort: events of the same millisecond keep their recorded order (seq).
  return entries.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}

/** The queues the call entered, in order, each once. */
export function queuesOf(events: EventRow[], last: string | null): string[] {
  const seen = new Set<string>();
  for (const e of events) if (e.type === 'enter-queue' && e.queue) seen.add(e.queue);
  if (last) seen.add(last);
  return [...seen];
}

/** Agents who handled the call, in order: the handled_by list, or the one agent on older rows. */
export function handlersOf(handledBy: unknown, agentId: number | null): number[] {
  const list = parsedJson(handledBy);
  if (Array.isArray(list)) {
    const ids = list.map(Number).filter((n) => Number.isInteger(n) && n > 0);
    if (ids.length) return [...new Set(ids)];
  }
  return agentId === null ? [] : [agentId];
}
