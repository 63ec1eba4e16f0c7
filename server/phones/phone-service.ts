import type { Logger } from '../core/logger.js';
import type { Phone, PhoneFields, PhoneRepository } from './phone-repository.js';
import type { PhoneCreated, PhoneInput, PhoneSecrets, PhoneView } from './schemas.js';
import { blfProblem, extensionProblem, newProvisioningSecret, newSipPassword, normaliseMac } from './phone-rules.js';
import { provisioningFileName } from './vendors.js';
import { AppError } from '../core/errors.js';
import type { AuditActor, AuditRecord } from '../audit/schemas.js';
import { applyFailed, badBlfKeys, badExtension, badMac, extensionTaken, macTaken, phoneNotFound, unknownBlfAgent } from './errors.js';

export interface PhoneServiceDeps {
  repo: PhoneRepository;
  /** Writes the managed phones for Asterisk and reloads res_pjsip (telephony/config-file.ts). */
  applier: { apply(reason: string): Promise<unknown> };
  /** Extensions of the installed config's `phones` (rendered into pjsip.conf, not managed here). */
  configExtensions: () => readonly string[];
  isDid: (number: string) => Promise<boolean>;
  /** Of these agent numbers, the ones no agent has. */
  missingAgents: (numbers: readonly string[]) => Promise<string[]>;
  /** Base URL phones fetch their files from (no trailing slash). */
  provisioningBase: string;
  /** The audit trail (audit room): every change, and every read of a phone's secrets. */
  audit: (r: AuditRecord) => Promise<void>;
  log: Logger;
}

/** Who asks, for the audit trail. */
export interface ChangedBy extends AuditActor {
  ip?: string;
}

/** Input that passed every rule, in the form it is stored. */
type Checked = Omit<PhoneFields, 'sipPassword' | 'provisioningSecret'>;

/** Desk phones managed from the pages and the API; every change is applied to Asterisk at once. */
export class PhoneService {
  constructor(private readonly d: PhoneServiceDeps) {}

  async list(): Promise<PhoneView[]> {
    return (await this.d.repo.list()).map(toView);
  }

  async get(id: number): Promise<PhoneView> {
    return toView(await this.phone(id));
  }

  /** A sensitive read: audited like a change. */
  async secrets(id: number, by: ChangedBy): Promise<PhoneSecrets> {
    const phone = await this.phone(id);
    await this.audited(by, 'phone.secrets-read', phone, undefined, undefined);
    return this.secretsOf(phone);
  }

  async create(input: PhoneInput, by: ChangedBy): Promise<PhoneCreated> {
    const fields = await this.checked(input);
    const id = await unique(fields, () => this.d.repo.insert({ ...fields, sipPassword: newSipPassword(), provisioningSecret: newProvisioningSecret() }));
    const phone = await this.phone(id);
    await this.audited(by, 'phone.create', phone, undefined, toView(phone));
    await this.applied(`phone ${fields.extension} added`);
    return { ...toView(phone), ...this.secretsOf(phone) };
  }

  /** Changes what the admin sees; the SIP password and the provisioning secret stay. */
  async update(id: number, input: PhoneInput, by: ChangedBy): Promise<PhoneView> {
    const before = await this.phone(id);
    const fields = await this.checked(input, id);
    await unique(fields, () => this.d.repo.update(id, fields));
    const after = await this.get(id);
    await this.audited(by, 'phone.update', before, toView(before), after);
    await this.applied(`phone ${fields.extension} changed`);
    return after;
  }

  async remove(id: number, by: ChangedBy): Promise<void> {
    const phone = await this.phone(id);
    await this.d.repo.remove(id);
    await this.audited(by, 'phone.delete', phone, toView(phone), undefined);
    await this.applied(`phone ${phone.extension} removed`);
  }

  /**
   * A new SIP password and provisioning secret (a leaked URL, a phone handed to someone
   * else): the old URL answers 404 at once, and the phone re-registers with the new
   * password after its next provisioning fetch.
   */
  async regenerate(id: number, by: ChangedBy): Promise<PhoneCreated> {
    const cur = await this.phone(id);
    await this.d.repo.update(id, { sipPassword: newSipPassword(), provisioningSecret: newProvisioningSecret() });
    await this.audited(by, 'phone.regenerate-secrets', cur, undefined, undefined);
    await this.applied(`phone ${cur.extension} secrets regenerated`);
    const phone = await this.phone(id);
    return { ...toView(phone), ...this.secretsOf(phone) };
  }

