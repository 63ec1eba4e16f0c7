import type { BlockList } from 'node:net';
import type { Redis } from 'ioredis';
import type { Logger } from '../core/logger.js';
import type { SecurityEventInfo } from '../telephony/index.js';
import type { AsteriskConfigFile } from '../telephony/config-file.js';
import type { BanRepository } from './ban-repository.js';
import { FAILURE_KINDS, aclText, isBanAddress, isProtected, neverBanList } from './ban-rules.js';
import type { FailureWindow } from './failure-window.js';
import type { NftFirewall, NftStatus } from './nft-firewall.js';
import type { NftElement } from './nft-rules.js';
import { ManualBan, type SipBan } from './schemas.js';
import { checkedBody } from '../core/validate.js';
import { badAddress, banNotFound, neverBanned } from './errors.js';

/** Which backend enforces bans, for the admin page and the API. */
export type FirewallStatus =
  | ({ backend: 'nftables'; dropped: number | null } & NftStatus)
  | { backend: 'acl'; why: string };

export interface SipGuardDeps {
  repo: BanRepository;
  window: FailureWindow;
  acl: AsteriskConfigFile;
  /** Absent: bans are enforced by the PJSIP ACL only (`aclOnlyWhy` says why). */
  firewall?: NftFirewall;
  aclOnlyWhy?: string;
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
 * expire. The database holds the bans; the ACL file and the nftables sets are always rewritten
 * from it, so a restart, a second instance or a lost write never leaves them out of step for long.
 *
 * Both are kept when nftables is there (belt and braces): nftables drops a banned address's
 * packets before Asterisk sees them (no answer, no work), but only on the SIP ports it knows;
 * the ACL covers every PJSIP transport, and still refuses (403) when nft fails or a kernel
 * element timed out before our expiry job ran. The price is the res_pjsip reload per ban change
 * the ACL already cost.
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
    if (!FAILURE_KINDS.has(e.kind) || !isBanAddress(e.address) || isProtected(this.protectedList, e.address)) return;
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
    if (!isBanAddress(address)) throw badAddress(address);
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

  /** Writes the ACL (Asterisk re-reads it when it changed) and the nftables sets from the active bans. */
  async sync(reason: string): Promise<void> {
    await Promise.all([
      this.d.acl.apply(async () => aclText((await this.enforced()).map((b) => b.address)), reason),
      this.syncFirewall(reason),
    ]);
  }

  /** Writes the nftables sets from the active bans (at start, before AMI may be up); never throws. */
  async syncFirewall(reason: string): Promise<void> {
    await this.d.firewall?.apply(async () => this.elements(), reason);
  }

  async firewallStatus(): Promise<FirewallStatus> {
    const fw = this.d.firewall;
    if (!fw) return { backend: 'acl', why: this.d.aclOnlyWhy ?? 'sipGuard.firewall is acl' };
    return { backend: 'nftables', ...fw.status(), dropped: (await fw.dropped()) ?? null };
  }

  /** The active bans, without any address that has become never-banned since (config changed). */
  private async enforced(): Promise<SipBan[]> {
    return (await this.d.repo.active()).filter((b) => !isProtected(this.protectedList, b.address));
  }

  /** Each ban's remaining time becomes its kernel timeout, so it ends even while we are down. */
  private async elements(): Promise<NftElement[]> {
    const now = this.now();
    return (await this.enforced()).map((b) => ({ address: b.address, timeoutSec: (Date.parse(b.expiresAt) - now) / 1000 }));
  }

  private async ban(address: string, reason: string, failures: number, ms: number): Promise<void> {
    const at = this.now();
    await this.d.repo.insert({ address, reason: reason.slice(0, 255), failures, bannedAt: new Date(at), expiresAt: new Date(at + ms) });
    await this.d.window.clear(address);
    await this.sync(`banned ${address}`);
  }
}
