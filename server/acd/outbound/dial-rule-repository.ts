import type { Knex } from '../../core/db.js';
import type { DialRule } from './dial-rules.js';

export class DialRuleRepository {
  constructor(private readonly db: Knex) {}

  all(): Promise<DialRule[]> {
    return this.db('dial_rules').orderBy('prefix').select('id', 'prefix', 'action', 'label');
  }

  /** The new id, or false when the prefix has a rule already. */
  async insert(r: Omit<DialRule, 'id'>): Promise<number | false> {
    try {
      const [id] = await this.db('dial_rules').insert(r);
      return id as number;
    } catch (err) {
      if ((err as { code?: string }).code === 'ER_DUP_ENTRY') return false;
      throw err;
    }
  }

  async remove(id: number): Promise<boolean> {
    return (await this.db('dial_rules').where({ id }).delete()) > 0;
  }
}
