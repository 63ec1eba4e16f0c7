// Renders a desk phone's configuration file from its vendor's Handlebars template. Pure
// apart from reading the templates once: the unit tests render every vendor offline.
import type { Phone } from './phone-repository.js';
import type { Vendor } from './phone-rules.js';
import { compileTemplate } from './asterisk-templates.js';
import { VENDOR_SPECS, type Transport } from './vendors.js';

export interface ProvisioningSettings {
  sipHost: string;
  sipPort: number;
  transport: Transport;
  /** IANA name, e.g. Asia/Shanghai (config `timezone`). */
  timezone: string;
}

export interface RenderedFile {
  fileName: string;
  contentType: string;
  body: string;
}

const compiled = new Map<Vendor, Handlebars.TemplateDelegate>();

function templateOf(vendor: Vendor): Handlebars.TemplateDelegate {
  let t = compiled.get(vendor);
  if (!t) {
    const spec = VENDOR_SPECS[vendor];
    t = compileTemplate(`provisioning/${spec.template}`, spec.xml);
    compiled.set(vendor, t);
  }
  return t;
}

/** The zone's offset from UTC now, in seconds (phones take a fixed offset; no DST rules here). */
export function utcOffsetSeconds(timezone: string, at = new Date()): number {
  const name = new Intl.DateTimeFormat('en-US', { timeZone: timezone, timeZoneName: 'longOffset' })
    .formatToParts(at).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  if (!m) return 0;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 3600 + Number(m[3]) * 60);
}

/** `+8`, `-5`, `+5.5`: the way Yealink and Fanvil write an offset in hours. */
const hours = (seconds: number) => `${seconds < 0 ? '-' : '+'}${Math.abs(seconds) / 3600}`;
/** POSIX TZ (`UTC-8` is eight hours AHEAD of UTC), which Grandstream takes as a custom zone. */
const posix = (seconds: number) => `UTC${seconds > 0 ? '-' : '+'}${Math.abs(seconds) / 3600}`;

/** key=value files end a value at the line's end: a line break in a name would start a new key. */
const oneLine = (s: string) => s.replace(/\p{Cc}+/gu, ' ').trim();

/** What every template gets; each vendor's spelling of language and transport is resolved here. */
export function provisioningContext(phone: Phone, agentNames: ReadonlyMap<string, string>, s: ProvisioningSettings) {
  const spec = VENDOR_SPECS[phone.vendor];
  const offset = utcOffsetSeconds(s.timezone);
  return {
    mac: phone.mac,
    extension: phone.extension,
    displayName: oneLine(phone.displayName),
    sipPassword: phone.sipPassword,
    sipHost: s.sipHost,
    sipPort: s.sipPort,
    transport: spec.transport[s.transport],
    language: spec.language[phone.language],
    timezone: s.timezone,
    utcOffsetSeconds: offset,
    utcOffsetHours: hours(offset),
    posixTz: posix(offset),
    blfKeys: phone.blfKeys.slice(0, spec.maxBlfKeys).map((number, i) => ({
      key: i + 1,
      index0: i,
      // Grandstream's multi-purpose keys: fixed P-value numbers per key (vendors.ts).
      gsMode: 323 + i,
      gsAccount: 301 + 3 * i,
      gsName: 302 + 3 * i,
      gsValue: 303 + 3 * i,
      number,
      hint: `*75${number}`,
      label: oneLine(agentNames.get(number) ?? `Agent ${number}`),
    })),
  };
}

export function renderProvisioning(phone: Phone, agentNames: ReadonlyMap<string, string>, s: ProvisioningSettings): RenderedFile {
  const spec = VENDOR_SPECS[phone.vendor];
  return {
    fileName: spec.fileName(phone.mac),
    contentType: spec.contentType,
    body: templateOf(phone.vendor)(provisioningContext(phone, agentNames, s)),
  };
}
