// bench: telephony (run.sh runs this under flock /tmp/cc-telephony.lock)
//
// Agent ready -> offer: how long from an agent becoming ready until its desk phone
// receives the INVITE, with one caller already waiting. Our ACD and app_queue, on the
// same Asterisk, ringing the same bench phone (PJSIP/79000, a sipp that rings until
// cancelled), samples interleaved ours, app_queue, ours, ... so machine noise hits both.
//
// - Ours: DID 5558101 runs a flow with one queue step into queue bench-ready; the agent
//   is paused; the benchmark makes it ready with POST /api/v1/agents/:id/state, the call
//   the agent desk makes, signed in as a supervisor.
// - app_queue: DID 5558201 is caught in from-trunk and sent to Queue(cc-bench-ready),
//   whose only member is the same phone, paused; the benchmark unpauses it with AMI
//   QueuePause (Paused: false). The queue has retry = 1, app_queue's minimum: a waiting
//   caller tries its members again once a second, so app_queue gets its best showing.
//
// Timing. t0 is read in this process just before the HTTP request or the AMI action is
// written; t1 is the time sipp logged the INVITE's arrival (-trace_msg: gettimeofday,
// taken just after sipp read the datagram). Both are the host's wall clock; wallNow()
// spins to a millisecond tick, so t0 is exact to microseconds and NTP slewing cannot
// drift it. A clock check at the start sends datagrams from here to an idle sipp and
// prints how much later sipp logged them (about 0.1-1 ms here: sipp's own read delay,
// which counts in both systems' figures alike). Before each trigger the caller has been
// waiting a random 0.2-1.2 s, so the trigger never locks to app_queue's retry cycle.
// The caller is then hung up through AMI (the phone sees a CANCEL) and the agent or
// member paused again. p99 of 50 samples is the largest one.
//
// Run: make bench, or flock /tmp/cc-telephony.lock npx tsx scripts/bench/agent-ready.ts [samples per system]
// Uses CC_TEST_DB (default cc_bench) and CC_TEST_REDIS_DB (default 6), both emptied.
import './lib/bench-env.js';
import { join } from 'node:path';
import { testConfig } from '../../test/support/config.js';
import { freshPort } from '../../test/support/sipp.js';
import { APP_QUEUES, DIDS, READY_EXTENSION, benchPhones } from './lib/bench-asterisk.js';
import { BenchAmi } from './lib/bench-ami.js';
import { callerScenario, placeCalls, startPhone, workDir, type SippRun } from './lib/sipp-bench.js';
import { LogTail, type SipEntry } from './lib/sipp-log.js';
import { registerAll, startOurSide, type OurSide } from './lib/our-side.js';
import { clockCheck } from './lib/clock-check.js';
import { machineLine, ms, ratio, sleep, summarize, table, wallNow } from './lib/stats.js';

const SAMPLES = Number(process.argv[2] ?? process.env.BENCH_READY_SAMPLES ?? 50);
const MEMBER = `PJSIP/${READY_EXTENSION}`;
type System = 'ours' | 'app_queue';

interface Ctx { ours: OurSide; agentId: number; ami: BenchAmi; phone: LogTail }
interface Sample { latency: number; returned: number }

async function poll<T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs: number, everyMs = 20): Promise<T> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const v = await check();
    if (v) return v;
    await sleep(everyMs);
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function isWaiting(ctx: Ctx, sys: System, number: string): Promise<boolean> {
  if (sys === 'app_queue') return (await ctx.ami.waiting(APP_QUEUES.ready)).includes(number);
  return !!(await ctx.ours.db('interactions').where({ caller_number: number }).whereNotNull('queued_at').first('id'));
}

async function trigger(ctx: Ctx, sys: System): Promise<void> {
  if (sys === 'ours') await ctx.ours.setState(ctx.agentId, 'ready');
  else await ctx.ami.pause(APP_QUEUES.ready, MEMBER, false);
}

/** Back to the starting point: agent (member) paused, nobody waiting. */
async function restore(ctx: Ctx, sys: System): Promise<void> {
  if (sys === 'app_queue') return ctx.ami.pause(APP_QUEUES.ready, MEMBER, true);
  const stateOf = async () => ((await (await ctx.ours.api('GET', `/api/v1/agents/${ctx.agentId}`)).json()) as { state: string }).state;
  await poll('our agent ready again after the caller left', async () => (await stateOf()) === 'ready', 10000);
  await ctx.ours.setState(ctx.agentId, 'paused');
}

