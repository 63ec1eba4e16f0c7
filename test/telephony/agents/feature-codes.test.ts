// Feature codes from a sipp desk phone (RFC 2833 keys) through real Asterisk: an agent logs
// in with its number and PIN on another agent's phone (hot-desking) and the next carrier
// call rings THAT phone; pause with a reason code, ready, log out; the agent's busy lamp
// (Stasis:agent-<number>, watched by the *75<number> hint) follows each state.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { testConfig, seededDatabase } from '../../support/config.js';
import { startServer, healthz, waitFor, type ServerHandle } from '../../support/server-process.js';
import { registerPhone, startPhone, carrierCall, freshPort } from '../../support/sipp.js';
import { blfSubscribe, phoneCall } from '../../support/sipp-phone.js';
import { execFileSync } from 'node:child_process';
import { apiSession } from '../../support/api.js';
import { createDb } from '../../../server/core/db.js';

const config = testConfig();
const db = createDb(config);
const desk = config.phones.find((p) => p.extension === '1002')!;
let server: ServerHandle;
let deskUas: ChildProcess;
let api: Awaited<ReturnType<typeof apiSession>>;
let hotAgent: number;
let ownerAgent: number;

const agent = async (id: number) => (await api('GET', `/api/v1/agents/${id}`)).json();
const lamp = async (number: string): Promise<string> => {
  const res = await fetch(`${config.ari.url}/ari/deviceStates/${encodeURIComponent(`Stasis:agent-${number}`)}`, {
    headers: { authorization: `Basic ${Buffer.from(`${config.ari.username}:${config.ari.password}`).toString('base64')}` },
  });
  return res.ok ? ((await res.json()) as { state: string }).state : `HTTP ${res.status}`;
};
const lampIs = (number: string, state: string) => waitFor(`lamp of ${number} ${state}`, async () => (await lamp(number)) === state, 8000);
const key = (to: string, dtmf?: string[]) =>
  phoneCall({ extension: desk.extension, password: desk.password, to, steps: dtmf?.flatMap((d) => [{ pauseMs: 1200 }, { dtmf: d }]) ?? [], byeTimeoutMs: 25000 });
/** Asterisk's own view of a hint (CLI), e.g. `*751001@from-phones: Stasis:agent-1001 State:Busy ...`. */
const hint = (exten: string) => {
  const cli = ['asterisk', '-rx', `core show hint ${exten}`];
  return execFileSync(config.asterisk.root ? 'chroot' : cli[0]!, config.asterisk.root ? [config.asterisk.root, ...cli] : cli.slice(1)).toString();
};
const interactionFor = (caller: string) => db('interactions').where({ caller_number: caller }).orderBy('entered_at', 'desc').first();

