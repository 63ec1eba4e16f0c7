import { isIP } from 'node:net';
import type { Logger } from '../core/logger.js';
import type { AppError } from '../core/errors.js';
import { checkedBody } from '../core/validate.js';
import type { Trunk, TrunkFields, TrunkRepository } from './trunk-repository.js';
import { TrunkInput, type TrunkView, type TrunkWithStatus } from './schemas.js';
import { hostProblem, isHostName, matchProblem, nameProblem, overlaps, passwordProblem, usernameProblem } from './trunk-rules.js';
import { applyFailed, badTrunk, matchTaken, nameTaken, outboundInUse, trunkNotFound } from './errors.js';

export interface TrunkServiceDeps {
  repo: TrunkRepository;
  /** Writes the managed trunks for Asterisk and reloads res_pjsip (telephony/config-file.ts). */
  applier: { apply(reason: string): Promise<unknown> };
  /** The installed config's trunk (rendered into pjsip.conf, not managed here). */
  configTrunk: { name: string; match: readonly string[] };
  /** Extensions of every desk phone (config and managed): PJSIP ids a trunk may not take. */
  phoneExtensions: () => Promise<readonly string[]>;
  /** Outbound registration name → state, from Asterisk; throws when AMI is down. */
  registrations: () => Promise<Map<string, string>>;
  /** Told the trunks after every change and at start: never-ban addresses, the outbound route. */
  changed: (trunks: readonly Trunk[]) => Promise<void>;
  /** Tells the other server instances that the trunks changed (they call refresh). */
  announce: () => Promise<void>;
  log: Logger;
}

/** Trunks managed from the pages and the API; every change is applied to Asterisk at once. */
export class TrunkService {
  constructor(private readonly d: TrunkServiceDeps) {}

  async list(): Promise<TrunkView[]> {
    return (await this.d.repo.list()).map(toView);
  }

  /** The list with each registering trunk's registration state; null where Asterisk cannot say. */
  async listWithStatus(): Promise<TrunkWithStatus[]> {
    const trunks = await this.list();
    const states = await this.d.registrations().catch((err: Error) => {
      this.d.log.warn({ err: err.message }, 'registration states unavailable');
      return new Map<string, string>();
    });
    return trunks.map((t) => ({ ...t, registration: t.kind === 'register' && t.enabled ? (states.get(`${t.name}-reg`) ?? null) : null }));
  }

  async get(id: number): Promise<TrunkView> {
    return toView(await this.trunk(id));
  }

  async getWithStatus(id: number): Promise<TrunkWithStatus> {
    const t = (await this.listWithStatus()).find((x) => x.id === id);
    if (!t) throw trunkNotFound(id);
    return t;
  }

  async create(body: unknown): Promise<TrunkView> {
    const fields = await this.checked(body);
    const id = await unique(fields.name, () => this.d.repo.save(fields));
    await this.applied(`trunk ${fields.name} added`);
    return this.get(id);
  }

  /** A full replacement, except that absent optional fields (the password above all) keep their stored values. */
  async update(id: number, body: unknown): Promise<TrunkView> {
    const before = await this.trunk(id);
    const fields = await this.checked(body, before);
    await unique(fields.name, () => this.d.repo.save(fields, id));
    await this.applied(`trunk ${fields.name} changed`);
    return this.get(id);
  }

  async remove(id: number): Promise<void> {
    const t = await this.trunk(id);
    if (t.outbound) throw outboundInUse(t.name, 'deleting it');
    await this.d.repo.remove(id);
    await this.applied(`trunk ${t.name} removed`);
  }

  /** Writes the trunks for Asterisk and reloads it (at start, and after an AMI reconnect). */
  async applyAll(reason: string): Promise<void> {
    await this.d.applier.apply(reason);
    await this.refresh();
  }

  /** Re-reads the trunks and tells the listeners (another instance changed them). */
  async refresh(): Promise<void> {
    await this.d.changed(await this.d.repo.list());
  }

  private async applied(reason: string): Promise<void> {
    await this.refresh();
    await this.d.announce();
    try {
      await this.d.applier.apply(reason);
    } catch (err) {
      this.d.log.error({ err, reason }, 'trunks saved but not applied');
      throw applyFailed((err as Error).message);
    }
  }

  private async trunk(id: number): Promise<Trunk> {
    const t = await this.d.repo.get(id);
    if (!t) throw trunkNotFound(id);
    return t;
  }

  /** Every rule a trunk must meet; the first broken one is the error, and nothing is written. */
  private async checked(body: unknown, existing?: Trunk): Promise<TrunkFields> {
    const input = shape(body);
    const { name, kind } = input;
    const nameIssue = nameProblem(name);
    if (nameIssue) throw badTrunk('bad-trunk-name', nameIssue);
    await this.nameIsFree(name, existing);
    const host = input.host.trim();
    const hostIssue = hostProblem(host);
    if (hostIssue) throw badTrunk('bad-trunk-host', hostIssue);
    const match = await this.checkedMatch(input.match ?? existing?.match ?? [], host, kind, existing);
    const creds = checkedCredentials(input, existing);
    const enabled = input.enabled ?? existing?.enabled ?? true;
    const outbound = input.outbound ?? existing?.outbound ?? false;
    if (outbound && !enabled) throw existing?.outbound ? outboundInUse(existing.name, 'disabling it') : badTrunk('bad-trunk-outbound', 'a disabled trunk cannot carry the outgoing calls');
    return {
      name, kind, host, match, enabled, outbound, ...creds,
      label: (input.label ?? existing?.label ?? '').trim(),
      port: input.port ?? existing?.port ?? 5060,
      transport: 'udp',
      codecs: input.codecs ?? existing?.codecs ?? ['ulaw', 'alaw'],
    };
  }

