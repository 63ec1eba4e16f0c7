import { jsonColumn, type Knex } from '../core/db.js';
import type { Codec, TrunkKind } from './trunk-rules.js';
import type { FieldCipher } from '../core/field-crypto.js';

/** One managed trunk, password included: only the service and the renderer see this. */
export interface Trunk {
  id: number;
  name: string;
  label: string;
  kind: TrunkKind;
  host: string;
  port: number;
  transport: 'udp';
  match: string[];
  username: string;
  password: string;
  fromDomain: string;
  codecs: Codec[];
  enabled: boolean;
  outbound: boolean;
  updatedAt: Date;
}

export type TrunkFields = Omit<Trunk, 'id' | 'updatedAt'>;

interface Row {
  id: number;
  name: string;
  label: string;
  kind: string;
  host: string;
  port: number;
  transport: string;
  match_list: string | string[];
  username: string | null;
  password: string | null;
  from_domain: string | null;
  codecs: string | string[];
  enabled: number | boolean;
  outbound: number | boolean;
  updated_at: Date;
}

const list = <T>(v: string | T[]): T[] => jsonColumn(v);

const PASSWORD = 'trunks.password';

const toTrunk = (c: FieldCipher, r: Row): Trunk => ({
  id: r.id,
  name: r.name,
  label: r.label,
  kind: r.kind as TrunkKind,
  host: r.host,
  port: r.port,
  transport: 'udp',
  match: list<string>(r.match_list),
  username: r.username ?? '',
  password: c.openOrNull(r.password, PASSWORD) ?? '',
  fromDomain: r.from_domain ?? '',
  codecs: list<string>(r.codecs) as Codec[],
  enabled: Boolean(r.enabled),
  outbound: Boolean(r.outbound),
  updatedAt: r.updated_at,
});

const toRow = (c: FieldCipher, t: TrunkFields): Omit<Row, 'id' | 'updated_at'> => ({
  name: t.name,
  label: t.label,
  kind: t.kind,
  host: t.host,
  port: t.port,
  transport: t.transport,
  match_list: JSON.stringify(t.match),
  username: t.username || null,
  // The carrier account's password is sealed at rest like customer data (core/sealed-columns.ts).
  password: t.password ? c.seal(t.password, PASSWORD) : null,
  from_domain: t.fromDomain || null,
  codecs: JSON.stringify(t.codecs),
  enabled: t.enabled,
  outbound: t.outbound,
});

export class TrunkRepository {
  constructor(private readonly db: Knex, private readonly cipher: FieldCipher) {}

  async list(): Promise<Trunk[]> {
    return (await this.db<Row>('trunks').orderBy('name').select('*')).map((r) => toTrunk(this.cipher, r));
  }

  async get(id: number): Promise<Trunk | undefined> {
    const row = await this.db<Row>('trunks').where({ id }).first();
    return row ? toTrunk(this.cipher, row) : undefined;
  }

  /**
   * Inserts or updates one trunk. When it becomes the outbound trunk, every other loses the
   * flag in the same transaction: two admins ticking two trunks at once leave one, the last.
   */
  async save(t: TrunkFields, id?: number): Promise<number> {
    return this.db.transaction(async (trx) => {
      if (t.outbound) await trx('trunks').whereNot({ id: id ?? 0 }).update({ outbound: false });
      if (id === undefined) {
        const [newId] = await trx('trunks').insert(toRow(this.cipher, t));
        return newId as number;
      }
      await trx('trunks').where({ id }).update(toRow(this.cipher, t));
      return id;
    });
  }

  async remove(id: number): Promise<void> {
    await this.db('trunks').where({ id }).delete();
  }
}
