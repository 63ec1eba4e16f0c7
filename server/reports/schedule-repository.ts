import { jsonColumn, type Knex } from '../core/db.js';
import type { Schedule, ScheduleBody } from './schemas.js';

interface ScheduleRow {
  id: number;
  name: string;
  period: Schedule['period'];
  send_time: string;
  recipients: unknown;
  language: Schedule['language'];
  enabled: number | boolean;
  last_period: string | null;
  last_sent_at: Date | null;
  last_error: string | null;
}

// mysql2 returns a JSON column parsed or as text depending on the server: accept both.
const list = (v: unknown): string[] => jsonColumn(v as string[] | string);

const toSchedule = (r: ScheduleRow): Schedule => ({
  id: r.id, name: r.name, period: r.period, sendTime: r.send_time, recipients: list(r.recipients), language: r.language, enabled: !!r.enabled,
  lastPeriod: r.last_period, lastSentAt: r.last_sent_at ? r.last_sent_at.toISOString() : null, lastError: r.last_error,
});

const rowOf = (b: ScheduleBody) => ({
  name: b.name, period: b.period, send_time: b.sendTime, recipients: JSON.stringify(b.recipients), language: b.language, enabled: b.enabled,
});

export class ScheduleRepository {
  constructor(private readonly db: Knex) {}

  async list(): Promise<Schedule[]> {
    return (await this.db<ScheduleRow>('report_schedules').orderBy('id')).map(toSchedule);
  }

  async get(id: number): Promise<Schedule | undefined> {
    const row = await this.db<ScheduleRow>('report_schedules').where({ id }).first();
    return row ? toSchedule(row) : undefined;
  }

  async insert(b: ScheduleBody, lastPeriod: string): Promise<number> {
    const [id] = await this.db('report_schedules').insert({ ...rowOf(b), last_period: lastPeriod });
    return Number(id);
  }

  async update(id: number, b: ScheduleBody): Promise<boolean> {
    return (await this.db('report_schedules').where({ id }).update(rowOf(b))) > 0;
  }

  async delete(id: number): Promise<boolean> {
    return (await this.db('report_schedules').where({ id }).delete()) > 0;
  }

  /**
   * Marks a period sent. Conditional on the period it replaces, so of two runs that both
   * found it due (a lock that expired mid-send), only one records it.
   */
  async markSent(id: number, previous: string | null, period: string, at: Date): Promise<boolean> {
    const q = this.db('report_schedules').where({ id });
    if (previous === null) q.whereNull('last_period');
    else q.andWhere({ last_period: previous });
    return (await q.update({ last_period: period, last_sent_at: at, last_error: null })) > 0;
  }

  async markFailed(id: number, error: string): Promise<void> {
    await this.db('report_schedules').where({ id }).update({ last_error: error.slice(0, 255) });
  }
}
