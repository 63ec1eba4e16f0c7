// The benchmark's own AMI session (user cc-bench from manager.conf's BENCH ONLY section):
// our server holds the cc user, and AMI allows one login per user here.
import { AmiConnection, type AmiMessage } from '../../../server/telephony/ami/ami-connection.js';
import { createLogger } from '../../../server/core/logger.js';
import type { Config } from '../../../server/core/config.js';
import { benchAmi } from './bench-asterisk.js';

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

export class BenchAmi {
  private constructor(private readonly conn: AmiConnection, private readonly trunkChannel: string) {}

  static async connect(config: Config): Promise<BenchAmi> {
    const conn = new AmiConnection({ ...benchAmi(config), actionTimeoutMs: 5000 }, createLogger('fatal'));
    const up = new Promise<void>((resolve) => conn.once('connected', () => resolve()));
    conn.start();
    const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 8000).unref());
    if ((await Promise.race([up, timeout])) === 'timeout') {
      await conn.stop();
      throw new Error('the bench AMI user cannot log in: Asterisk lacks the BENCH ONLY config. Render it with '
        + '`flock /tmp/cc-telephony.lock npx tsx scripts/render-asterisk.ts --reload` (or make install) and run again.');
    }
    return new BenchAmi(conn, `PJSIP/${config.trunk.name}-`);
  }

  /** AMI QueuePause, as a supervisor's tool or an agent's phone would send it. */
  async pause(queue: string, iface: string, paused: boolean): Promise<void> {
    await this.conn.action({ action: 'QueuePause', queue, interface: iface, paused: paused ? 'true' : 'false', reason: 'bench' });
  }

  /** Caller numbers waiting in an app_queue queue. */
  async waiting(queue: string): Promise<string[]> {
    const items = await this.conn.list({ action: 'QueueStatus', queue });
    return items.filter((i) => str(i.event) === 'QueueEntry').map((i) => str(i.calleridnum));
  }

  async members(queue: string): Promise<AmiMessage[]> {
    const items = await this.conn.list({ action: 'QueueStatus', queue });
    return items.filter((i) => str(i.event) === 'QueueMember');
  }

  async channels(): Promise<Array<{ channel: string; number: string }>> {
    const items = await this.conn.list({ action: 'CoreShowChannels' });
    return items.filter((i) => str(i.event) === 'CoreShowChannel').map((i) => ({ channel: str(i.channel), number: str(i.calleridnum) }));
  }

  /** The carrier legs of benchmark callers whose numbers start with `prefix`, and whether each is bridged to someone. */
  async callers(prefix: string): Promise<Array<{ channel: string; number: string; bridged: boolean }>> {
    const items = await this.conn.list({ action: 'CoreShowChannels' });
    return items
      .filter((i) => str(i.event) === 'CoreShowChannel' && str(i.channel).startsWith(this.trunkChannel) && str(i.calleridnum).startsWith(prefix))
      .map((i) => ({ channel: str(i.channel), number: str(i.calleridnum), bridged: str(i.bridgeid) !== '' }));
  }

  /** Hangs up every benchmark caller whose number starts with `prefix`; returns how many. */
  async hangupCallers(prefix: string): Promise<number> {
    const mine = await this.callers(prefix);
    for (const c of mine) await this.conn.action({ action: 'Hangup', channel: c.channel }).catch(() => undefined);
    return mine.length;
  }

  /** Hangs up the carrier leg of a benchmark caller, as if the caller had hung up. */
  async hangupCaller(number: string): Promise<boolean> {
    const mine = (await this.channels()).filter((c) => c.number === number && c.channel.startsWith(this.trunkChannel));
    for (const c of mine) await this.conn.action({ action: 'Hangup', channel: c.channel }).catch(() => undefined);
    return mine.length > 0;
  }

  async stop(): Promise<void> {
    await this.conn.stop();
  }
}
