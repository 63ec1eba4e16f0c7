import type { Knex } from '../core/db.js';
import type { FieldCipher } from '../core/field-crypto.js';
import type { Cursor, SearchFilter } from './search-filter.js';

// A read-only query module (STYLE.md habit 9): the interaction search reads interactions
// with their agent's name and a recording count in one statement, so a page of 50 rows is
// one round trip and the CSV export is one streamed query.

export interface SearchRow {
  id: string;
  entered_at: Date;
  direction: string;
  caller_number: string;
  caller_name: string | null;
  did: string | null;
  queue: string | null;
  agent_id: number | null;
  agent_name: string | null;
  outcome: string | null;
  wait_ms: number | null;
  talk_ms: number | null;
  hold_ms: number | null;
  disposition: string | null;
  wrap_note: string | null;
  follow_up: number | boolean | null;
  recordings: number | string;
}

const COLUMNS = [
  'i.id', 'i.entered_at', 'i.direction', 'i.caller_number', 'i.caller_name', 'i.did', 'i.queue', 'i.agent_id', 'a.name as agent_name',
  'i.outcome', 'i.wait_ms', 'i.talk_ms', 'i.hold_ms', 'i.disposition', 'i.wrap_note', 'i.follow_up',
];

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

export class SearchRepository {
  constructor(private readonly db: Knex, private readonly cipher: FieldCipher) {}

  /** The matching interactions, newest first (entered_at, then id), strictly older than the cursor. */
  query(f: SearchFilter, o: { before?: Cursor; limit?: number } = {}): Knex.QueryBuilder {
    const q = this.db('interactions as i')
      .leftJoin('agents as a', 'a.id', 'i.agent_id')
      .select(COLUMNS)
      // A correlated count on recordings(interaction_id): one index probe per row shown.
      .select(this.db.raw('(SELECT COUNT(*) FROM recordings r WHERE r.interaction_id = i.id) AS recordings'));
    this.where(q, f);
    if (o.before) {
      const { at, id } = o.before;
      // Row comparison written out: MariaDB does not use an index for (a, b) < (x, y).
      q.where((w) => w.where('i.entered_at', '<', at).orWhere((t) => t.where('i.entered_at', '=', at).andWhere('i.id', '<', id)));
    }
    q.orderBy([{ column: 'i.entered_at', order: 'desc' }, { column: 'i.id', order: 'desc' }]);
    if (o.limit !== undefined) q.limit(o.limit);
    return q;
  }

  async page(f: SearchFilter, o: { before?: Cursor; limit: number }): Promise<SearchRow[]> {
    return ((await this.query(f, o)) as SearchRow[]).map((r) => this.opened(r));
  }

  /** Every matching row, read from a cursor as the consumer asks for it (mysql2 pauses the socket in between). */
  async *stream(f: SearchFilter): AsyncIterable<SearchRow> {
    for await (const r of this.query(f).stream() as unknown as AsyncIterable<SearchRow>) yield this.opened(r);
  }

  /** The wrap-up note is sealed at rest; the search never filters on it, so it is opened only for display. */
  private opened(r: SearchRow): SearchRow {
    return { ...r, wrap_note: this.cipher.openOrNull(r.wrap_note, 'interactions.wrap_note') };
  }

  private where(q: Knex.QueryBuilder, f: SearchFilter): void {
    if (f.from) q.where('i.entered_at', '>=', f.from);
    if (f.to) q.where('i.entered_at', '<', f.to);
    if (f.agentId !== undefined) q.where('i.agent_id', f.agentId);
    if (f.queue !== undefined) q.where('i.queue', f.queue);
    if (f.disposition !== undefined) q.where('i.disposition', f.disposition);
    if (f.outcome !== undefined) q.where('i.outcome', f.outcome);
    if (f.direction !== undefined) q.where('i.direction', f.direction);
    if (f.minTalkMs !== undefined) q.where('i.talk_ms', '>=', f.minTalkMs);
    if (f.maxTalkMs !== undefined) q.where('i.talk_ms', '<=', f.maxTalkMs);
    if (f.numberDigits !== undefined) {
      const { numberForms = [], numberDigits } = f;
      q.where((w) => {
        if (numberForms.length) w.whereIn('i.caller_number', numberForms);
        w.orWhere('i.caller_number', 'like', `%${escapeLike(numberDigits)}%`);
      });
    }
  }

  /** What the search form offers to pick from. Distinct outcomes and dispositions are read off their indexes. */
  async options(): Promise<{ agents: Array<{ id: number; name: string; number: string }>; queues: string[]; outcomes: string[]; dispositions: string[] }> {
    const [agents, queues, outcomes, dispositions] = await Promise.all([
      this.db('agents').orderBy('number').select('id', 'name', 'number'),
      this.db('queues').orderBy('name').pluck('name'),
      this.db('interactions').whereNotNull('outcome').distinct('outcome').orderBy('outcome').pluck('outcome'),
      this.db('dispositions').distinct('code').orderBy('code').pluck('code'),
    ]);
    return { agents: (agents as Array<{ id: number; name: string; number: string }>).map((a) => ({ ...a, id: Number(a.id) })), queues, outcomes, dispositions };
  }
}
