import { execFile } from 'node:child_process';
import type { Logger } from '../core/logger.js';
import { droppedPackets, nftArgs, nftScript, type NftElement, type NftTableSpec } from './nft-rules.js';

// The nftables adapter: runs nft (execFile with arguments, never a shell) on our own table.
// It knows addresses and timeouts, not bans or who may be banned: the service decides that.

const NFT_TIMEOUT_MS = 10000;

/** Runs nft; resolves with its stdout, rejects with its stderr (or the spawn error) as the message. */
export function runNft(args: readonly string[], input?: string, bin = 'nft'): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(bin, args, { timeout: NFT_TIMEOUT_MS, maxBuffer: 4 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${bin} ${args.join(' ')}: ${(stderr || err.message).trim().slice(0, 500)}`));
      else resolve(stdout);
    });
    // Without this, a child that exits before reading its input makes the write fail with EPIPE
    // as an unhandled 'error' event; the exit code above reports the failure.
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(input ?? '');
  });
}

/** Whether nft works for this process (binary present, and CAP_NET_ADMIN): undefined, or why not. */
export async function nftUnusable(bin = 'nft'): Promise<string | undefined> {
  try {
    await runNft(nftArgs.probe, undefined, bin);
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

export interface NftStatus {
  table: string;
  lastAppliedAt: string | null;
  lastError: { message: string; at: string } | null;
}

/**
 * Our table `inet <table>`: the sets of banned addresses and the chain that drops their SIP
 * packets. Applies run one after another, each rendering inside the queue, so the last one
 * written holds every change. A failure is logged and kept for the admin page, never thrown:
 * the PJSIP ACL still refuses the address, and the next change or restart writes the table again.
 */
export class NftFirewall {
  private chain: Promise<unknown> = Promise.resolve();
  private lastAppliedAt: Date | null = null;
  private lastError: { message: string; at: Date } | null = null;

  constructor(private readonly d: NftTableSpec & { log: Logger; bin?: string; now?: () => number }) {}

  /** Makes the sets hold exactly what `render` gives; true when nft took it. */
  apply(render: () => Promise<readonly NftElement[]>, reason: string): Promise<boolean> {
    const run = this.chain.then(async () => this.applyNow(await render(), reason));
    this.chain = run.catch(() => undefined);
    return run.catch((err: Error) => this.failed(err, reason));
  }

  /** Packets our rules have dropped since the table was created; undefined when nft cannot tell. */
  async dropped(): Promise<number | undefined> {
    try {
      return droppedPackets(await runNft(nftArgs.dropped(this.d.table), undefined, this.d.bin));
    } catch {
      return undefined;
    }
  }

  status(): NftStatus {
    return {
      table: this.d.table,
      lastAppliedAt: this.lastAppliedAt?.toISOString() ?? null,
      lastError: this.lastError && { message: this.lastError.message, at: this.lastError.at.toISOString() },
    };
  }

  private async applyNow(elements: readonly NftElement[], reason: string): Promise<boolean> {
    await runNft(nftArgs.apply, nftScript(this.d, elements), this.d.bin);
    this.lastAppliedAt = new Date(this.now());
    if (this.lastError) this.d.log.info({ table: this.d.table, reason }, 'nftables bans written again after an error');
    this.lastError = null;
    this.d.log.info({ table: this.d.table, reason, addresses: elements.length }, 'nftables bans applied');
    return true;
  }

  private failed(err: Error, reason: string): boolean {
    this.lastError = { message: err.message, at: new Date(this.now()) };
    this.d.log.error({ table: this.d.table, reason, err: err.message }, 'nftables bans not applied; the PJSIP ACL still refuses them');
    return false;
  }

  private now(): number {
    return (this.d.now ?? Date.now)();
  }
}
