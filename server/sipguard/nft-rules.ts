import { isIP } from 'node:net';

// The text of our nftables table: pure, so what the kernel is told can be tested without nft.

/** One banned address and how long the kernel keeps it (the ban's remaining time). */
export interface NftElement {
  address: string;
  timeoutSec: number;
}

export interface NftTableSpec {
  table: string;
  ports: readonly number[];
}

const TABLE_NAME = /^[a-z][a-z0-9_]{0,31}$/;
// isIP accepts a zone ('fe80::1%eth0'), which is no nft address: hex digits, dots and colons only.
const ADDRESS_CHARS = /^[0-9a-fA-F.:]+$/;
const usable = (e: NftElement) => isIP(e.address) !== 0 && ADDRESS_CHARS.test(e.address) && e.timeoutSec > 0;

/** The SIP ports, whole numbers 1-65535, each once, sorted. */
export function sipPortList(ports: readonly number[]): number[] {
  return [...new Set(ports.filter((p) => Number.isInteger(p) && p >= 1 && p <= 65535))].sort((a, b) => a - b);
}

/** `203.0.113.9 timeout 3600s`; a time under a second is rounded up, never down to no timeout. */
const element = (e: NftElement) => `${e.address} timeout ${Math.max(1, Math.ceil(e.timeoutSec))}s`;

/**
 * An nft script (`nft -f -`) that creates the table when missing and makes the two sets hold
 * exactly `elements`. It runs as one transaction: the kernel never sees a half-written set.
 *
 * Every `add` of the table, counter, sets and chain is idempotent, so the same script serves the
 * first start, a restart and each change; the chain's rules are flushed and written again so a
 * changed port list takes effect. Nothing is deleted, so the `dropped` counter keeps counting.
 * Addresses that are not IP addresses, and elements without time left, are left out: the text
 * goes to nft, and a bad row must not become nft syntax.
 */
export function nftScript(spec: NftTableSpec, elements: readonly NftElement[]): string {
  if (!TABLE_NAME.test(spec.table)) throw new Error(`bad nftables table name "${spec.table}"`);
  const ports = sipPortList(spec.ports);
  if (!ports.length) throw new Error('no SIP port to guard');
  const t = `inet ${spec.table}`;
  const match = `meta l4proto { tcp, udp } th dport { ${ports.join(', ')} } counter name "dropped" drop`;
  const lines = [
    `add table ${t}`,
    `add counter ${t} dropped`,
    `add set ${t} banned4 { type ipv4_addr; flags timeout; }`,
    `add set ${t} banned6 { type ipv6_addr; flags timeout; }`,
    // Before the usual filter chains (priority 0): a host firewall that accepts SIP must not
    // let a banned address through first. An accept here would not end the packet's path;
    // a drop does.
    `add chain ${t} input { type filter hook input priority filter - 10; policy accept; }`,
    `flush chain ${t} input`,
    `add rule ${t} input ip saddr @banned4 ${match}`,
    `add rule ${t} input ip6 saddr @banned6 ${match}`,
    `flush set ${t} banned4`,
    `flush set ${t} banned6`,
  ];
  const live = uniqueByAddress(elements.filter(usable));
  for (const [set, version] of [['banned4', 4], ['banned6', 6]] as const) {
    const mine = live.filter((e) => isIP(e.address) === version);
    if (mine.length) lines.push(`add element ${t} ${set} { ${mine.map(element).join(', ')} }`);
  }
  return `${lines.join('\n')}\n`;
}

/** One element per address (the longest time wins: nft refuses the same element twice). */
function uniqueByAddress(elements: readonly NftElement[]): NftElement[] {
  const best = new Map<string, NftElement>();
  for (const e of elements) {
    const had = best.get(e.address);
    if (!had || had.timeoutSec < e.timeoutSec) best.set(e.address, e);
  }
  return [...best.values()].sort((a, b) => a.address.localeCompare(b.address));
}

/** The argument lists the adapter runs nft with (execFile, no shell). */
export const nftArgs = {
  probe: ['list', 'tables'],
  apply: ['-f', '-'],
  dropped: (table: string) => ['-j', 'list', 'counter', 'inet', table, 'dropped'],
  remove: (table: string) => ['delete', 'table', 'inet', table],
};

/** Packets our rules dropped, from `nft -j list counter ...`; undefined when the output has none. */
export function droppedPackets(json: string): number | undefined {
  try {
    const parsed = JSON.parse(json) as { nftables?: Array<{ counter?: { packets?: unknown } }> };
    const packets = parsed.nftables?.find((o) => o.counter)?.counter?.packets;
    return typeof packets === 'number' ? packets : undefined;
  } catch {
    return undefined;
  }
}
