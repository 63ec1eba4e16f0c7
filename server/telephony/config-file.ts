import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { Logger } from '../core/logger.js';
import type { PbxManager } from './ami/types.js';

/**
 * One Asterisk configuration file the server owns (an include of pjsip.conf, say), put
 * into effect without a restart: written, then the module re-reads it through AMI. Writes
 * run one after another and the last text wins. When AMI is down the file is still written,
 * and `reapply` (called on every AMI connect) reloads it once Asterisk is back.
 */
export class AsteriskConfigFile {
  private chain: Promise<unknown> = Promise.resolve();
  private unapplied = false;

  /**
   * `mode`: Asterisk runs as its own user and skips an include it cannot read, so a file
   * without secrets is world-readable (0644); one with secrets must be given to Asterisk's
   * group by the installer and keep 0640.
   */
  constructor(private readonly d: { hostPath: string; module: string; pbx: PbxManager; log: Logger; mode?: number }) {}

  /** Writes `text` (when it differs) and reloads the module; true when Asterisk was asked to reload. */
  apply(text: string, reason: string): Promise<boolean> {
    const run = this.chain.then(() => this.applyNow(text, reason));
    this.chain = run.catch(() => undefined);
    return run;
  }

  /** After an AMI reconnect: a file written while AMI was down is reloaded now. */
  reapply(): Promise<boolean> {
    const run = this.chain.then(() => (this.unapplied ? this.reload('ami reconnected') : false));
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async applyNow(text: string, reason: string): Promise<boolean> {
    const current = existsSync(this.d.hostPath) ? readFileSync(this.d.hostPath, 'utf8') : undefined;
    if (current === text && !this.unapplied) return false;
    // In place, not renamed over: the installer may give the server this one file only.
    if (current !== text) {
      writeFileSync(this.d.hostPath, text, { mode: this.d.mode ?? 0o640 });
      if (this.d.mode !== undefined) chmodSync(this.d.hostPath, this.d.mode);
    }
    this.unapplied = true;
    return this.reload(reason);
  }

  private async reload(reason: string): Promise<boolean> {
    if (!this.d.pbx.isUp()) {
      this.d.log.warn({ reason, file: this.d.hostPath }, 'config written; AMI is down, Asterisk reads it when AMI is back');
      return false;
    }
    await this.d.pbx.reloadModule(this.d.module);
    this.unapplied = false;
    this.d.log.info({ reason, file: this.d.hostPath, module: this.d.module }, 'asterisk config applied');
    return true;
  }
}
