import type { Knex } from '../core/db.js';

/** Where a DID sends its calls: a flow if it has one, else straight to its queue. */
export interface DidRoute {
  number: string;
  flow: string | null;
  queue: string | null;
  /** False: calls to this number are never recorded, whatever their queue says. */
  recording: boolean;
  /** The prompt callers hear first (recording consent, PIPL); null: none. */
  consentPrompt: number | null;
  consentPromptName: string | null;
  /** A key that, pressed during the consent announcement, declines recording; null: none. */
  consentOptOutKey: string | null;
}

interface DidRow extends Omit<DidRoute, 'recording'> {
  recording: number | boolean;
}

const toDid = (r: DidRow): DidRoute => ({ ...r, recording: !!r.recording });

export type DidTarget = { flowId: number } | { queueId: number };

/** The columns a write sets; a field left out keeps its stored value. */
export interface DidChange {
  target?: DidTarget;
  recording?: boolean;
  consentPromptId?: number | null;
  consentOptOutKey?: string | null;
}

function columns(c: DidChange): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  if (c.target) Object.assign(row, 'flowId' in c.target ? { flow_id: c.target.flowId, queue_id: null } : { flow_id: null, queue_id: c.target.queueId });
  if (c.recording !== undefined) row.recording = c.recording;
  if (c.consentPromptId !== undefined) row.consent_prompt_id = c.consentPromptId;
  if (c.consentOptOutKey !== undefined) row.consent_opt_out_key = c.consentOptOutKey;
  return row;
}

/** The dids table: numbers we answer and where their calls go. */
export class DidRepository {
  constructor(private readonly db: Knex) {}

  async list(): Promise<DidRoute[]> {
    return ((await this.routes().orderBy('dids.number')) as DidRow[]).map(toDid);
  }

  async get(number: string): Promise<DidRoute | undefined> {
    const row = (await this.routes().where('dids.number', number).first()) as DidRow | undefined;
    return row ? toDid(row) : undefined;
  }

  private routes(): Knex.QueryBuilder {
    return this.db('dids')
      .leftJoin('ivr_flows', 'ivr_flows.id', 'dids.flow_id')
      .leftJoin('queues', 'queues.id', 'dids.queue_id')
      .leftJoin('prompts', 'prompts.id', 'dids.consent_prompt_id')
      .select(
        'dids.number as number', 'ivr_flows.name as flow', 'queues.name as queue', 'dids.recording as recording',
        'dids.consent_prompt_id as consentPrompt', 'prompts.name as consentPromptName', 'dids.consent_opt_out_key as consentOptOutKey',
      );
  }

  /** False when the number is taken (a racing create included). A new DID records by default. */
  async insert(number: string, c: DidChange & { target: DidTarget }): Promise<boolean> {
    try {
      await this.db('dids').insert({ number, ...columns(c) });
      return true;
    } catch (err) {
      if ((err as { code?: string }).code === 'ER_DUP_ENTRY') return false;
      throw err;
    }
  }

  /** False when there is no such DID. */
  async update(number: string, c: DidChange): Promise<boolean> {
    const row = columns(c);
    if (!Object.keys(row).length) return (await this.get(number)) !== undefined;
    return (await this.db('dids').where({ number }).update(row)) > 0;
  }

  async delete(number: string): Promise<boolean> {
    return (await this.db('dids').where({ number }).delete()) > 0;
  }

  async usingPrompt(promptId: number): Promise<string[]> {
    const rows: Array<{ number: string }> = await this.db('dids').where({ consent_prompt_id: promptId }).orderBy('number').select('number');
    return rows.map((r) => r.number);
  }
}
