// bench: telephony (run.sh runs this under flock /tmp/cc-telephony.lock)
//
// Call setup under load: sustained calls per second through a one-key IVR menu and a
// queue to answering agents, our Stasis app against the same flow in dialplan with
// Queue(), on the same Asterisk, stepping the rate up (default 2, 5, 10, 20, 30 cps for
// 15 s each; the two systems take turns at each rate, the first one alternating).
//
// The flow on both sides: answer; play Asterisk's hello-world (1.4 s) as the menu prompt
// and wait up to 5 s for a key; 1 (or no key, or another key) goes to the queue; the
// queue rings the longest-idle of 80 bench phones (PJSIP/79001..79080, all registered by
// sipp to one answering sipp that answers at once, talks 1.5 s and hangs up); answered
// calls are recorded with MixMonitor. Ours: DID 5558102, flow bench-load (menu + queue
// step, prompt sound:hello-world, timeoutSec 5, maxRetries 0) into queue bench-load
// (longest_idle, wrap-up 0), played and collected over ARI, state in Redis, events and
// interactions in MariaDB. app_queue: DID 5558202 -> Answer, Background(hello-world),
// WaitExten(5), Queue(cc-bench-load) with leastrecent, retry 1, autofill, monitor-format
// wav. Differences: ours writes its call events and interaction rows to MariaDB and
// indexes each recording (hashing the file) after the call; app_queue writes queue_log.
//
// The caller (sipp from the carrier's address 127.0.0.2) presses 1 two seconds after
// its ACK (after the prompt) and waits up to 30 s for the far end to hang up; a call the
// agent's phone never answered in that time counts as failed. Times come from sipp's
// message logs (gettimeofday right after each datagram, see sipp-log.ts): INVITE->200 at
// the caller; INVITE->agent, from the caller's INVITE to the INVITE at the agent's phone
// (includes the fixed 2 s before the key and the ~0.6 s sipp takes to send it); after key,
// from the end of the key to the agent's INVITE: what the menu and the queue themselves
// took. sipp's play_dtmf sends 400 ms of empty RTP to warm the stream up, then a 200 ms
// RFC 4733 tone (sipp's prepare_pcap.c), and both systems act on the tone's end, so the
// key counts as sent at ACK + 2 s + 600 ms.
// A system breaks at the first rate with more than 1% failed calls or an INVITE->agent
// p99 above 5 s (BENCH_SETUP_BOUND_MS); it is not run at higher rates after that.
//
// Run: make bench, or flock /tmp/cc-telephony.lock npx tsx scripts/bench/call-load.ts
// Settings: BENCH_RATES=2,5,10 BENCH_STEP_SEC=15 BENCH_TALK_MS=1500 BENCH_SETUP_BOUND_MS=5000.
// Uses CC_TEST_DB (default cc_bench) and CC_TEST_REDIS_DB (default 6), both emptied.
import './lib/bench-env.js';
import { rmSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { testConfig } from '../../test/support/config.js';
import { freshPort } from '../../test/support/sipp.js';
import { asteriskHostPath } from '../../server/core/config.js';
import { APP_QUEUES, APP_QUEUE_RECORDINGS, DIDS, MENU_SOUND, loadExtensions, benchPhones } from './lib/bench-asterisk.js';
import { BenchAmi } from './lib/bench-ami.js';
import { callerScenario, placeCalls, startPhone, workDir } from './lib/sipp-bench.js';
import { LogTail, parseSippLog } from './lib/sipp-log.js';
import { registerAll, startOurSide, type OurSide } from './lib/our-side.js';
import { agentCalls, breakage, figures, type RunFigures } from './lib/load-metrics.js';
import { machineLine, ms, ratio, sleep, table } from './lib/stats.js';

const RATES = (process.env.BENCH_RATES ?? '2,5,10,20,30').split(',').map(Number).filter((r) => r > 0).slice(0, 10);
const STEP_SEC = Number(process.env.BENCH_STEP_SEC ?? 15);
const TALK_MS = Number(process.env.BENCH_TALK_MS ?? 1500);
const SETUP_BOUND_MS = Number(process.env.BENCH_SETUP_BOUND_MS ?? 5000);
const KEY_DELAY_MS = 2000;
/** play_dtmf's warm-up and tone: the key ends this long after it starts. */
const DTMF_SEND_MS = 600;
const PATIENCE_MS = 30000;
type System = 'ours' | 'app_queue';

interface Run extends RunFigures { sys: System; rate: number; broken: string }

/** Waits until no bench call is left in Asterisk, so one run's tail never overlaps the next. */
async function settle(ami: BenchAmi, prefix: string): Promise<void> {
  const until = Date.now() + 60000;
  while (Date.now() < until) {
    const left = (await ami.channels()).filter((c) => c.number.startsWith(prefix) || /^PJSIP\/79\d{3}-/.test(c.channel));
    if (!left.length) break;
    await sleep(500);
  }
  await sleep(2000);
}

async function runOnce(ami: BenchAmi, agentLog: LogTail, sys: System, rate: number, step: number): Promise<Run> {
  const prefix = `7${step}${sys === 'ours' ? 1 : 2}`;
  const log = join(workDir, `load-${prefix}-${rate}cps.log`);
  const calls = Math.max(1, Math.round(rate * STEP_SEC));
  console.error(`call-load: ${sys} at ${rate} cps, ${calls} calls`);
  const caller = placeCalls({
    scenario: callerScenario({ did: sys === 'ours' ? DIDS.oursLoad : DIDS.appQueueLoad, prefix, keyDelayMs: KEY_DELAY_MS, patienceMs: PATIENCE_MS }),
    name: `load-${prefix}`, rate, calls, port: freshPort(), mediaPort: freshPort() + 10000, log,
    timeoutSec: STEP_SEC + PATIENCE_MS / 1000 + 90,
  });
  const exit = await caller.done;
  if (exit.code !== 0 && exit.code !== 1) console.error(`sipp caller exit ${exit.code}: ${exit.stderr.slice(-300)}`);
  await settle(ami, prefix);
  const f = figures(parseSippLog(readFileSync(log, 'utf8')), agentCalls(agentLog.entries(true)), KEY_DELAY_MS + DTMF_SEND_MS);
  return { ...f, sys, rate, broken: breakage(f, SETUP_BOUND_MS) };
}

const p50p99 = (s: RunFigures['answer']) => (s ? `${ms(s.median, 0)} / ${ms(s.p99, 0)}` : '-');

function report(runs: Run[]): void {
  console.log(`\nCall setup under load: one-key IVR menu, then a queue to ${loadExtensions().length} answering sipp agents`);
  console.log(`(${STEP_SEC} s per rate, talk ${TALK_MS} ms, key 1 from ${KEY_DELAY_MS} ms after the answer, its end at +${DTMF_SEND_MS} ms; times in ms, median / p99)`);
  console.log(table(
    ['cps', 'system', 'attempted', 'answered', 'failed', 'INVITE->200', 'INVITE->agent', 'after key', 'verdict'],
    runs.map((r) => [String(r.rate), r.sys, String(r.attempted), String(r.answered), String(r.failed),
      p50p99(r.answer), p50p99(r.toAgent), p50p99(r.afterKey), r.broken ? `BROKEN: ${r.broken}` : 'ok']),
  ));
  const breaks = (sys: System) => runs.find((r) => r.sys === sys && r.broken);
  const held = (sys: System) => Math.max(0, ...runs.filter((r) => r.sys === sys && !r.broken).map((r) => r.rate));
  console.log(`\nBreaks at (first rate with >1% failed or INVITE->agent p99 > ${SETUP_BOUND_MS} ms):`);
  for (const sys of ['ours', 'app_queue'] as System[]) {
    const b = breaks(sys);
    console.log(`  ${sys.padEnd(10)} ${b ? `${b.rate} cps (${b.broken})` : `not reached up to ${Math.max(...RATES)} cps`}; held up to ${held(sys) || '-'} cps`);
  }
  console.log('Ratio ours/app_queue at each rate both ran (after-key median, p99; INVITE->200 median):');
  for (const rate of RATES) {
    const [o, a] = [runs.find((r) => r.sys === 'ours' && r.rate === rate), runs.find((r) => r.sys === 'app_queue' && r.rate === rate)];
    if (!o || !a) continue;
    console.log(`  ${String(rate).padStart(3)} cps: after key ${ratio(o.afterKey?.median, a.afterKey?.median)}, ${ratio(o.afterKey?.p99, a.afterKey?.p99)}; INVITE->200 ${ratio(o.answer?.median, a.answer?.median)}`);
  }
  console.log(machineLine());
}

async function prepare(ours: OurSide, ami: BenchAmi): Promise<void> {
  for (const id of ours.agents.values()) await ours.setState(id, 'ready');
  for (const ext of loadExtensions()) await ami.pause(APP_QUEUES.load, `PJSIP/${ext}`, false);
  const members = await ami.members(APP_QUEUES.load);
  const unavailable = members.filter((m) => m.status !== '1');
  if (unavailable.length) console.error(`warning: ${unavailable.length} app_queue members not idle at the start`);
}

async function main(): Promise<void> {
  const config = testConfig();
  const ami = await BenchAmi.connect(config);
  const agentPort = freshPort() + 34000;
  const agentLogFile = join(workDir, 'load-agents.log');
  const agentPhone = startPhone({ port: agentPort, mode: 'answer', talkMs: TALK_MS, log: agentLogFile });
  const phones = benchPhones(config).filter((p) => loadExtensions().includes(p.extension));
  let ours: OurSide | undefined;
  try {
    await registerAll(phones, agentPort);
    ours = await startOurSide({
      phones,
      queue: { name: 'bench-load', skill: 'bench-load', minLevel: 1, strategy: 'longest_idle', ringTimeoutSec: 15, wrapUpSec: 0, maxMisses: 10, overflow: [], priority: {}, announceEverySec: 0, serviceLevelSec: 20 },
      flow: {
        name: 'bench-load', language: 'en', start: 'menu',
        steps: {
          menu: { type: 'menu', prompt: [{ sound: MENU_SOUND }], options: { 1: 'q' }, timeoutSec: 5, maxRetries: 0, default: 'q' },
          q: { type: 'queue', queue: 'bench-load' },
        },
      },
      did: DIDS.oursLoad,
    });
    await prepare(ours, ami);
    const agentLog = new LogTail(agentLogFile);
    agentLog.skipToEnd();
    const runs: Run[] = [];
    const broken = new Set<System>();
    for (const [step, rate] of RATES.entries()) {
      const order: System[] = step % 2 === 0 ? ['ours', 'app_queue'] : ['app_queue', 'ours'];
      for (const sys of order.filter((s) => !broken.has(s))) {
        const run = await runOnce(ami, agentLog, sys, rate, step);
        runs.push(run);
        if (run.broken) broken.add(sys);
      }
    }
    report(runs);
  } finally {
    await ours?.stop();
    agentPhone.proc.kill();
    await registerAll(phones, agentPort, 0).catch(() => undefined);
    rmSync(asteriskHostPath(config, `/var/spool/asterisk/monitor/${APP_QUEUE_RECORDINGS}`), { recursive: true, force: true });
    await ami.stop();
  }
}

main().then(() => process.exit(0), (err: unknown) => {
  console.error(err);
  process.exit(1);
});
