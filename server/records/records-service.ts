import type { Logger } from '../core/logger.js';
import { csvLines, type CsvValue } from '../core/csv.js';
import type { InteractionService } from '../interactions/index.js';
import type { RecordingService, StoredRecording } from '../recordings/index.js';
import type { SearchRepository, SearchRow } from './search-repository.js';
import type { TimelineRepository } from './timeline-repository.js';
import type { PlaybackService } from './playback-service.js';
import type { InteractionDetail, InteractionSummary, RecordingView, SearchPage, SearchQuery } from './schemas.js';
import { decodeCursor, encodeCursor, toFilter } from './search-filter.js';
import { buildTimeline, handlersOf, queuesOf } from './timeline.js';
import { ivrSteps } from '../desk/index.js';
import { interactionNotFound } from './errors.js';

/** Customer notes written this long after the call (or its wrap-up) still belong to it. */
const NOTE_GRACE_MS = 60 * 60_000;

const CSV_HEADER = [
  'interaction_id', 'entered_at', 'direction', 'caller_number', 'caller_name', 'did', 'queue', 'agent_id', 'agent_name',
  'outcome', 'wait_s', 'talk_s', 'hold_s', 'disposition', 'wrap_note', 'follow_up', 'recordings',
];

const seconds = (ms: number | null) => (ms === null ? null : Math.round(ms / 100) / 10);
const iso = (d: Date | null | undefined) => (d ? new Date(d).toISOString() : null);

export function summaryOf(r: SearchRow): InteractionSummary {
  return {
    id: r.id, enteredAt: r.entered_at.toISOString(), direction: r.direction, callerNumber: r.caller_number, callerName: r.caller_name,
    did: r.did, queue: r.queue, agentId: r.agent_id, agentName: r.agent_name, outcome: r.outcome, waitMs: r.wait_ms, talkMs: r.talk_ms,
    holdMs: r.hold_ms, disposition: r.disposition, recordings: Number(r.recordings),
  };
}

function csvRow(r: SearchRow): CsvValue[] {
  return [
    r.id, r.entered_at, r.direction, r.caller_number, r.caller_name, r.did, r.queue, r.agent_id, r.agent_name, r.outcome,
    seconds(r.wait_ms), seconds(r.talk_ms), seconds(r.hold_ms), r.disposition, r.wrap_note, !!r.follow_up, Number(r.recordings),
  ];
}

/** Socket writes of about 64 kB instead of one per line: a million tiny writes cost more than the query. */
async function* batched(lines: AsyncIterable<string>, size = 65_536): AsyncGenerator<string> {
  let buffer = '';
  for await (const line of lines) {
    buffer += line;
    if (buffer.length >= size) {
      yield buffer;
      buffer = '';
    }
  }
  if (buffer) yield buffer;
}

/** The interaction's row as the interactions room stores it (it selects every column). */
type StoredInteraction = Omit<SearchRow, 'agent_name' | 'recordings'> & {
  linkedid: string | null;
  queued_at: Date | null;
  answered_at: Date | null;
  ended_at: Date | null;
  wrapped_at?: Date | null;
  customer_id?: number | null;
  handled_by?: unknown;
  ivr_path?: unknown;
};

function interactionOf(row: StoredInteraction, recordings: number, agentName: (id: number) => string | null): Omit<InteractionDetail['interaction'], 'handledBy' | 'queues'> {
  return {
    ...summaryOf({ ...row, agent_name: row.agent_id ? agentName(row.agent_id) : null, recordings, hold_ms: row.hold_ms ?? null }),
    linkedid: row.linkedid ?? null, queuedAt: iso(row.queued_at), answeredAt: iso(row.answered_at), endedAt: iso(row.ended_at),
    wrapNote: row.wrap_note ?? null, followUp: !!row.follow_up, customerId: row.customer_id ?? null, ivrPath: ivrSteps(row.ivr_path),
  };
}

/**
 * The records of interactions for supervisors and quality auditors: a search with keyset
 * paging, the same search as a streamed CSV, and one interaction's full story.
 */
