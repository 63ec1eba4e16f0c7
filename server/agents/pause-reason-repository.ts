import type { Knex } from '../core/db.js';

export interface PauseReason {
  id: number;
  /** Stable key kept in live state and the state log (`break`, `no-answer`). */
  name: string;
  /** Digits an agent keys on the desk phone after *72. */
  code: string;
  label: string;
  paid: boolean;
  active: boolean;
  /** Set by the system (the ACD's no-answer): may be relabelled, never removed or deactivated. */
  system: boolean;
}

export type PauseReasonInput = Pick<PauseReason, 'name' | 'code' | 'label' | 'paid' | 'active'>;

interface Row {
  id: number;
  name: string;
  code: string;
  label: string;
  paid: number | boolean;
  active: number | boolean;
  system: number | boolean;
}

const toReason = (r: Row): PauseReason => ({
  id: r.id, name: r.name, code: r.code, label: r.label, paid: !!r.paid, active: !!r.active, system: !!r.system,
});

export class PauseReasonRepository {
  constructor(private readonly db: Knex) {}

  async list(): Promise<PauseReason[]> {
    return (await this.db<Row>('pause_reasons').orderBy('code').select('*')).map(toReason);
  }

  async get(id: number): Promise<PauseReason | undefined> {
    const row = await this.db<Row>('pause_reasons').where({ id }).first();
    return row ? toReason(row) : undefined;
  }

  /** By name or by phone code: an API client may send either. */
  async find(nameOrCode: string): Promise<PauseReason | undefined> {
    const row = await this.db<Row>('pause_reasons').where({ name: nameOrCode }).orWhere({ code: nameOrCode }).orderBy('id').first();
    return row ? toReason(row) : undefined;
  }

  /** The row that already holds this name or code, other than `exceptId`. */
  async clash(name: string, code: string, exceptId = 0): Promise<PauseReason | undefined> {
    const row = await this.db<Row>('pause_reasons')
      .where((q) => q.where({ name }).orWhere({ code }))
      .andWhereNot({ id: exceptId })
      .first();
    return row ? toReason(row) : undefined;
  }

  async insert(r: PauseReasonInput): Promise<number> {
    const [id] = await this.db('pause_reasons').insert({ ...r, system: false });
    return id as number;
  }

  async update(id: number, r: PauseReasonInput): Promise<void> {
    await this.db('pause_reasons').where({ id }).update(r);
  }

  async remove(id: number): Promise<void> {
    await this.db('pause_reasons').where({ id }).delete();
  }
}
