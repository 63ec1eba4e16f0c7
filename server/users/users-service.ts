import { Value } from '@sinclair/typebox/value';
import type { Logger } from '../core/logger.js';
import { CreateUser, type User } from './schemas.js';
import { isDuplicate, type UsersRepository } from './users-repository.js';
import { hashPassword, verifyPassword } from './password.js';
import { invalidUser, userNotFound, usernameTaken } from './errors.js';

export interface UsersDeps {
  repo: UsersRepository;
  log: Logger;
}

export const DEFAULT_LOCALE = 'en';

export class UsersService {
  // Hashed once, lazily: verifying against it makes an unknown username cost as
  // much time as a known one, so response times do not reveal which names exist.
  private dummyHash: Promise<string> | null = null;

  constructor(private readonly deps: UsersDeps) {}

  async create(input: CreateUser): Promise<User> {
    const candidate = { ...input, username: input.username.trim(), displayName: input.displayName.trim() };
    if (!Value.Check(CreateUser, candidate)) {
      throw invalidUser([...Value.Errors(CreateUser, candidate)].map((e) => ({ path: e.path, message: e.message })));
    }
    const passwordHash = await hashPassword(candidate.password);
    try {
      const user = await this.deps.repo.insert({
        username: candidate.username,
        passwordHash,
        role: candidate.role,
        displayName: candidate.displayName,
        locale: candidate.locale ?? DEFAULT_LOCALE,
      });
      this.deps.log.info({ userId: user.id, username: user.username, role: user.role }, 'user created');
      return user;
    } catch (err) {
      if (isDuplicate(err)) throw usernameTaken(candidate.username);
      throw err;
    }
  }

  /** The user when the name and password match an active account; null otherwise, whatever the reason. */
  async authenticate(username: string, password: string): Promise<User | null> {
    const found = await this.deps.repo.findByUsername(username.trim());
    if (!found) {
      await verifyPassword(password, await this.getDummyHash());
      this.deps.log.info({ username }, 'sign-in refused: unknown user');
      return null;
    }
    const ok = await verifyPassword(password, found.passwordHash);
    if (!ok || !found.user.active) {
      this.deps.log.info({ userId: found.user.id, reason: ok ? 'inactive' : 'bad-password' }, 'sign-in refused');
      return null;
    }
    this.deps.log.info({ userId: found.user.id }, 'signed in');
    return found.user;
  }

  async get(id: number): Promise<User> {
    const user = await this.deps.repo.findById(id);
    if (!user) throw userNotFound(id);
    return user;
  }

  /** Like get, for callers where a missing user is a normal outcome (an old session). */
  async find(id: number): Promise<User | null> {
    return this.deps.repo.findById(id);
  }

  async exists(username: string): Promise<boolean> {
    return (await this.deps.repo.findByUsername(username.trim())) !== null;
  }

  private getDummyHash(): Promise<string> {
    this.dummyHash ??= hashPassword('dummy password never used by anyone');
    return this.dummyHash;
  }
}
