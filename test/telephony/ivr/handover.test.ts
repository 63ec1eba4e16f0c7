// IVR steps that hand the caller to the dialplan: straight to a desk phone (extension),
// to an agent by agent number, and through another flow. The phone really answers and
// the CDR shows the bridged leg under the caller's linkedid.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { testConfig, seededDatabase } from '../../support/config.js';
import { startServer, healthz, waitFor, type ServerHandle } from '../../support/server-process.js';
import { registerPhone, startPhone, carrierCall, freshPort } from '../../support/sipp.js';
import { putFlow, routeDidToFlow } from '../../support/routing-setup.js';
import { createDb } from '../../../server/core/db.js';

const config = testConfig();
const db = createDb(config);
const [, p2, p3] = config.phones as [typeof config.phones[0], typeof config.phones[0], typeof config.phones[0]];
const EXT_DID = '5559101';
const AGENT_DID = '5559102';
const VIA_FLOW_DID = '5559103';
const procs: ChildProcess[] = [];
let server: ServerHandle;

const ended = (caller: string) => waitFor(`interaction of ${caller} ended`, async () => {
  const r = await db('interactions').where({ caller_number: caller }).first();
  return r?.ended_at ? r : undefined;
}, 60000);
/** The answered CDR leg to `extension` among the caller's legs (same linkedid). */
const answeredLegTo = (linkedid: string, extension: string) => waitFor(`answered CDR to ${extension}`, async () => db('cdrs')
  .where({ linkedid, disposition: 'ANSWERED' }).andWhere('dstchannel', 'like', `PJSIP/${extension}-%`).first(), 30000);

describe('IVR hand-overs to desk phones on real Asterisk', { timeout: 300000 }, () => {
  before(async () => {
    await seededDatabase(config);
    const { number: agentNumber } = await db('agents').where({ extension: p3.extension }).first('number');
    await putFlow(db, 'to-ext', { start: 'x', steps: { x: { type: 'extension', extension: p2.extension } } });
    await putFlow(db, 'to-agent', { start: 'a', steps: { a: { type: 'agent', agent: agentNumber } } });
    await putFlow(db, 'via-flow', { start: 'f', steps: { f: { type: 'flow', flow: 'to-ext' } } });
    await routeDidToFlow(db, EXT_DID, 'to-ext');
    await routeDidToFlow(db, AGENT_DID, 'to-agent');
    await routeDidToFlow(db, VIA_FLOW_DID, 'via-flow');
    server = startServer({ CC__DEMO__READY_AGENTS: '[]' });
    await waitFor('healthz 200', async () => (await healthz().catch(() => ({ status: 0 }))).status === 200, 60000);
    for (const p of [p2, p3]) {
      const port = freshPort() + 35000;
      procs.push(startPhone(port, 'answer'));
      await registerPhone({ extension: p.extension, password: p.password, contactPort: port });
    }
  });

  after(async () => {
    for (const p of procs) p.kill();
    await server?.stop();
    await db.destroy();
  });

  for (const [name, did, extension, outcome] of [
    ['an extension step rings that desk phone, which answers', EXT_DID, () => p2.extension, 'extension'],
    ['an agent step rings the agent\'s own desk phone', AGENT_DID, () => p3.extension, 'agent'],
    ['a flow step runs the other flow, which hands the caller on', VIA_FLOW_DID, () => p2.extension, 'extension'],
  ] as const) {
    it(name, async () => {
      const caller = `86190${Date.now() % 1000000}`;
      const res = await carrierCall({ did, caller, talkMs: 4000 });
      assert.equal(res.code, 0, res.stderr.slice(-300));
      const row = await ended(caller);
      assert.equal(row.outcome, outcome);
      const events = await db('call_events').where({ interaction_id: row.id }).orderBy('seq');
      const leave = events.find((e: { type: string }) => e.type === 'leave');
      const data = typeof leave?.data === 'string' ? JSON.parse(leave.data) : leave?.data;
      assert.equal(data?.to, outcome);
      const leg = await answeredLegTo(row.linkedid, extension());
      assert.ok(leg.billsec >= 2, `the desk phone talked ${leg.billsec} s`);
    });
  }
});
