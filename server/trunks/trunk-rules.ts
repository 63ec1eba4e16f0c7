// The pure rules of a trunk: what a name, a host, a match address and credentials may be.
// Every value here ends up in a line of an Asterisk config file, so each rule also keeps
// out what would let a value start a new line, a comment (;) or a section ([...]).
import { BlockList, isIP } from 'node:net';

export const TRUNK_KINDS = ['ip', 'register'] as const;
export type TrunkKind = (typeof TRUNK_KINDS)[number];
export const CODECS = ['ulaw', 'alaw'] as const;
export type Codec = (typeof CODECS)[number];
export const MAX_MATCH = 16;

/**
 * Section names pjsip.conf already uses (pjsip.conf.hbs and the includes): a trunk named
 * like one would merge into it. Suffixes are the sections a trunk adds after its own name.
 */
const RESERVED = new Set(['global', 'system', 'transport-udp', 'phone-endpoint', 'phone-aor', 'bench-phone-endpoint', 'bench-phone-aor', 'cc-sip-bans']);
export const SECTION_SUFFIXES = ['-identify', '-auth', '-reg'] as const;

/** Why `name` cannot be a trunk's PJSIP id, or undefined when it can. */
export function nameProblem(name: string): string | undefined {
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$/.test(name)) return `trunk name "${name.slice(0, 48)}" must be 1 to 40 letters, digits, - or _, starting with a letter or digit`;
  if (RESERVED.has(name.toLowerCase())) return `"${name}" is a name Asterisk's PJSIP configuration already uses`;
  const suffix = SECTION_SUFFIXES.find((s) => name.toLowerCase().endsWith(s));
  if (suffix) return `a trunk name may not end in "${suffix}": the trunk's own sections use it`;
  return undefined;
}

const LABEL = /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

/** A DNS name (letters, digits, hyphens, dots) or an IPv4 address. */
export function isHostName(host: string): boolean {
  if (host.length > 253) return false;
  if (isIP(host) === 4) return true;
  if (/^[0-9.]+$/.test(host)) return false;
  return host.split('.').every((l) => LABEL.test(l));
}

/** Why `host` cannot be a carrier's address (IPv4, IPv6 or DNS name), or undefined. */
export function hostProblem(host: string): string | undefined {
  if (isIP(host) === 6 || isHostName(host)) return undefined;
  return `"${host.slice(0, 64)}" is not a host: give an IP address or a DNS name (letters, digits, - and .)`;
}

/** One address or network as a BlockList, to test overlaps; undefined when it is neither. */
export function network(entry: string): BlockList | undefined {
  const [addr = '', bits, extra] = entry.split('/');
  const v = isIP(addr);
  if (!v || extra !== undefined) return undefined;
  const type = v === 6 ? 'ipv6' : 'ipv4';
  const list = new BlockList();
  if (bits === undefined) {
    list.addAddress(addr, type);
    return list;
  }
  const n = /^[0-9]{1,3}$/.test(bits) ? Number(bits) : -1;
  if (n < 0 || n > (v === 6 ? 128 : 32)) return undefined;
  list.addSubnet(addr, n, type);
  return list;
}

/** Why a match entry cannot identify a trunk's calls, or undefined. */
export function matchProblem(entry: string): string | undefined {
  const list = network(entry);
  if (!list) return `"${entry.slice(0, 64)}" is not an IP address or network (e.g. 203.0.113.10 or 203.0.113.0/24)`;
  const [addr = '', bits] = entry.split('/');
  const v6 = isIP(addr) === 6;
  // A wide network would take every caller (and every phone) in it for the carrier, and
  // the SIP attack blocker never bans a trunk's addresses: refuse it outright.
  if (bits !== undefined && Number(bits) < (v6 ? 32 : 16)) return `${entry} is too wide a network for a carrier (at least /${v6 ? 32 : 16})`;
  // Desk phones register from this host in the tests and behind NAT, and the server itself
  // sends from it: an identify on it would take those for the carrier.
  if (list.check('127.0.0.1', 'ipv4') || list.check('::1', 'ipv6')) return `${entry} covers this host (127.0.0.1 / ::1), which phones and the server use`;
  return undefined;
}

/** The address of one entry: the network address of a CIDR, the address itself otherwise. */
const addressOf = (entry: string) => entry.split('/')[0] ?? '';

/** True when the two entries share an address (either contains the other's network address). */
export function overlaps(a: string, b: string): boolean {
  const na = network(a);
  const nb = network(b);
  if (!na || !nb) return false;
  const ia = addressOf(a);
  const ib = addressOf(b);
  const type = (ip: string) => (isIP(ip) === 6 ? 'ipv6' : 'ipv4');
  return na.check(ib, type(ib)) || nb.check(ia, type(ia));
}

/**
 * A SIP user name as carriers issue them: letters, digits and . _ + - only. It is also the
 * user of the contact we register, which the carrier's calls arrive at: from-trunk-line
 * (dialplan) matches it with a pattern of two characters or more, since a one-character
 * extension could be one of the dialplan's own (h, i, s, t).
 */
export function usernameProblem(username: string): string | undefined {
  return /^[A-Za-z0-9._+-]{2,64}$/.test(username) ? undefined : 'the username may hold 2 to 64 letters, digits and . _ + - only';
}

/**
 * Printable ASCII without spaces, and without the characters Asterisk's config reader gives
 * a meaning: ; starts a comment, \ escapes, quotes may be stripped.
 */
export function passwordProblem(password: string): string | undefined {
  return /^[\x21-\x7e]{1,128}$/.test(password) && !/[;\\"']/.test(password)
    ? undefined
    : 'the password must be 1 to 128 printable characters without spaces, ; \\ " or \'';
}

/** host:port as it goes into a SIP URI (an IPv6 address in brackets). */
export function hostPort(host: string, port: number): string {
  return `${isIP(host) === 6 ? `[${host}]` : host}:${port}`;
}