describe('feature codes from a desk phone', { timeout: 300000 }, () => {
  before(async () => {
    await seededDatabase(config);
    // Agent 1002 works at its own phone; agent 1001 will come to that phone.
    server = startServer({ CC__DEMO__READY_AGENTS: JSON.stringify(['1002']) });
    await waitFor('healthz 200', async () => (await healthz().catch(() => ({ status: 0 }))).status === 200, 60000).catch((err: Error) => {
      throw new Error(`${err.message}\n--- server log ---\n${server.log().slice(-3000)}`);
    });
    const port = freshPort() + 30000;
    deskUas = startPhone(port);
    await registerPhone({ extension: desk.extension, password: desk.password, contactPort: port });
    api = await apiSession(config.demo.adminUser, 'test-admin-password');
    hotAgent = Number((await db('agents').where({ number: '1001' }).first('id')).id);
    ownerAgent = Number((await db('agents').where({ number: '1002' }).first('id')).id);
    assert.equal((await api('PUT', `/api/v1/agents/${hotAgent}/pin`, { pin: '4711' })).status, 204);
    await waitFor('desk phone 1002 registered', async () => (await agent(ownerAgent)).registered, 15000);
  });

  after(async () => {
    deskUas?.kill();
    await server?.stop();
    await db.destroy();
  });

  it('*70 with agent number and PIN logs agent 1001 in on phone 1002; the phone\'s own agent is logged out', async () => {
    assert.equal(await lamp('1002'), 'NOT_INUSE');
    const res = await key('*70', ['1001#', '4711#']);
    assert.equal(res.code, 0, `the *70 call did not end as expected: ${res.stderr.slice(-400)}`);
    const hot = await agent(hotAgent);
    assert.equal(hot.state, 'ready');
    assert.equal(hot.phone, '1002');
    assert.equal(hot.registered, true);
    assert.equal((await agent(ownerAgent)).state, 'logged_out');
    await lampIs('1001', 'NOT_INUSE');
    await lampIs('1002', 'UNAVAILABLE');
    const log = await db('agent_state_log').where({ agent_id: hotAgent }).orderBy('seq').first();
    assert.equal(log.to_state, 'ready');
    assert.equal(log.phone, '1002');
  });

  it('an inbound carrier call rings phone 1002 for agent 1001, and the lamp shows the call', async () => {
    const caller = `86139${Date.now() % 1000000}`;
    const call = carrierCall({ did: config.demo.did, caller, talkMs: 5000 });
    await lampIs('1001', 'INUSE');
    const res = await call;
    assert.equal(res.code, 0, `the carrier call did not complete: ${res.stderr.slice(-400)}`);
    const row = await waitFor('interaction ended', async () => {
      const r = await interactionFor(caller);
      return r?.ended_at ? r : undefined;
    });
    assert.equal(row.outcome, 'answered');
    assert.equal(row.agent_id, hotAgent);
    const cdrs = await waitFor('CDR rows', async () => {
      const rows = await db('cdrs').where({ src: caller });
      return rows.some((c: { disposition: string }) => c.disposition === 'ANSWERED') ? rows : undefined;
    });
    assert.ok(cdrs.some((c: { dstchannel: string }) => c.dstchannel.startsWith('PJSIP/1002-')), 'the agent leg went to phone 1002');
  });

  it('wrong PINs change nothing, and the third one hangs up', async () => {
    const res = await key('*70', ['1001#', '9999#', '1001#', '0000#', '1003#', '4711#']);
    assert.equal(res.code, 0, `the server did not hang up after three wrong tries: ${res.stderr.slice(-400)}`);
    const hot = await waitFor('wrap-up over', async () => {
      const a = await agent(hotAgent);
      return a.state !== 'wrap_up' ? a : undefined;
    });
    assert.equal(hot.phone, '1002');
    assert.equal((await agent(Number((await db('agents').where({ number: '1003' }).first('id')).id))).state, 'logged_out');
  });

  it('*722 pauses with reason code 2 (lunch); *71 makes the agent ready again', async () => {
    assert.equal((await key('*722')).code, 0);
    const paused = await agent(hotAgent);
    assert.equal(paused.state, 'paused');
    assert.equal(paused.pauseReason, 'lunch');
    await lampIs('1001', 'BUSY');
    // A BLF key on the phone: SUBSCRIBE to *751001 makes the hint and NOTIFYs the lamp's state.
    const sub = await blfSubscribe({ extension: desk.extension, password: desk.password, to: '*751001', dialogState: 'confirmed' });
    assert.equal(sub.code, 0, `the BLF subscription did not report the paused agent as busy: ${sub.stderr.slice(-400)}`);
    assert.match(hint('*751001'), /Stasis:agent-1001\s+State:Busy/);
    // An unknown code is said and changes nothing.
    assert.equal((await key('*72', ['77#'])).code, 0);
    assert.equal((await agent(hotAgent)).pauseReason, 'lunch');
    assert.equal((await key('*71')).code, 0);
    assert.equal((await agent(hotAgent)).state, 'ready');
    await lampIs('1001', 'NOT_INUSE');
    assert.match(hint('*751001'), /Stasis:agent-1001\s+State:Idle/);
  });

  it('*73 logs the agent out: the lamp goes dark and the next call is offered to nobody', async () => {
    assert.equal((await key('*73')).code, 0);
    const out = await agent(hotAgent);
    assert.equal(out.state, 'logged_out');
    assert.equal(out.unavailableReason, 'logged-out');
    await lampIs('1001', 'UNAVAILABLE');
    const caller = `86137${Date.now() % 1000000}`;
    const res = await carrierCall({ did: config.demo.did, caller, talkMs: 6000 });
    assert.equal(res.code, 0);
    const row = await waitFor('interaction ended', async () => {
      const r = await interactionFor(caller);
      return r?.ended_at ? r : undefined;
    });
    const types = await db('call_events').where({ interaction_id: row.id }).pluck('type');
    assert.ok(!types.includes('offer'), `no offer expected, got ${types.join(', ')}`);
    assert.notEqual(row.outcome, 'answered');
  });
});
