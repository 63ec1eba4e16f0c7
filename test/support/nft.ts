// Reading and removing the sipguard tests' own nftables table (tests only; the server goes
// through server/sipguard/nft-firewall.ts).
import { execFileSync } from 'node:child_process';

const nft = (...args: string[]) => execFileSync('nft', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

/** Deletes the table when it is there: each test leaves the shared kernel as it found it. */
export function dropNftTable(table: string): void {
  try {
    nft('delete', 'table', 'inet', table);
  } catch { /* not there */ }
}

/** The addresses in one of the table's sets, sorted. */
export function nftSetAddresses(table: string, set: 'banned4' | 'banned6' = 'banned4'): string[] {
  const out = JSON.parse(nft('-j', 'list', 'set', 'inet', table, set)) as { nftables: Array<{ set?: { elem?: Array<{ elem: { val: string } }> } }> };
  return (out.nftables.find((o) => o.set)?.set?.elem ?? []).map((e) => e.elem.val).sort();
}

/** Packets the table's rules have dropped. */
export function droppedCount(table: string): number {
  const out = JSON.parse(nft('-j', 'list', 'counter', 'inet', table, 'dropped')) as { nftables: Array<{ counter?: { packets: number } }> };
  return out.nftables.find((o) => o.counter)?.counter?.packets ?? 0;
}