  /** The phone whose secret this is, or undefined: the provisioning route answers both alike. */
  forProvisioning(secret: string): Promise<Phone | undefined> {
    if (!/^[A-Za-z0-9_-]{32,64}$/.test(secret)) return Promise.resolve(undefined);
    return this.d.repo.bySecret(secret);
  }

  /** Writes the managed phones for Asterisk and reloads it (at start, and after a reconnect). */
  async applyAll(reason: string): Promise<void> {
    await this.d.applier.apply(reason);
  }

  private async applied(reason: string): Promise<void> {
    try {
      await this.d.applier.apply(reason);
    } catch (err) {
      this.d.log.error({ err, reason }, 'desk phones saved but not applied');
      throw applyFailed((err as Error).message);
    }
  }

  /** Secrets never reach the trail: the views it keeps carry none. */
  private audited(by: ChangedBy, action: string, phone: Phone, before: PhoneView | undefined, after: PhoneView | undefined): Promise<void> {
    return this.d.audit({
      actor: { userId: by.userId, username: by.username }, ip: by.ip ?? null, action,
      target: { type: 'phone', id: phone.extension }, before: before ?? null, after: after ?? null,
    });
  }

  private async phone(id: number): Promise<Phone> {
    const phone = await this.d.repo.get(id);
    if (!phone) throw phoneNotFound(id);
    return phone;
  }

  private secretsOf(p: Phone): PhoneSecrets {
    return { sipPassword: p.sipPassword, provisioningUrl: `${this.d.provisioningBase}/provision/${p.provisioningSecret}/` };
  }

  /** Every rule a phone must meet; the first broken one is the error, and nothing is written. */
  private async checked(input: PhoneInput, exceptId = 0): Promise<Checked> {
    const extension = input.extension.trim();
    const problem = extensionProblem(extension);
    if (problem) throw badExtension(problem);
    if (this.d.configExtensions().includes(extension)) throw extensionTaken(extension, 'a desk phone of the installed config');
    if (await this.d.isDid(extension)) throw extensionTaken(extension, 'a DID (a number callers dial)');
    const mac = normaliseMac(input.mac);
    if (!mac) throw badMac(input.mac);
    const displayName = input.displayName.trim();
    if (!displayName || /\p{Cc}/u.test(displayName)) throw new AppError(400, 'bad-display-name', 'the display name must be text on one line');
    const blfKeys = (input.blfKeys ?? []).map((k) => k.trim());
    const blf = blfProblem(blfKeys);
    if (blf) throw badBlfKeys(blf);
    const missing = await this.d.missingAgents(blfKeys);
    if (missing.length) throw unknownBlfAgent(missing);
    const clash = await this.d.repo.clash(extension, mac, exceptId);
    if (clash?.extension === extension) throw extensionTaken(extension, `desk phone "${clash.displayName}"`);
    if (clash) throw macTaken(mac);
    return { extension, displayName, mac, vendor: input.vendor, model: (input.model ?? '').trim(), language: input.language ?? 'en', blfKeys };
  }
}

/**
 * The clash check and the write are two statements: two admins adding the same extension at
 * once both pass the check, and the unique index refuses the second. It gets the same 409.
 */
async function unique<T>(fields: Checked, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if ((err as { code?: string }).code !== 'ER_DUP_ENTRY') throw err;
    // MariaDB names the index: "Duplicate entry '…' for key 'phones_mac_unique'".
    throw /for key '[^']*mac/i.test((err as Error).message) ? macTaken(fields.mac) : extensionTaken(fields.extension, 'another desk phone\'s');
  }
}

function toView(p: Phone): PhoneView {
  return {
    id: p.id, extension: p.extension, displayName: p.displayName, mac: p.mac, vendor: p.vendor, model: p.model,
    language: p.language, blfKeys: p.blfKeys, provisioningFile: provisioningFileName(p.vendor, p.mac), updatedAt: p.updatedAt.toISOString(),
  };
}
