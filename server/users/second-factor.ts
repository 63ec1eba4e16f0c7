import type { Redis } from '../core/redis.js';
import { keys } from '../live/keys.js';
import { TOTP_ROLES, type User } from './schemas.js';
import type { UserSecretsRepository } from './users-repository.js';
import type { Actor, UsersService } from './users-service.js';
import { hashRecoveryCode, newRecoveryCodes, newTotpSecret, totpStep, totpUri } from './totp.js';
import { totpAlreadyOn, totpNotForRole, totpNotStarted, wrongTotpCode } from './errors.js';

export interface Enrollment {
  secret: string;
  uri: string;
}

/**
 * The optional TOTP second step for admins and supervisors. Enrolment is two steps: a
 * pending secret is shown (QR code), and only a correct code from the authenticator turns
 * it on, so nobody is locked out by a scan that did not work. Recovery codes are made at
 * that moment, shown once, and kept only as hashes.
 */
export class SecondFactor {
  constructor(private readonly d: { secrets: UserSecretsRepository; users: UsersService; redis: Redis; issuer: string }) {}

  async start(user: User): Promise<Enrollment> {
    if (!TOTP_ROLES.includes(user.role)) throw totpNotForRole();
    if (user.totpEnabled) throw totpAlreadyOn();
    const secret = newTotpSecret();
    await this.d.secrets.setPendingTotp(user.id, secret);
    return { secret, uri: totpUri(secret, this.d.issuer, user.username) };
  }

  /** The pending enrolment again (the page is reloaded), or null when none was started. */
  async pending(user: User): Promise<Enrollment | null> {
    const { pendingSecret } = await this.d.secrets.totp(user.id);
    return pendingSecret ? { secret: pendingSecret, uri: totpUri(pendingSecret, this.d.issuer, user.username) } : null;
  }

  /** Checks the first code and turns the factor on; returns the recovery codes, the only time they exist in clear. */
  async confirm(user: User, code: string, actor: Actor): Promise<string[]> {
    if (user.totpEnabled) throw totpAlreadyOn();
    const { pendingSecret } = await this.d.secrets.totp(user.id);
    if (!pendingSecret) throw totpNotStarted();
    const step = totpStep(pendingSecret, code.trim());
    if (step === null || !(await this.claimStep(user.id, step))) throw wrongTotpCode();
    const codes = newRecoveryCodes();
    await this.d.secrets.enableTotp(user.id, pendingSecret, codes.map(hashRecoveryCode));
    await this.d.users.audit(actor, 'user.totp-enable', user.id, { totpEnabled: false }, { totpEnabled: true, recoveryCodes: codes.length });
    return codes;
  }

  /**
   * The second step of a sign-in: a current TOTP code, or one unused recovery code. A
   * TOTP code is accepted once: someone who watched it typed cannot reuse it within its 90 s.
   */
  async verify(userId: number, code: string): Promise<'totp' | 'recovery' | null> {
    const { secret } = await this.d.secrets.totp(userId);
    if (!secret) return null;
    const trimmed = code.trim();
    const step = totpStep(secret, trimmed);
    if (step !== null) return (await this.claimStep(userId, step)) ? 'totp' : null;
    if (trimmed.length >= 10 && (await this.d.secrets.useRecoveryCode(userId, hashRecoveryCode(trimmed)))) return 'recovery';
    return null;
  }

  /** An admin removes someone's second factor (a lost phone); they sign in with the password alone until they enrol again. */
  async reset(userId: number, actor: Actor): Promise<void> {
    const user = await this.d.users.get(userId);
    await this.d.secrets.disableTotp(userId);
    await this.d.users.audit(actor, 'user.totp-reset', userId, { totpEnabled: user.totpEnabled }, { totpEnabled: false });
  }

  private async claimStep(userId: number, step: number): Promise<boolean> {
    return (await this.d.redis.set(keys.totpUsed(userId, step), '1', 'EX', 120, 'NX')) === 'OK';
  }
}
