// Adding a desk phone through the API while a call is up: the server rewrites the PJSIP
// include file and reloads res_pjsip through AMI. The new phone registers with digest auth,
// calls and is called, its BLF key shows the busy agent, and the call that was up all along
// ends normally.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { testConfig, seededDatabase } from '../../support/config.js';
import { startServer, healthz, waitFor, type ServerHandle } from '../../support/server-process.js';
import { registerPhone, startPhone, carrierCall, freshPort } from '../../support/sipp.js';
import { phoneDial } from '../../support/sipp-phone-dial.js';
import { blfSubscribe } from '../../support/sipp-phone.js';
import { apiSession } from '../../support/api.js';
import { asteriskCli as cli } from '../../support/asterisk-cli.js';
import { createDb } from '../../../server/core/db.js';

const config = testConfig();
const db = createDb(config);
const agentPhone = config.phones.find((p) => p.extension === '1002')!;
const otherPhone = config.phones.find((p) => p.extension === '1003')!;
const NEW_EXTENSION = '1077';
let server: ServerHandle;
const uas: ChildProcess[] = [];
let api: Awaited<ReturnType<typeof apiSession>>;

const answeringPhone = async (p: { extension: string; password: string }) => {
  const port = freshPort() + 30000;
  uas.push(startPhone(port));
  await registerPhone({ extension: p.extension, password: p.password, contactPort: port });
};

describe('a desk phone added while a call is up', { timeout: 240000 }, () => {
  before(async () => {
    await seededDatabase(config);
    server = startServer({ CC__DEMO__READY_AGENTS: JSON.stringify([agentPhone.extension]) });
    await waitFor('healthz 200', async () => (await healthz().catch(() => ({ status: 0 }))).status === 200, 60000).catch((err: Error) => {
      throw new Error(`${err.message}\n--- server log ---\n${server.log().slice(-3000)}`);
    });
    await answeringPhone(agentPhone);
    await answeringPhone(otherPhone);
    api = await apiSession(config.demo.adminUser, 'test-admin-password');
    const agentId = Number((await db('agents').where({ number: agentPhone.extension }).first('id')).id);
    await waitFor('agent phone registered', async () => (await (await api('GET', `/api/v1/agents/${agentId}`)).json()).registered, 15000);
  });

  after(async () => {
    // Leave Asterisk as it was: no managed phone left in the include file.
    for (const p of (await (await api?.('GET', '/api/v1/phones'))?.json()) ?? []) await api('DELETE', `/api/v1/phones/${p.id}`);
    for (const p of uas) p.kill();
    await server?.stop();
    await db.destroy();
  });

  it('keeps the call up through the reload; the new phone registers, calls and is called', async () => {
    assert.doesNotMatch(cli(`pjsip show endpoint ${NEW_EXTENSION}`), /Endpoint:\s+1077\b/);
    const caller = `86139${Date.now() % 1000000}`;
    const firstCall = carrierCall({ did: config.demo.did, caller, talkMs: 30000 });
    await waitFor('the carrier call is answered by the agent', async () => {
      const row = await db('interactions').where({ caller_number: caller }).first();
      return row?.answered_at ? row : undefined;
    }, 20000);
    const channelsBefore = cli('core show channels count');

    const res = await api('POST', '/api/v1/phones', { extension: NEW_EXTENSION, displayName: 'Hot desk 77', mac: '00:15:65:00:10:77', vendor: 'yealink' });
    assert.equal(res.status, 201, await res.clone().text());
    const added = (await res.json()) as { sipPassword: string };
    assert.match(cli(`pjsip show endpoint ${NEW_EXTENSION}`), /Endpoint:\s+1077\/1077/);

    await answeringPhone({ extension: NEW_EXTENSION, password: added.sipPassword });
    const outgoing = await phoneDial({ extension: NEW_EXTENSION, password: added.sipPassword, to: otherPhone.extension, talkMs: 2000 });
    assert.equal(outgoing.code, 0, `the new phone's call failed: ${outgoing.stderr.slice(-400)}`);
    const incoming = await phoneDial({ extension: otherPhone.extension, password: otherPhone.password, to: NEW_EXTENSION, talkMs: 2000 });
    assert.equal(incoming.code, 0, `the call to the new phone failed: ${incoming.stderr.slice(-400)}`);
    // Its BLF key for agent 1002 (busy on the first call) shows the agent in a call.
    const lamp = await blfSubscribe({ extension: NEW_EXTENSION, password: added.sipPassword, to: `*75${agentPhone.extension}`, dialogState: 'confirmed' });
    assert.equal(lamp.code, 0, `the BLF subscription did not show agent ${agentPhone.extension} busy: ${lamp.stderr.slice(-400)}`);

    const first = await firstCall;
    assert.equal(first.code, 0, `the call that was up did not end normally: ${first.stderr.slice(-400)}\nchannels before the add: ${channelsBefore}`);
    const row = await waitFor('interaction ended', async () => {
      const r = await db('interactions').where({ caller_number: caller }).first();
      return r?.ended_at ? r : undefined;
    });
    assert.equal(row.outcome, 'answered');
    // 30 s of talk from the answer, with the reload in the middle of it: one call, not two.
    assert.ok(Number(row.talk_ms) >= 25000, `talk ${row.talk_ms} ms`);
  });
});
