import type { Knex } from '../core/db.js';
import type { AccessLogEntry, AccessLogPage, AccessLogQuery } from './schemas.js';

export interface NewAccess {
  at: Date;
  userId: number | null;
  username: string;
  recordingId: number;
  interactionId: string;
  action: 'play' | 'download';
  result: 'ok' | 'deleted' | 'missing';
  ip: string | null;
}

interface AccessRow {
  id: number | string;
  at: Date;
  user_id: number | null;
  username: string;
  recording_id: number | string;
  interaction_id: string;
  action: string;
  result: string;
  ip: string | null;
}

const toEntry = (r: AccessRow): AccessLogEntry => ({
  id: Number(r.id), at: r.at.toISOString(), userId: r.user_id, username: r.username, recordingId: Number(r.recording_id),
  interactionId: r.interaction_id, action: r.action, result: r.result, ip: r.ip,
});

/** recording_access: insert and read only, like the audit log. */
export class AccessRepository {
  constructor(private readonly db: Knex) {}

  async insert(a: NewAccess): Promise<void> {
    await this.db('recording_access').insert({
      at: a.at, user_id: a.userId, username: a.username.slice(0, 64), recording_id: a.recordingId, interaction_id: a.interactionId,
      action: a.action, result: a.result, ip: a.ip,
    });
  }

  /** Whether this user's playing of this recording was logged since then (a seek continues a play already logged). */
  async playedSince(userId: number, recordingId: number, since: Date): Promise<boolean> {
    const row = await this.db('recording_access')
      .where({ recording_id: recordingId, user_id: userId, action: 'play' })
      .andWhere('at', '>=', since)
      .first('id');
    return !!row;
  }

  async search(q: AccessLogQuery): Promise<AccessLogPage> {
    const base = this.db('recording_access').where((w) => {
      if (q.user !== undefined) {
        if (/^\d+$/.test(q.user)) w.where('user_id', Number(q.user));
        else w.where('username', q.user);
      }
      if (q.recordingId !== undefined) w.where('recording_id', q.recordingId);
      if (q.interactionId !== undefined) w.where('interaction_id', q.interactionId);
      if (q.action !== undefined) w.where('action', q.action);
      if (q.from !== undefined) w.where('at', '>=', new Date(q.from));
      if (q.to !== undefined) w.where('at', '<', new Date(q.to));
    });
    const [counted] = (await base.clone().count({ n: '*' })) as Array<{ n: number | string }>;
    const rows = (await base.clone().orderBy('id', 'desc').limit(q.limit ?? 50).offset(q.offset ?? 0).select('*')) as AccessRow[];
    return { total: Number(counted?.n ?? 0), items: rows.map(toEntry) };
  }
}
