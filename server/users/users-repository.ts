import type { Knex } from '../core/db.js';
import type { FieldCipher } from '../core/field-crypto.js';
import type { Role, User } from './schemas.js';

/** The `users` table as mysql2 returns it (booleans arrive as 0/1). */
interface UserRow {
  id: number;
  username: string;
  password_hash: string;
  role: Role;
  display_name: string;
  locale: string;
  active: number | boolean;
  totp_secret: string | null;
  totp_pending_secret: string | null;
  totp_enabled_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

/** A user together with its stored hash: only the users service ever sees this. */
export interface UserWithHash {
  user: User;
  passwordHash: string;
}

export interface NewUserRow {
  username: string;
  passwordHash: string;
  role: Role;
  displayName: string;
  locale: string;
}

function toUser(row: UserRow): User {
  return {
    id: row.id,
    username: row.username,
    role: row.role,
    displayName: row.display_name,
    locale: row.locale,
    active: Boolean(row.active),
    totpEnabled: row.totp_secret !== null,
  };
}

/** The fields an admin may change on a user; absent ones stay as they are. */
export interface UserChanges {
  role?: Role;
  displayName?: string;
  locale?: string;
  active?: boolean;
}

export class UsersRepository {
  constructor(private readonly db: Knex) {}

  async findById(id: number, trx?: Knex.Transaction): Promise<User | null> {
    const row = await (trx ?? this.db)<UserRow>('users').where({ id }).first();
    return row ? toUser(row) : null;
  }

  /** The column's collation is case-insensitive, so `Admin` finds `admin`. */
  async findByUsername(username: string, trx?: Knex.Transaction): Promise<UserWithHash | null> {
    const row = await (trx ?? this.db)<UserRow>('users').where({ username }).first();
    return row ? { user: toUser(row), passwordHash: row.password_hash } : null;
  }

  /**
   * No read-then-insert: the unique index on `username` is what decides between
   * two concurrent creations, and the loser gets ER_DUP_ENTRY (see isDuplicate).
   */
  async insert(input: NewUserRow, trx?: Knex.Transaction): Promise<User> {
    const [id] = await (trx ?? this.db)('users').insert({
      username: input.username,
      password_hash: input.passwordHash,
      role: input.role,
      display_name: input.displayName,
      locale: input.locale,
    });
    const user = await this.findById(Number(id), trx);
    if (!user) throw new Error(`user ${id} vanished right after insert`);
    return user;
  }
}

/** The TOTP side of a user: only the users service reads it, to check a code. */
export interface TotpState {
  secret: string | null;
  pendingSecret: string | null;
}

/**
 * The columns behind sign-in security. A separate class from UsersRepository so neither
 * passes the size limit; the users service is the only caller of both.
 */
export class UserSecretsRepository {
  // TOTP secrets are sealed at rest (server/core/field-crypto.ts): a copy of the database
  // alone no longer lets anyone mint an admin's codes.
  constructor(private readonly db: Knex, private readonly cipher: FieldCipher) {}

  async list(): Promise<User[]> {
    const rows = await this.db<UserRow>('users').orderBy('username');
    return rows.map(toUser);
  }

  async update(id: number, changes: UserChanges, trx?: Knex.Transaction): Promise<void> {
    const row: Record<string, unknown> = {};
    if (changes.role !== undefined) row.role = changes.role;
    if (changes.displayName !== undefined) row.display_name = changes.displayName;
    if (changes.locale !== undefined) row.locale = changes.locale;
    if (changes.active !== undefined) row.active = changes.active;
    if (Object.keys(row).length) await (trx ?? this.db)('users').where({ id }).update(row);
  }

  async setPasswordHash(id: number, passwordHash: string): Promise<void> {
    await this.db('users').where({ id }).update({ password_hash: passwordHash, password_changed_at: new Date() });
  }

  async passwordHash(id: number): Promise<string | null> {
    const row = await this.db<UserRow>('users').where({ id }).first('password_hash');
    return row?.password_hash ?? null;
  }

  async totp(id: number): Promise<TotpState> {
    const row = await this.db<UserRow>('users').where({ id }).first('totp_secret', 'totp_pending_secret');
    return {
      secret: this.cipher.openOrNull(row?.totp_secret, 'users.totp_secret'),
      pendingSecret: this.cipher.openOrNull(row?.totp_pending_secret, 'users.totp_pending_secret'),
    };
  }

  async setPendingTotp(id: number, secret: string): Promise<void> {
    await this.db('users').where({ id }).update({ totp_pending_secret: this.cipher.seal(secret, 'users.totp_pending_secret') });
  }

  /** Turns the pending secret on and stores the recovery codes' hashes, in one transaction. */
  async enableTotp(id: number, secret: string, codeHashes: string[]): Promise<void> {
    await this.db.transaction(async (trx) => {
      await trx('users').where({ id }).update({ totp_secret: this.cipher.seal(secret, 'users.totp_secret'), totp_pending_secret: null, totp_enabled_at: new Date() });
      await trx('user_recovery_codes').where({ user_id: id }).delete();
      await trx('user_recovery_codes').insert(codeHashes.map((code_hash) => ({ user_id: id, code_hash })));
    });
  }

  async disableTotp(id: number): Promise<void> {
    await this.db.transaction(async (trx) => {
      await trx('users').where({ id }).update({ totp_secret: null, totp_pending_secret: null, totp_enabled_at: null });
      await trx('user_recovery_codes').where({ user_id: id }).delete();
    });
  }

  /**
   * Spends a recovery code. The conditional UPDATE is the check: of two sign-ins racing
   * with the same code, only one changes a row.
   */
  async useRecoveryCode(id: number, codeHash: string): Promise<boolean> {
    const changed = await this.db('user_recovery_codes')
      .where({ user_id: id, code_hash: codeHash })
      .whereNull('used_at')
      .update({ used_at: new Date() });
    return changed === 1;
  }
}

export function isDuplicate(err: unknown): boolean {
  return (err as { code?: string } | null)?.code === 'ER_DUP_ENTRY';
}