  private async nameIsFree(name: string, existing?: Trunk): Promise<void> {
    const lower = name.toLowerCase();
    if (lower === this.d.configTrunk.name.toLowerCase()) throw nameTaken(name, 'the installed config\'s trunk');
    if ((await this.d.phoneExtensions()).includes(name)) throw nameTaken(name, 'a desk phone\'s extension');
    const other = (await this.d.repo.list()).find((t) => t.name.toLowerCase() === lower && t.id !== existing?.id);
    if (other) throw nameTaken(name, 'another trunk\'s');
  }

  /** The addresses that identify the trunk's calls: given, or the host when it is an IP address. */
  private async checkedMatch(given: readonly string[], host: string, kind: Trunk['kind'], existing?: Trunk): Promise<string[]> {
    const entries = [...new Set(given.map((m) => m.trim()))];
    for (const e of entries) {
      const issue = matchProblem(e);
      if (issue) throw badTrunk('bad-trunk-match', issue);
    }
    if (!entries.length && isIP(host)) {
      const issue = matchProblem(host);
      if (issue) throw badTrunk('bad-trunk-host', issue);
      entries.push(host);
    }
    if (!entries.length && kind === 'ip') throw badTrunk('bad-trunk-match', 'an IP trunk whose host is a DNS name needs the addresses its calls come from (match)');
    const others = [
      ...this.d.configTrunk.match.map((m) => ({ m, by: `the installed config's trunk ${this.d.configTrunk.name}` })),
      ...(await this.d.repo.list()).filter((t) => t.id !== existing?.id).flatMap((t) => t.match.map((m) => ({ m, by: `trunk ${t.name}` }))),
    ];
    for (const e of entries) {
      const clash = others.find((o) => overlaps(e, o.m));
      if (clash) throw matchTaken(e, clash.by);
    }
    return entries;
  }
}

/**
 * The body against TrunkInput. checkedBody answers 422; a trunk's shape problems answer
 * 400 like its other refusals, so a client (and the page) sees one status for bad input.
 */
function shape(body: unknown): TrunkInput {
  try {
    return checkedBody(TrunkInput, body);
  } catch (err) {
    const e = err as AppError;
    if (e.statusCode !== 422) throw err;
    const details = (e.details ?? []) as Array<{ path: string; message: string }>;
    throw badTrunk('invalid-trunk', `the trunk is not valid: ${details.slice(0, 5).map((x) => `${x.path} ${x.message}`).join('; ')}`, details);
  }
}

/** Username, password and from-domain: a registering trunk's, none for an IP trunk. */
function checkedCredentials(input: TrunkInput, existing?: Trunk): Pick<TrunkFields, 'username' | 'password' | 'fromDomain'> {
  const username = (input.username ?? '').trim();
  const password = input.password ?? '';
  const fromDomain = (input.fromDomain ?? '').trim();
  if (input.kind === 'ip') {
    if (username || password || fromDomain) throw badTrunk('bad-trunk-credentials', 'an IP trunk takes no username, password or from-domain: only a registering trunk does');
    return { username: '', password: '', fromDomain: '' };
  }
  if (!username) throw badTrunk('bad-trunk-credentials', 'a registering trunk needs the username the carrier gave');
  const userIssue = usernameProblem(username);
  if (userIssue) throw badTrunk('bad-trunk-credentials', userIssue);
  // Write-only: an empty password on a change keeps the stored one.
  const kept = password || (existing?.kind === 'register' ? existing.password : '');
  if (!kept) throw badTrunk('bad-trunk-credentials', 'a registering trunk needs the password the carrier gave');
  const passIssue = passwordProblem(kept);
  if (passIssue) throw badTrunk('bad-trunk-credentials', passIssue);
  if (fromDomain && !isHostName(fromDomain)) throw badTrunk('bad-trunk-from-domain', `"${fromDomain.slice(0, 64)}" is not a domain (letters, digits, - and .)`);
  return { username, password: kept, fromDomain };
}

/**
 * The name check and the write are two statements: two admins adding the same name at once
 * both pass the check, and the unique index refuses the second. It gets the same 409.
 */
async function unique<T>(name: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if ((err as { code?: string }).code !== 'ER_DUP_ENTRY') throw err;
    throw nameTaken(name, 'another trunk\'s');
  }
}

/** What the pages and the API show: everything but the password. */
export function toView(t: Trunk): TrunkView {
  return {
    id: t.id, name: t.name, label: t.label, kind: t.kind, host: t.host, port: t.port, transport: t.transport, match: t.match,
    username: t.username, hasPassword: t.password !== '', fromDomain: t.fromDomain, codecs: t.codecs, enabled: t.enabled, outbound: t.outbound,
    updatedAt: t.updatedAt.toISOString(),
  };
}
