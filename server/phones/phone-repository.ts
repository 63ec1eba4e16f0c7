import type { Knex } from '../core/db.js';
import type { PhoneLanguage, Vendor } from './phone-rules.js';

/** One managed desk phone, secrets included: only the service and the renderers see this. */
export interface Phone {
  id: number;
  extension: string;
  displayName: string;
  sipPassword: string;
  mac: string;
  vendor: Vendor;
  model: string;
  language: PhoneLanguage;
  provisioningSecret: string;
  blfKeys: string[];
  updatedAt: Date;
}

export type PhoneFields = Omit<Phone, 'id' | 'updatedAt'>;

interface Row {
  id: number;
  extension: string;
  display_name: string;
  sip_password: string;
  mac: string;
  vendor: string;
  model: string;
  language: string;
  provisioning_secret: string;
  blf_keys: string | string[];
  updated_at: Date;
}

const toPhone = (r: Row): Phone => ({
  id: r.id,
  extension: r.extension,
  displayName: r.display_name,
  sipPassword: r.sip_password,
  mac: r.mac,
  vendor: r.vendor as Vendor,
  model: r.model,
  language: r.language as PhoneLanguage,
  provisioningSecret: r.provisioning_secret,
  // mysql2 hands MariaDB's JSON (a LONGTEXT alias) back as text.
  blfKeys: typeof r.blf_keys === 'string' ? (JSON.parse(r.blf_keys) as string[]) : r.blf_keys,
  updatedAt: r.updated_at,
});

const toRow = (p: Partial<PhoneFields>): Partial<Omit<Row, 'id' | 'updated_at'>> => {
  const row: Partial<Omit<Row, 'id' | 'updated_at'>> = {};
  if (p.extension !== undefined) row.extension = p.extension;
  if (p.displayName !== undefined) row.display_name = p.displayName;
  if (p.sipPassword !== undefined) row.sip_password = p.sipPassword;
  if (p.mac !== undefined) row.mac = p.mac;
  if (p.vendor !== undefined) row.vendor = p.vendor;
  if (p.model !== undefined) row.model = p.model;
  if (p.language !== undefined) row.language = p.language;
  if (p.provisioningSecret !== undefined) row.provisioning_secret = p.provisioningSecret;
  if (p.blfKeys !== undefined) row.blf_keys = JSON.stringify(p.blfKeys);
  return row;
};

export class PhoneRepository {
  constructor(private readonly db: Knex) {}

  async list(): Promise<Phone[]> {
    return (await this.db<Row>('phones').orderBy('extension').select('*')).map(toPhone);
  }

  async extensions(): Promise<string[]> {
    return (await this.db<Row>('phones').orderBy('extension').select('extension')).map((r) => r.extension);
  }

  async get(id: number): Promise<Phone | undefined> {
    const row = await this.db<Row>('phones').where({ id }).first();
    return row ? toPhone(row) : undefined;
  }

  /** The provisioning lookup: one indexed equality, the secret never leaves MariaDB otherwise. */
  async bySecret(secret: string): Promise<Phone | undefined> {
    const row = await this.db<Row>('phones').where({ provisioning_secret: secret }).first();
    return row ? toPhone(row) : undefined;
  }

  /** The phone other than `exceptId` that already has this extension or MAC. */
  async clash(extension: string, mac: string, exceptId = 0): Promise<Phone | undefined> {
    const row = await this.db<Row>('phones')
      .where((q) => q.where({ extension }).orWhere({ mac }))
      .andWhereNot({ id: exceptId })
      .first();
    return row ? toPhone(row) : undefined;
  }

  async insert(p: PhoneFields): Promise<number> {
    const [id] = await this.db('phones').insert(toRow(p));
    return id as number;
  }

  async update(id: number, p: Partial<PhoneFields>): Promise<void> {
    await this.db('phones').where({ id }).update(toRow(p));
  }

  async remove(id: number): Promise<void> {
    await this.db('phones').where({ id }).delete();
  }
}
