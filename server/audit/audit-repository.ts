import { jsonColumn, type Knex } from '../core/db.js';
import type { AuditEntry, AuditQuery } from './schemas.js';

export interface AuditRow {
  id: number;
  uid: string;
  at: Date;
  actor_user_id: number | null;
  actor_username: string;
  action: string;
  target_type: string;
  target_id: string;
  before_json: string | Record<string, unknown> | null;
  after_json: string | Record<string, unknown> | null;
  ip: string | null;
}

export type NewAuditRow = Omit<AuditRow, 'id' | 'before_json' | 'after_json' | 'at'> & { at: Date; before_json: string | null; after_json: string | null };

// MariaDB's JSON is LONGTEXT: mysql2 hands it back as a string.
const json = (v: AuditRow['before_json']) => (v === null ? null : jsonColumn<Record<string, unknown>>(v));

const toEntry = (r: AuditRow): AuditEntry => ({
  id: Number(r.id), at: new Date(r.at).toISOString(), actorUserId: r.actor_user_id, actorUsername: r.actor_username,
  action: r.action, targetType: r.target_type, targetId: r.target_id, before: json(r.before_json), after: json(r.after_json), ip: r.ip,
});

/** audit_log: insert and read only. There is deliberately no update or delete here (the table refuses them too). */
export class AuditRepository {
  constructor(private readonly db: Knex) {}

  /** Idempotent on uid: an outbox replay of a row already written inserts nothing. */
  async insert(row: NewAuditRow): Promise<void> {
    await this.db('audit_log').insert(row).onConflict('uid').ignore();
  }

  async search(q: AuditQuery): Promise<{ total: number; items: AuditEntry[] }> {
    const base = this.db<AuditRow>('audit_log').where((w) => {
      if (q.actor !== undefined) {
        if (/^\d+$/.test(q.actor)) w.where('actor_user_id', Number(q.actor));
        else w.where('actor_username', q.actor);
      }
      if (q.action?.endsWith('*')) w.where('action', 'like', `${escapeLike(q.action.slice(0, -1))}%`);
      else if (q.action !== undefined) w.where('action', q.action);
      if (q.targetType !== undefined) w.where('target_type', q.targetType);
      if (q.targetId !== undefined) w.where('target_id', q.targetId);
      if (q.from !== undefined) w.where('at', '>=', new Date(q.from));
      if (q.to !== undefined) w.where('at', '<', new Date(q.to));
    });
    const [counted] = (await base.clone().count({ n: '*' })) as Array<{ n: number | string }>;
    const rows = (await base.clone().orderBy('id', 'desc').limit(q.limit ?? 50).offset(q.offset ?? 0).select('*')) as AuditRow[];
    return { total: Number(counted?.n ?? 0), items: rows.map(toEntry) };
  }
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}
