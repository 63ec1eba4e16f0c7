import { jsonColumn, type Knex } from '../core/db.js';
import type { Holiday, NamedSchedule, ScheduleBody, WeeklyRange } from './schemas.js';

interface ScheduleRow {
  id: number;
  name: string;
  timezone: string;
  weekly: string | WeeklyRange[];
  holidays: string | Holiday[];
  version: number;
  updated_at: Date;
}

// mysql2 parses JSON columns itself when MariaDB flags them; older servers send text.
const json = jsonColumn;

function toSchedule(r: ScheduleRow): NamedSchedule {
  return { id: r.id, name: r.name, timezone: r.timezone, weekly: json(r.weekly), holidays: json(r.holidays), version: r.version, updatedAt: r.updated_at.toISOString() };
}

const toRow = (b: ScheduleBody) => ({ name: b.name, timezone: b.timezone, weekly: JSON.stringify(b.weekly), holidays: JSON.stringify(b.holidays) });

/** Named business-hours schedules. */
export class ScheduleRepository {
  constructor(private readonly db: Knex) {}

  async list(): Promise<NamedSchedule[]> {
    return ((await this.db('schedules').orderBy('name')) as ScheduleRow[]).map(toSchedule);
  }

  async byId(id: number): Promise<NamedSchedule | undefined> {
    const row = (await this.db('schedules').where({ id }).first()) as ScheduleRow | undefined;
    return row && toSchedule(row);
  }

  async byName(name: string): Promise<NamedSchedule | undefined> {
    const row = (await this.db('schedules').where({ name }).first()) as ScheduleRow | undefined;
    return row && toSchedule(row);
  }

  async insert(b: ScheduleBody): Promise<number> {
    const [id] = await this.db('schedules').insert({ ...toRow(b), version: 1 });
    return Number(id);
  }

  /** As for flows: the increment is SQL's, and `expectedVersion` refuses a save over someone else's (false). */
  async update(id: number, b: ScheduleBody, expectedVersion?: number): Promise<boolean> {
    const q = this.db('schedules').where({ id });
    if (expectedVersion !== undefined) q.andWhere({ version: expectedVersion });
    return (await q.update({ ...toRow(b), version: this.db.raw('version + 1') })) > 0;
  }

  async delete(id: number): Promise<void> {
    await this.db('schedules').where({ id }).delete();
  }
}
