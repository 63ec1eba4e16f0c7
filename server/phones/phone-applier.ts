import { chownSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Logger } from '../core/logger.js';
import type { PbxManager } from '../telephony/index.js';
import type { Phone } from './phone-repository.js';
import { renderPjsipPhones } from './pjsip-phones.js';

export interface ApplyResult {
  /** The file's content changed (and Asterisk was asked to reload). */
  changed: boolean;
}

/**
 * Puts the managed phones into Asterisk without a restart: writes the PJSIP include file
 * and asks Asterisk (AMI Reload of res_pjsip.so) to re-read it. A res_pjsip reload adds,
 * changes and removes endpoints but leaves existing channels alone, so calls in progress
 * keep going (test/telephony/phones asserts it).
 *
 * The file is rewritten in place, not renamed over: the installer gives the server (user cc)
 * that one file, not Asterisk's whole config directory. Applies run one after another, each
 * from the list read after the change was committed, so the last write holds every change.
 */
export class PhoneApplier {
  private chain: Promise<unknown> = Promise.resolve();
  /** A written file Asterisk has not re-read yet (AMI was down): the next apply reloads anyway. */
  private unapplied = false;

  constructor(private readonly d: { hostPath: string; pbx: PbxManager; list: () => Promise<Phone[]>; log: Logger }) {}

  apply(reason: string): Promise<ApplyResult> {
    const run = this.chain.then(() => this.applyNow(reason));
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async applyNow(reason: string): Promise<ApplyResult> {
    const text = renderPjsipPhones(await this.d.list());
    const current = existsSync(this.d.hostPath) ? readFileSync(this.d.hostPath, 'utf8') : undefined;
    if (current === text && !this.unapplied) return { changed: false };
    if (current !== text) this.write(text, current === undefined);
    this.unapplied = true;
    if (!this.d.pbx.isUp()) {
      // Saved, not refused: the file is written and every AMI (re)connect applies it (index.ts).
      this.d.log.warn({ reason, file: this.d.hostPath }, 'desk phones written; AMI is down, Asterisk takes them when it is back');
      return { changed: true };
    }
    await this.d.pbx.reloadModule('res_pjsip.so');
    this.unapplied = false;
    this.d.log.info({ reason, file: this.d.hostPath }, 'desk phones applied (res_pjsip reloaded)');
    return { changed: true };
  }

  /**
   * A file we create gets the owner of Asterisk's config directory: Asterisk runs as its own
   * user and silently skips an include it cannot read ("Permission denied" in its log, and
   * the reload still succeeds). Only root may give a file away; an installed server (user cc)
   * writes the file install.sh created for it, readable by Asterisk's group.
   */
  private write(text: string, creating: boolean): void {
    writeFileSync(this.d.hostPath, text, { mode: 0o640 });
    if (!creating || process.getuid?.() !== 0) return;
    const dir = statSync(dirname(this.d.hostPath));
    chownSync(this.d.hostPath, dir.uid, dir.gid);
  }
}
