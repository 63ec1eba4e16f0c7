import { chownSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Logger } from '../core/logger.js';
import type { PbxManager } from './ami/types.js';

/**
 * One Asterisk configuration file the server owns (an include of pjsip.conf, say), put
 * into effect without a restart: written, then the module re-reads it through AMI (a
 * res_pjsip reload leaves existing channels alone). Applies run one after another, each
 * rendering its text inside the queue, so the last write holds every change. When AMI is
 * down the file is still written, and `reapply` (on every AMI connect) reloads it later.
 */
export class AsteriskConfigFile {
  private chain: Promise<unknown> = Promise.resolve();
  /** A written file Asterisk has not re-read yet (AMI was down). */
  private unapplied = false;

  constructor(private readonly d: { hostPath: string; module: string; pbx: PbxManager; log: Logger }) {}

  /** Writes what `render` gives (when it differs) and reloads the module; true when the file changed or waited for a reload. */
  apply(render: () => string | Promise<string>, reason: string): Promise<boolean> {
    const run = this.chain.then(async () => this.applyNow(await render(), reason));
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
    if (current !== text) this.write(text, current === undefined);
    this.unapplied = true;
    await this.reload(reason);
    return true;
  }

  /**
   * In place, not renamed over: the installer gives the server (user cc) this one file. A
   * file we create gets the owner of Asterisk's config directory: Asterisk runs as its own
   * user and silently skips an include it cannot read (the reload still succeeds). Only
   * root may give a file away.
   */
  private write(text: string, creating: boolean): void {
    writeFileSync(this.d.hostPath, text, { mode: 0o640 });
    if (!creating || process.getuid?.() !== 0) return;
    const dir = statSync(dirname(this.d.hostPath));
    chownSync(this.d.hostPath, dir.uid, dir.gid);
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
