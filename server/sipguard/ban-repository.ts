import type { Knex } from '../core/db.js';
import type { SipBan } from './schemas.js';

interface BanRow {
  id: number;
  address: string;
  reason: string;
  failures: number;
  banned_at: Date;
  expires_at: Date;
  lifted_at: Date | null;
  lifted_by: string | null;
}

const view = (r: BanRow): SipBan => ({
  id: r.id, address: r.address, reason: r.reason, failures: r.failures,
  bannedAt: r.banned_at.toISOString(), expiresAt: r.expires_at.toISOString(),
  liftedAt: r.lifted_at ? r.lifted_at.toISOString() : null, liftedBy: r.lifted_by, active: r.lifted_at === null,
});

export class BanRepository {
  constructor(private readonly db: Knex) {}

  async active(): Promise<SipBan[]> {
    return ((await this.db('sip_bans').whereNull('lifted_at').orderBy('banned_at', 'desc')) as BanRow[]).map(view);
  }

  async recent(limit: number): Promise<SipBan[]> {
    return ((await this.db('sip_bans').orderBy('banned_at', 'desc').limit(limit)) as BanRow[]).map(view);
  }

  async activeFor(address: string): Promise<SipBan | undefined> {
    const r = (await this.db('sip_bans').where({ address }).whereNull('lifted_at').first()) as BanRow | undefined;
    return r && view(r);
  }

  async insert(b: { address: string; reason: string; failures: number; bannedAt: Date; expiresAt: Date }): Promise<number> {
    const [id] = await this.db('sip_bans').insert({ address: b.address, reason: b.reason, failures: b.failures, banned_at: b.bannedAt, expires_at: b.expiresAt });
    return id as number;
  }

  /** Ends active bans: the given one, or every one expired by `now`. Returns how many ended. */
  async lift(by: string, at: Date, which: { id: number } | { expiredBy: Date }): Promise<number> {
    const q = this.db('sip_bans').whereNull('lifted_at');
    if ('id' in which) q.where({ id: which.id });
    else q.where('expires_at', '<=', which.expiredBy);
    return q.update({ lifted_at: at, lifted_by: by.slice(0, 64) });
  }
}
