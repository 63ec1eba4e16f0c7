import type { Knex } from '../core/db.js';
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
  };
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

export function isDuplicate(err: unknown): boolean {
  return (err as { code?: string } | null)?.code === 'ER_DUP_ENTRY';
}
