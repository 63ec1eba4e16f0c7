import { isIP } from 'node:net';
import type { BlockList } from 'node:net';
import type { Redis } from 'ioredis';
import type { Logger } from '../core/logger.js';
import type { SecurityEventInfo } from '../telephony/index.js';
import type { AsteriskConfigFile } from '../telephony/config-file.js';
import type { BanRepository } from './ban-repository.js';
import { FAILURE_KINDS, aclText, isProtected, neverBanList } from './ban-rules.js';
import type { FailureWindow } from './failure-window.js';
import { ManualBan, type SipBan } from './schemas.js';
import { checkedBody } from '../core/validate.js';
import { badAddress, banNotFound, neverBanned } from './errors.js';

export interface SipGuardDeps {
  repo: BanRepository;
  window: FailureWindow;
  acl: AsteriskConfigFile;
  redis: Redis;
  /** Addresses and networks (CIDR) never banned whatever they send: the config's trunk, sipGuard.neverBan. */
  neverBan: readonly string[];
  maxFailures: number;
  banMs: number;
  log: Logger;
  now?: () => number;
}

/**
 * Bans SIP addresses that fail too often (scans, password guessing) and lifts bans when they
 * expire. The database holds the bans; the ACL file is always rewritten from it, so a
 * restart, a second instance or a lost write never leaves Asterisk out of step for long.
 */
export class SipGuardService {
  private readonly now: () => number;
  private protectedList: BlockList;
  /** More never-banned addresses, by who gave them (the trunks added from the admin pages). */
  private readonly extra = new Map<string, readonly string[]>();

  constructor(private readonly d: SipGuardDeps) {
    this.now = d.now ?? Date.now;
    this.protectedList = neverBanList(d.neverBan);
  }

  /**
   * Another room's addresses that must never be banned, replacing what `source` gave before:
   * the trunks room calls this at start and after every change, so a carrier added from the
   * pages is as safe from a ban as the config's trunk. Pushed, not pulled: the check runs
   * on every security event of an attack and must not query anything.
   */
  setNeverBan(source: string, entries: readonly string[]): Promise<number> {
    this.extra.set(source, [...entries]);
    this.protectedList = neverBanList([...this.d.neverBan, ...[...this.extra.values()].flat()]);
    return this.liftProtected(source);
  }

  /** A carrier banned before it became a trunk would stay cut off: its bans end now. */
  private async liftProtected(by: string): Promise<number> {
    const now = new Date(this.now());
    let n = 0;
    for (const ban of await this.d.repo.active()) {
      if (isProtected(this.protectedList, ban.address) && (await this.d.repo.lift(`never-ban: ${by}`, now, { id: ban.id }))) n += 1;
    }
    if (n) await this.sync(`${n} ban(s) of never-banned addresses lifted`);
    return n;
  }

  /** True when `address` is never banned (loopback, a trunk's, sipGuard.neverBan). */
  isNeverBanned(address: string): boolean {
    return isProtected(this.protectedList, address);
  }

  async onSecurityEvent(e: SecurityEventInfo): Promise<void> {
    if (!FAILURE_KINDS.has(e.kind) || isProtected(this.protectedList, e.address)) return;
    const failures = await this.d.window.add(e.address, e.eventId, this.now());
    if (failures < this.d.maxFailures) return;
    // One instance bans; the others hear the same events and must not add a second row.
    const mine = await this.d.redis.set(`cc:sipguard:banning:${e.address}`, '1', 'PX', 10000, 'NX');
    if (!mine || (await this.d.repo.activeFor(e.address))) return;
    const reason = `${failures} failed SIP requests (last: ${e.kind}${e.account ? ` for ${e.account.slice(0, 64)}` : ''})`;
    await this.ban(e.address, reason, failures, this.d.banMs);
    this.d.log.warn({ address: e.address, failures, kind: e.kind }, 'SIP address banned');
  }

  /** An admin bans an address by hand. */
  async banByHand(body: unknown, by: string): Promise<SipBan> {
    const input = checkedBody(ManualBan, body);
    const address = input.address.trim();
    if (!isIP(address)) throw badAddress(address);
    if (isProtected(this.protectedList, address)) throw neverBanned(address);
    const existing = await this.d.repo.activeFor(address);
    if (existing) return existing;
    await this.ban(address, input.reason?.trim() || `banned by ${by}`, 0, input.minutes * 60000);
    return (await this.d.repo.activeFor(address)) as SipBan;
  }

  async lift(id: number, by: string): Promise<void> {
    const ban = (await this.d.repo.active()).find((b) => b.id === id);
    if (!ban || !(await this.d.repo.lift(by, new Date(this.now()), { id }))) throw banNotFound(id);
    await this.d.window.clear(ban.address);
    await this.sync(`lifted ${ban.address}`);
  }

  /** Ends expired bans; run by a timer. */
  async expire(): Promise<number> {
    const now = new Date(this.now());
    const n = await this.d.repo.lift('expiry', now, { expiredBy: now });
    if (n) await this.sync(`${n} ban(s) expired`);
    return n;
  }

  list(state: 'active' | 'all'): Promise<SipBan[]> {
    return state === 'active' ? this.d.repo.active() : this.d.repo.recent(500);
  }

  /** Writes the ACL from the active bans and has Asterisk re-read it (when it changed). */
  async sync(reason: string): Promise<void> {
    await this.d.acl.apply(async () => aclText((await this.d.repo.active()).map((b) => b.address)), reason);
  }

  private async ban(address: string, reason: string, failures: number, ms: number): Promise<void> {
    const at = this.now();
    await this.d.repo.insert({ address, reason: reason.slice(0, 255), failures, bannedAt: new Date(at), expiresAt: new Date(at + ms) });
    await this.d.window.clear(address);
    await this.sync(`banned ${address}`);
  }
}
