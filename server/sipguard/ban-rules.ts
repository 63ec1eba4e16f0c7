import { BlockList, isIP } from 'node:net';

// The pure part of the blocker: which addresses may be banned, and the ACL text of the bans.

/** The security events that count as a failure; ChallengeSent and SuccessfulAuth are normal. */
export const FAILURE_KINDS = new Set(['InvalidAccountID', 'ChallengeResponseFailed', 'InvalidPassword', 'FailedACL', 'RequestBadFormat', 'RequestNotAllowed', 'AuthMethodNotAllowed']);

/**
 * This host (127.0.0.1, ::1: the server, and phones tests run here) and the given addresses
 * or networks (CIDR) are never banned. The rest of 127/8 is not protected: tests attack from
 * 127.0.0.3, and nothing of ours sends from there.
 */
export function neverBanList(entries: readonly string[]): BlockList {
  const list = new BlockList();
  list.addAddress('127.0.0.1', 'ipv4');
  list.addAddress('::1', 'ipv6');
  for (const e of entries) {
    const [addr = '', bits] = e.split('/');
    const type = isIP(addr) === 6 ? 'ipv6' : 'ipv4';
    if (!isIP(addr)) continue;
    if (bits === undefined) list.addAddress(addr, type);
    else list.addSubnet(addr, Number(bits), type);
  }
  return list;
}

/**
 * A bare IPv4 or IPv6 address. isIP alone also takes a zone ('fe80::1%eth0'), which neither a
 * PJSIP ACL nor nft reads as an address, and which no remote SIP sender has.
 */
export function isBanAddress(address: string): boolean {
  return isIP(address) !== 0 && /^[0-9a-fA-F.:]+$/.test(address);
}

export function isProtected(list: BlockList, address: string): boolean {
  const v = isIP(address);
  return v !== 0 && list.check(address, v === 6 ? 'ipv6' : 'ipv4');
}

/**
 * The PJSIP ACL of the active bans. An ACL permits whatever no rule matches, so deny lines
 * alone ban just those addresses. With no bans the file holds no section at all.
 */
export function aclText(addresses: readonly string[]): string {
  const head = '; Written by the cc server (server/sipguard): the SIP addresses banned now. Edits are overwritten.\n';
  const unique = [...new Set(addresses.filter(isBanAddress))].sort();
  if (!unique.length) return head;
  const lines = unique.map((a) => `deny = ${a}/${isIP(a) === 6 ? 128 : 32}`);
  return `${head}[cc-sip-bans]\ntype = acl\n${lines.join('\n')}\n`;
}
