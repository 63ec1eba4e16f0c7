import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { AppError } from './errors.js';
import { ConfigError, type Config } from './config.js';

// Sensitive customer fields and TOTP secrets are stored as an envelope:
//   enc:v1:<keyId>:<iv>:<tag>:<ciphertext>      (iv, tag, ciphertext in base64)
// AES-256-GCM, a fresh 12-byte IV per value. The key id names which configured key sealed
// the value, so a new key can become current while values sealed under older keys still
// open (scripts/encrypt-existing.ts re-seals them). A value without the prefix is a row
// written before encryption and is read as it is.

const PREFIX = 'enc:v1:';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
export const KEY_ID_PATTERN = /^[A-Za-z0-9_-]{1,32}$/;

export interface DataKeys {
  /** The key new values are sealed with. */
  currentKeyId: string;
  /** Every key that may have sealed a stored value, by id (the current one included). */
  keys: Record<string, Buffer>;
}

/** A stored value that does not open: tampered, truncated, or sealed under another key. */
export class FieldDecryptError extends AppError {
  constructor(context: string, why: string) {
    super(500, 'field-decrypt-failed', `cannot decrypt ${context}: ${why}`);
    this.name = 'FieldDecryptError';
  }
}

/**
 * Seals and opens field values. Only repositories hold one: services and pages see plain
 * text. `context` (table.column) is bound to the ciphertext as additional data, so a value
 * copied into another column (a TOTP secret into a customer's email, to be shown on a page)
 * fails to open instead of leaking.
 */
export class FieldCipher {
  /** Per data key, the HMAC key of its blind indexes, derived so the AES key is never reused. */
  private readonly indexKeys = new Map<string, Buffer>();

  constructor(private readonly k: DataKeys) {
    if (!k.keys[k.currentKeyId]) throw new Error(`no data key '${k.currentKeyId}'`);
    for (const [id, key] of Object.entries(k.keys)) indexKeys(this.indexKeys, id, key);
  }

  static isSealed(stored: string): boolean {
    return stored.startsWith(PREFIX);
  }

  get currentKeyId(): string {
    return this.k.currentKeyId;
  }

  seal(plain: string, context: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.k.keys[this.k.currentKeyId] as Buffer, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return `${PREFIX}${this.k.currentKeyId}:${iv.toString('base64')}:${cipher.getAuthTag().toString('base64')}:${body.toString('base64')}`;
  }

  open(stored: string, context: string): string {
    if (!FieldCipher.isSealed(stored)) return stored;
    const parts = stored.slice(PREFIX.length).split(':');
    if (parts.length !== 4) throw new FieldDecryptError(context, 'malformed envelope');
    const [keyId, ivText, tagText, bodyText] = parts as [string, string, string, string];
    const key = this.k.keys[keyId];
    if (!key) throw new FieldDecryptError(context, `sealed under data key '${keyId}', which security.dataKeys does not hold`);
    const iv = Buffer.from(ivText, 'base64');
    const tag = Buffer.from(tagText, 'base64');
    if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new FieldDecryptError(context, 'malformed envelope');
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, iv);
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(Buffer.from(bodyText, 'base64')), decipher.final()]).toString('utf8');
    } catch {
      throw new FieldDecryptError(context, `the value does not authenticate under data key '${keyId}' (altered, or the key changed)`);
    }
  }

  /** Nullable columns: null stays null. */
  sealOrNull(plain: string | null | undefined, context: string): string | null {
    return plain === null || plain === undefined ? null : this.seal(plain, context);
  }

  openOrNull(stored: string | null | undefined, context: string): string | null {
    return stored === null || stored === undefined ? null : this.open(stored, context);
  }

  /**
   * A blind index of a sealed value: an HMAC of its search form under the current key, so
   * MariaDB can find a row by the exact value (any case, spacing) without holding it in
   * clear. Bound to `context` like the envelope: equal emails and company names do not
   * share an index value. Null and empty values have none.
   */
  blindIndex(plain: string | null | undefined, context: string): string | null {
    const form = searchForm(plain);
    return form ? hmac(this.indexKeys.get(this.k.currentKeyId) as Buffer, context, form) : null;
  }

  /** The index values a search for `plain` matches: one per configured key, so rows indexed before a rotation are still found. */
  blindIndexCandidates(plain: string, context: string): string[] {
    const form = searchForm(plain);
    return form ? [...this.indexKeys.values()].map((key) => hmac(key, context, form)) : [];
  }

  /** True when a stored value is plain text or sealed under a key other than the current one. */
  needsSealing(stored: string | null): boolean {
    if (stored === null) return false;
    return !stored.startsWith(`${PREFIX}${this.k.currentKeyId}:`);
  }
}

/** What a blind index compares: Unicode-normalised, trimmed, lower case, single spaces. */
export function searchForm(plain: string | null | undefined): string {
  return (plain ?? '').normalize('NFKC').trim().toLowerCase().replace(/\s+/g, ' ');
}

function indexKeys(into: Map<string, Buffer>, id: string, key: Buffer): void {
  into.set(id, Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), 'cc blind index v1', 32)));
}

/** 128 bits of HMAC-SHA256 in hex: unique enough for an index, short enough for a key column. */
function hmac(key: Buffer, context: string, form: string): string {
  return createHmac('sha256', key).update(`${context}\u0000${form}`, 'utf8').digest('hex').slice(0, 32);
}

/** Every problem with security.* in one list, named by key, so the installer can fix them all at once. */
export function dataKeyProblems(security: Config['security']): string[] {
  const problems: string[] = [];
  const ids = Object.keys(security.dataKeys);
  if (!security.dataKeyId) {
    problems.push('security.dataKeyId: no data key configured (install.sh generates one: npx tsx scripts/gen-config.ts)');
  } else if (!ids.includes(security.dataKeyId)) {
    problems.push(`security.dataKeyId: '${security.dataKeyId}' is not among security.dataKeys`);
  }
  for (const id of ids) {
    if (!KEY_ID_PATTERN.test(id)) problems.push(`security.dataKeys.${id}: a key id is 1-32 letters, digits, '-' or '_'`);
    const raw = security.dataKeys[id] ?? '';
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(raw) || Buffer.from(raw, 'base64').length !== KEY_BYTES) {
      problems.push(`security.dataKeys.${id}: must be ${KEY_BYTES} random bytes in base64 (openssl rand -base64 32)`);
    }
  }
  return problems;
}

/** The cipher the configuration describes; a missing or malformed key stops the boot. */
export function createFieldCipher(config: Config): FieldCipher {
  const problems = dataKeyProblems(config.security);
  if (problems.length) throw new ConfigError(problems);
  const keys: Record<string, Buffer> = {};
  for (const [id, raw] of Object.entries(config.security.dataKeys)) keys[id] = Buffer.from(raw, 'base64');
  return new FieldCipher({ currentKeyId: config.security.dataKeyId, keys });
}

/** A fresh key in the form security.dataKeys holds (install, tests). */
export function generateDataKey(): string {
  return randomBytes(KEY_BYTES).toString('base64');
}
