import { Value } from '@sinclair/typebox/value';
import type { Logger } from '../core/logger.js';
import type { AuditActor, AuditService } from '../audit/index.js';
import { CreateUser, type UpdateUser, type User } from './schemas.js';
import { isDuplicate, type UserSecretsRepository, type UsersRepository } from './users-repository.js';
import { hashPassword, verifyPassword } from './password.js';
import { passwordProblems } from './password-rules.js';
import type { LoginThrottle } from './login-throttle.js';
import type { UserSessions } from './user-sessions.js';
import { invalidUser, ownAccount, userNotFound, usernameTaken, weakPassword, wrongCurrentPassword } from './errors.js';

export interface UsersDeps {
  repo: UsersRepository;
  secrets: UserSecretsRepository;
  audit: AuditService;
  sessions: UserSessions;
  throttle: LoginThrottle;
  passwordMinLength: number;
  log: Logger;
}

/** Who acts, as the audit log names them, and from where. */
export type Actor = AuditActor & { ip?: string | null };

export const SYSTEM: Actor = { userId: null, username: 'system' };
export const DEFAULT_LOCALE = 'en';

/** What the audit log keeps of a user: everything shown on the users page, never a secret. */
const snapshot = (u: User) => ({ username: u.username, role: u.role, displayName: u.displayName, locale: u.locale, active: u.active, totpEnabled: u.totpEnabled });

export class UsersService {
  // Hashed once, lazily: verifying against it makes an unknown username cost as
  // much time as a known one, so response times do not reveal which names exist.
  private dummyHash: Promise<string> | null = null;

  constructor(private readonly deps: UsersDeps) {}

  /** Sign-in failures and locks, for the sign-in route. */
  get throttle(): LoginThrottle {
    return this.deps.throttle;
  }

  /** The index of each user's web sessions, for the session store. */
  get sessions(): UserSessions {
    return this.deps.sessions;
  }

  async create(input: CreateUser, actor: Actor = SYSTEM): Promise<User> {
    const candidate = { ...input, username: input.username.trim(), displayName: input.displayName.trim() };
    if (!Value.Check(CreateUser, candidate)) {
      throw invalidUser([...Value.Errors(CreateUser, candidate)].map((e) => ({ path: e.path, message: e.message })));
    }
    this.checkPassword(candidate.password, candidate.username);
    const passwordHash = await hashPassword(candidate.password);
    let user: User;
    try {
      user = await this.deps.repo.insert({
        username: candidate.username,
        passwordHash,
        role: candidate.role,
        displayName: candidate.displayName,
        locale: candidate.locale ?? DEFAULT_LOCALE,
      });
    } catch (err) {
      if (isDuplicate(err)) throw usernameTaken(candidate.username);
      throw err;
    }
    this.deps.log.info({ userId: user.id, username: user.username, role: user.role }, 'user created');
    await this.audit(actor, 'user.create', user.id, null, snapshot(user));
    return user;
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
    return found.user;
  }

  async list(): Promise<User[]> {
    return this.deps.secrets.list();
  }

  /**
   * Role, name, language, active. Deactivating ends the user's sessions at once (the auth
   * hook would refuse them anyway; this also frees their Redis keys). An admin cannot
   * deactivate or demote their own account, so the last admin cannot lock everyone out.
   */
  async update(id: number, changes: UpdateUser, actor: Actor): Promise<User> {
    const before = await this.get(id);
    if (actor.userId === id && (changes.active === false || (changes.role !== undefined && changes.role !== before.role))) {
      throw ownAccount('deactivate or change the role of');
    }
    await this.deps.secrets.update(id, { ...changes, displayName: changes.displayName?.trim() });
    const after = await this.get(id);
    if (before.active && !after.active) await this.deps.sessions.endAll(id);
    await this.audit(actor, 'user.update', id, snapshot(before), snapshot(after));
    return after;
  }

  /** An admin sets someone's password: the rules apply, and every session of that user ends. */
  async setPassword(id: number, password: string, actor: Actor): Promise<void> {
    const user = await this.get(id);
    await this.replacePassword(user, password, actor);
  }

  /** A user changes their own password, proving they know the current one. */
  async changeOwnPassword(id: number, currentPassword: string, newPassword: string, actor: Actor): Promise<void> {
    const user = await this.get(id);
    const hash = await this.deps.secrets.passwordHash(id);
    if (!hash || !(await verifyPassword(currentPassword, hash))) throw wrongCurrentPassword();
    await this.replacePassword(user, newPassword, actor);
  }

  /** Ends every session of the user, on every instance. */
  async logoutEverywhere(id: number, actor: Actor): Promise<number> {
    const user = await this.get(id);
    const ended = await this.deps.sessions.endAll(id);
    await this.audit(actor, 'user.logout-everywhere', id, null, { username: user.username, sessionsEnded: ended });
    return ended;
  }

  /** Lifts a sign-in lock before it runs out; true when there was a lock or failures to forget. */
  async unlock(id: number, actor: Actor): Promise<boolean> {
    const user = await this.get(id);
    const lockedUntil = await this.deps.throttle.isLocked(user.username);
    const changed = await this.deps.throttle.unlock(user.username);
    await this.audit(actor, 'user.unlock', id, { lockedUntil: lockedUntil?.toISOString() ?? null }, { lockedUntil: null });
    return changed;
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

  /** Throws weak-password listing every rule the candidate breaks. */
  checkPassword(password: string, username: string): void {
    const problems = passwordProblems(password, username, this.deps.passwordMinLength);
    if (problems.length) throw weakPassword(problems);
  }

  async audit(actor: Actor, action: string, id: number, before: Record<string, unknown> | null, after: Record<string, unknown> | null): Promise<void> {
    await this.deps.audit.record({ actor, action, target: { type: 'user', id }, before, after, ip: actor.ip ?? null });
  }

  private async replacePassword(user: User, password: string, actor: Actor): Promise<void> {
    this.checkPassword(password, user.username);
    await this.deps.secrets.setPasswordHash(user.id, await hashPassword(password));
    const ended = await this.deps.sessions.endAll(user.id);
    // Only that it changed: neither the password nor its hash belongs in the audit log.
    await this.audit(actor, 'user.password', user.id, null, { passwordChanged: true, sessionsEnded: ended });
    this.deps.log.info({ userId: user.id, by: actor.username }, 'password changed; sessions ended');
  }

  private getDummyHash(): Promise<string> {
    this.dummyHash ??= hashPassword('dummy password never used by anyone');
    return this.dummyHash;
  }
}
