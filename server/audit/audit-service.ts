import { randomUUID } from 'node:crypto';
import type { Logger } from '../core/logger.js';
import type { Outbox } from '../live/index.js';
import type { AuditRepository, NewAuditRow } from './audit-repository.js';
import type { AuditPage, AuditQuery, AuditRecord } from './schemas.js';

/**
 * The audit trail of sensitive actions. A record goes through the outbox: an action that
 * already happened (a supervisor is listening) is not undone by MariaDB being down, and
 * its trace is written once MariaDB is back instead of being lost.
 */
export class AuditService {
  constructor(private readonly d: { repo: AuditRepository; outbox: Outbox; log: Logger }) {
    d.outbox.handle('audit.insert', (row: NewAuditRow) => d.repo.insert(row));
  }

  async record(r: AuditRecord): Promise<void> {
    const row: NewAuditRow = {
      uid: randomUUID(),
      at: r.at ?? new Date(),
      actor_user_id: r.actor.userId,
      actor_username: r.actor.username.slice(0, 64),
      action: r.action,
      target_type: r.target.type,
      target_id: String(r.target.id),
      before_json: r.before ? JSON.stringify(r.before) : null,
      after_json: r.after ? JSON.stringify(r.after) : null,
      ip: r.ip ?? null,
    };
    this.d.log.info({ action: r.action, actor: r.actor.username, target: `${r.target.type}:${r.target.id}` }, 'audit');
    await this.d.outbox.run({ op: 'audit.insert', args: [row] });
  }

  search(q: AuditQuery): Promise<AuditPage> {
    return this.d.repo.search(q);
  }
}