async function sample(ctx: Ctx, sys: System, n: number): Promise<Sample> {
  const prefix = `8${sys === 'ours' ? 1 : 2}${String(n).padStart(4, '0')}`;
  const number = `${prefix}1`; // sipp's first call is call number 1
  const did = sys === 'ours' ? DIDS.oursReady : DIDS.appQueueReady;
  let caller: SippRun | undefined = placeCalls({
    scenario: callerScenario({ did, prefix, patienceMs: 60000 }), name: `ready-${prefix}`, rate: 0, calls: 1,
    port: freshPort(), mediaPort: freshPort() + 10000, log: join(workDir, `ready-caller-${prefix}.log`), timeoutSec: 90,
  });
  try {
    await poll(`caller ${number} waiting (${sys})`, () => isWaiting(ctx, sys, number), 15000);
    await sleep(200 + Math.random() * 1000);
    ctx.phone.skipToEnd();
    const t0 = wallNow();
    const p0 = performance.now();
    await trigger(ctx, sys);
    const returned = performance.now() - p0;
    const invite = await poll<SipEntry>(`INVITE for ${number} at the phone (${sys})`, async () =>
      ctx.phone.entries().find((e) => e.dir === 'received' && e.what === 'INVITE' && e.fromUser === number), 15000, 5);
    await ctx.ami.hangupCaller(number);
    await Promise.race([caller.done, sleep(10000)]);
    caller = undefined;
    return { latency: invite.at - t0, returned };
  } finally {
    if (caller) {
      await ctx.ami.hangupCaller(number).catch(() => undefined);
      caller.proc.kill();
    }
    await restore(ctx, sys);
  }
}

function report(results: Record<System, Sample[]>, failures: Record<System, number>, clock: ReturnType<typeof summarize>): void {
  const s = { ours: summarize(results.ours.map((r) => r.latency)), app_queue: summarize(results.app_queue.map((r) => r.latency)) };
  const rows = (['ours', 'app_queue'] as System[]).map((sys) => {
    const x = s[sys];
    return [sys === 'ours' ? 'ours (Stasis ACD)' : 'app_queue', String(x?.n ?? 0), String(failures[sys]), ms(x?.median), ms(x?.p99), ms(x?.min), ms(x?.max),
      ms(summarize(results[sys].map((r) => r.returned))?.median)];
  });
  console.log(`\nAgent ready -> INVITE at the desk phone, ms (${SAMPLES} samples per system requested, interleaved)`);
  console.log(table(['system', 'n', 'failed', 'median', 'p99', 'min', 'max', 'API/AMI call returned (median)'], rows));
  console.log(`ratio ours/app_queue: median ${ratio(s.ours?.median, s.app_queue?.median)}, p99 ${ratio(s.ours?.p99, s.app_queue?.p99)}`);
  console.log(`clock check (sipp log time - send time here, ${clock?.n ?? 0} probes): min ${ms(clock?.min, 3)}, median ${ms(clock?.median, 3)}, max ${ms(clock?.max, 3)} ms`);
  console.log(machineLine());
}

async function main(): Promise<void> {
  const config = testConfig();
  const ami = await BenchAmi.connect(config);
  const clock = await clockCheck(freshPort() + 34000);
  const phonePort = freshPort() + 34000;
  const phoneLog = join(workDir, 'ready-phone.log');
  const phone = startPhone({ port: phonePort, mode: 'ring', log: phoneLog });
  const readyPhone = benchPhones(config).filter((p) => p.extension === READY_EXTENSION);
  let ours: OurSide | undefined;
  try {
    await registerAll(readyPhone, phonePort);
    ours = await startOurSide({
      phones: readyPhone,
      queue: { name: 'bench-ready', skill: 'bench-ready', minLevel: 1, strategy: 'longest_idle', ringTimeoutSec: 15, wrapUpSec: 0, maxMisses: 10, overflow: [], priority: {}, announceEverySec: 0, serviceLevelSec: 20 },
      flow: { name: 'bench-ready', language: 'en', start: 'q', steps: { q: { type: 'queue', queue: 'bench-ready' } } },
      did: DIDS.oursReady,
    });
    const ctx: Ctx = { ours, agentId: ours.agents.get(READY_EXTENSION) as number, ami, phone: new LogTail(phoneLog) };
    await ours.setState(ctx.agentId, 'paused');
    await ami.pause(APP_QUEUES.ready, MEMBER, true);
    const results: Record<System, Sample[]> = { ours: [], app_queue: [] };
    const failures: Record<System, number> = { ours: 0, app_queue: 0 };
    for (let n = 0; n < SAMPLES; n++) {
      for (const sys of ['ours', 'app_queue'] as System[]) {
        try {
          results[sys].push(await sample(ctx, sys, n));
        } catch (err) {
          failures[sys]++;
          console.error(`sample ${n} ${sys} failed: ${(err as Error).message}`);
        }
      }
      if ((n + 1) % 10 === 0) console.error(`agent-ready: ${n + 1}/${SAMPLES} pairs`);
    }
    report(results, failures, clock);
  } finally {
    await ours?.stop();
    phone.proc.kill();
    await registerAll(readyPhone, phonePort, 0).catch(() => undefined);
    await ami.stop();
  }
}

main().then(() => process.exit(0), (err: unknown) => {
  console.error(err);
  process.exit(1);
});