export class RecordsService {
  constructor(private readonly d: {
    search: SearchRepository;
    timeline: TimelineRepository;
    interactions: Pick<InteractionService, 'get' | 'events'>;
    recordings: Pick<RecordingService, 'ofInteraction'>;
    playback: Pick<PlaybackService, 'locate'>;
    numberForms: (raw: string) => string[];
    /** The contact center's time zone: a search time typed without a zone is on its clock. */
    timeZone: string;
    log: Logger;
  }) {}

  async search(q: SearchQuery): Promise<SearchPage> {
    const filter = toFilter(q, this.d.numberForms, this.d.timeZone);
    const before = q.before ? decodeCursor(q.before) : undefined;
    const limit = q.limit ?? 50;
    const rows = await this.d.search.page(filter, { before, limit: limit + 1 });
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return { items: page.map(summaryOf), nextBefore: rows.length > limit && last ? encodeCursor({ at: last.entered_at, id: last.id }) : null };
  }

  /**
   * The whole search as CSV lines, read from a database cursor as they are written: a
   * million rows never sit in memory. The filter is checked before the first line, so a bad
   * one is a 400, not a broken download.
   */
  csv(q: SearchQuery, o: { showNumber?: (n: string) => string } = {}): AsyncGenerator<string> {
    const filter = toFilter(q, this.d.numberForms, this.d.timeZone);
    const rows = this.d.search.stream(filter);
    // The caller id as the reader may see it (masked for some roles, docs/privacy.md).
    const show = o.showNumber ?? ((n: string) => n);
    return batched(csvLines(CSV_HEADER, (async function* () {
      for await (const r of rows) yield csvRow({ ...r, caller_number: show(r.caller_number) });
    })()));
  }

  options() {
    return this.d.search.options();
  }

  async detail(id: string): Promise<InteractionDetail> {
    const row = (await this.d.interactions.get(id)) as StoredInteraction | undefined;
    if (!row) throw interactionNotFound(id);
    const [events, recordings, callbacks] = await Promise.all([
      this.d.interactions.events(id),
      this.d.recordings.ofInteraction(id),
      this.d.timeline.callbacks(id),
    ]);
    const handlers = handlersOf(row.handled_by, row.agent_id);
    const ids = [...new Set([...handlers, ...(row.agent_id ? [row.agent_id] : []), ...events.flatMap((e) => (e.agent_id ? [e.agent_id] : []))])];
    const names = await this.d.timeline.agentNames(ids);
    const agentName = (n: number) => names.get(n) ?? null;
    const latest = Math.max(...[row.wrapped_at, row.ended_at, row.entered_at].map((d) => (d ? new Date(d).getTime() : 0)));
    const notes = row.customer_id ? await this.d.timeline.notes(row.customer_id, row.entered_at, new Date(latest + NOTE_GRACE_MS)) : [];
    const wrapUp = { disposition: row.disposition, note: row.wrap_note, followUp: !!row.follow_up };
    return {
      interaction: {
        ...interactionOf(row, recordings.length, agentName),
        handledBy: handlers.map((n) => ({ agentId: n, agentName: agentName(n) })),
        queues: queuesOf(events, row.queue),
      },
      timeline: buildTimeline({ events, notes, wrapUp, agentName }),
      callbacks: callbacks.map((c) => ({ status: c.status, number: c.number, attempts: c.attempts, requestedAt: new Date(c.requested_at).toISOString(), lastResult: c.last_result })),
      recordings: await Promise.all(recordings.map((r) => this.recordingView(r))),
    };
  }

  private async recordingView(r: StoredRecording): Promise<RecordingView> {
    const { state } = await this.d.playback.locate(r);
    return {
      id: r.id, startedAt: r.startedAt.toISOString(), durationMs: r.durationMs, sizeBytes: r.sizeBytes, state, deletedAt: iso(r.deletedAt),
      playUrl: `/recordings/${r.id}/play`, downloadUrl: `/recordings/${r.id}/download`,
    };
  }
}
