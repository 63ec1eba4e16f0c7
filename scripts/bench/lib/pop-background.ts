// The screen-pop benchmark's calls in progress: carrier calls to their own DID, flow and
// queue, answered by their own bench phones (one answering sipp) and kept talking until
// the benchmark hangs them up. With media, each caller streams audio (50 packets a
// second) and the phones echo it, so Asterisk relays and records both directions.
import { join } from 'node:path';
import { freshPort } from '../../../test/support/sipp.js';
import type { BenchAmi } from './bench-ami.js';
import { callerScenario, placeCalls, silenceWav, workDir, type SippRun } from './sipp-bench.js';
import { sleep } from './stats.js';

/** Caller numbers of the calls in progress start with this; the measured calls' never do. */
export const BACKGROUND_PREFIX = '69';
/** Longer than any run: the calls end when the benchmark hangs them up, not before. */
export const BACKGROUND_TALK_MS = 3 * 3600 * 1000;
const SETUP_RATE = 10;

export interface Background {
  /** Carrier legs of the calls in progress that are bridged to an agent's phone now. */
  connected(): Promise<number>;
  stop(): Promise<void>;
}

/** Places `calls` calls to `did` at 10 a second and waits until all are bridged (or 90 s). */
export async function startBackground(ami: BenchAmi, o: { did: string; calls: number; media: boolean }): Promise<Background> {
  const caller: SippRun = placeCalls({
    scenario: callerScenario({ did: o.did, prefix: BACKGROUND_PREFIX, patienceMs: BACKGROUND_TALK_MS, streamFile: o.media ? silenceWav() : undefined }),
    name: 'pop-background', rate: SETUP_RATE, calls: o.calls, port: freshPort(), mediaPort: freshPort() + 20000,
    log: join(workDir, 'pop-background-callers.log'), timeoutSec: BACKGROUND_TALK_MS / 1000 + 60,
  });
  const connected = async () => (await ami.callers(BACKGROUND_PREFIX)).filter((c) => c.bridged).length;
  const until = Date.now() + 90000;
  let now = 0;
  while (Date.now() < until && (now = await connected()) < o.calls) {
    if (caller.proc.exitCode !== null) break;
    await sleep(500);
  }
  if (now < o.calls) console.error(`screen-pop: only ${now} of ${o.calls} background calls connected`);
  return {
    connected,
    stop: async () => {
      await ami.hangupCallers(BACKGROUND_PREFIX);
      const ended = await Promise.race([caller.done.then(() => true), sleep(20000).then(() => false)]);
      if (!ended) caller.proc.kill();
      // Stragglers (a call still being set up when the others were hung up).
      for (let i = 0; i < 20 && (await ami.callers(BACKGROUND_PREFIX)).length; i++) {
        await ami.hangupCallers(BACKGROUND_PREFIX);
        await sleep(500);
      }
    },
  };
}
