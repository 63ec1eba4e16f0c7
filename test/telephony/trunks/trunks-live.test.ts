// Trunks added through the API while Asterisk runs: the server rewrites pjsip-trunks.conf
// and reloads res_pjsip through AMI. (a) An IP trunk for 127.0.0.4 takes a carrier call to
// the demo DID into the queue, and the config trunk (127.0.0.2) keeps working. (b) A
// registering trunk registers with digest auth to a sipp registrar on 127.0.0.5, reads
// Registered, and is gone from Asterisk once deleted. (c) Marked outbound, the IP trunk
// carries a callback to the customer. Run inside flock /tmp/cc-telephony.lock.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { testConfig, seededDatabase } from '../../support/config.js';
import { waitFor } from '../../support/server-process.js';
import { carrierCall, customerPhone, freshPort, write } from '../../support/sipp.js';
import { startTrunkRig, stopTrunkRig, type TrunkRig } from '../../support/trunk-rig.js';
import { asteriskCli as cli } from '../../support/asterisk-cli.js';
import { scenario } from '../../support/sipp-xml.js';
import { awaitUnregister, registrarSteps } from '../../support/sipp-registrar.js';
import { createDb } from '../../../server/core/db.js';

const config = testConfig();
const db = createDb(config);
const agentPhone = config.phones.find((p) => p.extension === '1002')!;
const REGISTRAR = { ip: '127.0.0.5', port: 5070, username: 'acct1001', password: 'Carrier-Pass-1' };
let rig: TrunkRig;
const api: TrunkRig['api'] = (...args) => rig.api(...args);
const procs: ChildProcess[] = [];
const trace = `/tmp/cc-registrar-${process.pid}-${Date.now()}.log`;

/** A carrier's registrar: 401 with a challenge, then 200 to the REGISTER that answers it, then 200 to the un-REGISTER. */
function registrarScenario(): string {
  return scenario('registrar', registrarSteps({ username: REGISTRAR.username, firstTimeoutMs: 60000 }), awaitUnregister(30000, 'end'), '<label id="end"/>');
}

function startRegistrar(traceFile: string): { proc: ChildProcess; exited: Promise<number | null> } {
  const file = write(`registrar-${Date.now()}.xml`, registrarScenario());
  const proc = spawn('sipp', ['-sf', file, '-m', '1', '-i', REGISTRAR.ip, '-p', String(REGISTRAR.port), '-mp', String(freshPort() + 10000), '-trace_msg', '-message_file', traceFile, '-timeout', '240s'], { stdio: 'ignore' });
  procs.push(proc);
  return { proc, exited: new Promise((resolve) => proc.on('exit', (code) => resolve(code))) };
}

async function answeredCall(o: { from?: string; caller: string }): Promise<string> {
  const call = carrierCall({ did: config.demo.did, caller: o.caller, talkMs: 4000, ...(o.from ? { from: o.from } : {}) });
  // The channel names the endpoint that identified the call.
  const channel = await waitFor('the call in Asterisk', async () => /PJSIP\/([A-Za-z0-9_-]+)-[0-9a-f]{8}/.exec(cli('core show channels concise'))?.[1], 15000);
  const done = await call;
  assert.equal(done.code, 0, `the call from ${o.from ?? '127.0.0.2'} failed: ${done.stderr.slice(-400)}`);
  const row = await waitFor('interaction ended', async () => {
    const r = await db('interactions').where({ caller_number: o.caller }).first();
    return r?.ended_at ? r : undefined;
  });
  assert.equal(row.outcome, 'answered', `the call from ${o.from ?? '127.0.0.2'} was not answered by the queue`);
  return channel;
}

describe('trunks added from the API, live in Asterisk', { timeout: 300000 }, () => {
  before(async () => {
    assert.match(readFileSync(`${config.asterisk.root}/etc/asterisk/pjsip.conf`, 'utf8'), /^#tryinclude \/etc\/asterisk\/pjsip-trunks\.conf$/m, 'pjsip.conf includes the trunks file');
    await seededDatabase(config);
    rig = await startTrunkRig(db, agentPhone);
  });

  after(async () => {
    await stopTrunkRig(rig, agentPhone);
    for (const p of procs) p.kill();
    await db.destroy();
    rmSync(trace, { force: true });
  });

  it('(a) takes a call from an IP trunk added for 127.0.0.4 into the queue, and the config trunk keeps working', async () => {
    const res = await api('POST', '/api/v1/trunks', { name: 'trunk-ip4', label: 'Second carrier', kind: 'ip', host: '127.0.0.4', codecs: ['ulaw', 'alaw'] });
    assert.equal(res.status, 201, await res.clone().text());
    assert.match(cli('pjsip show endpoint trunk-ip4'), /Endpoint:\s+trunk-ip4\b/);
    assert.match(cli('pjsip show identifies'), /trunk-ip4-identify\/trunk-ip4/);
    const stamp = Date.now() % 1000000;
    assert.equal(await answeredCall({ from: '127.0.0.4', caller: `86138${stamp}` }), 'trunk-ip4');
    assert.equal(await answeredCall({ caller: `86137${stamp}` }), config.trunk.name);
  });

  it('(b) registers a trunk to a carrier with digest auth, shows Registered, and is gone from Asterisk once deleted', async () => {
    const registrar = startRegistrar(trace);
    const res = await api('POST', '/api/v1/trunks', {
      name: 'trunk-reg5', kind: 'register', host: REGISTRAR.ip, port: REGISTRAR.port, username: REGISTRAR.username, password: REGISTRAR.password,
    });
    assert.equal(res.status, 201, await res.clone().text());
    const { id } = (await res.json()) as { id: number };
    const state = await waitFor('Registered', async () => {
      const t = (await (await api('GET', `/api/v1/trunks/${id}`)).json()) as { registration: string | null };
      return t.registration === 'Registered' ? t.registration : undefined;
    }, 30000).catch((err: Error) => {
      throw new Error(`${err.message}\n${cli('pjsip show registrations')}\n${existsSync(trace) ? readFileSync(trace, 'utf8').slice(-2000) : 'no sipp trace'}`);
    });
    assert.equal(state, 'Registered');
    const page = await (await api('GET', '/admin/trunks')).text();
    assert.match(page, /data-registration="Registered"/);
    assert.match(cli('pjsip show registrations'), /trunk-reg5-reg\/sip:127\.0\.0\.5:5070\s.*Registered/);
    const log = readFileSync(trace, 'utf8');
    assert.match(log, new RegExp(`^Authorization: Digest .*username="${REGISTRAR.username}"`, 'm'), 'the REGISTER answered the challenge with the username');
    assert.equal(log.includes(REGISTRAR.password), false, 'the password itself is never sent');

    const del = await api('DELETE', `/api/v1/trunks/${id}`);
    assert.equal(del.status, 204);
    assert.doesNotMatch(cli('pjsip show registrations'), /trunk-reg5/);
    assert.doesNotMatch(cli('pjsip show endpoints'), /trunk-reg5/);
    // Removing the registration sends an un-REGISTER (Expires: 0), which ends the registrar's scenario.
    assert.equal(await registrar.exited, 0, 'the registrar scenario completed');
    assert.match(readFileSync(trace, 'utf8'), /^Expires: 0$/m, 'Asterisk unregistered from the carrier');
  });

  it('(c) dials a callback to the customer through the trunk marked outbound, which may be deleted once unmarked', async () => {
    const port = freshPort() + 36000;
    procs.push(customerPhone(port, 'answer', 3000, '127.0.0.4'));
    const trunk = ((await (await api('GET', '/api/v1/trunks')).json()) as Array<{ id: number; name: string }>).find((t) => t.name === 'trunk-ip4');
    assert.ok(trunk, 'the trunk of (a) is there');
    const marked = await api('PUT', `/api/v1/trunks/${trunk.id}`, { name: 'trunk-ip4', kind: 'ip', host: '127.0.0.4', port, outbound: true });
    assert.equal(marked.status, 200, await marked.clone().text());
    const state = (await (await api('GET', `/api/v1/agents/${rig.agentId}`)).json()) as { state: string };
    if (state.state !== 'ready') assert.equal((await api('POST', `/api/v1/agents/${rig.agentId}/state`, { state: 'ready' })).status, 200);
    const res = await api('POST', '/api/v1/callbacks', { queue: config.demo.queue, number: '5557004' });
    assert.equal(res.status, 201, await res.clone().text());
    const { interactionId } = (await res.json()) as { interactionId: string };
    const channel = await waitFor('the customer leg in Asterisk', async () => /PJSIP\/trunk-ip4-[0-9a-f]{8}/.exec(cli('core show channels concise'))?.[0], 30000);
    assert.ok(channel);
    const cb = await waitFor('callback completed', async () => {
      const r = await db('callbacks').where({ interaction_id: interactionId }).first();
      return r?.status === 'completed' ? r : undefined;
    }, 60000);
    assert.equal(cb.attempts, 1);
    const unmarked = await api('PUT', `/api/v1/trunks/${trunk.id}`, { name: 'trunk-ip4', kind: 'ip', host: '127.0.0.4', outbound: false });
    assert.equal(unmarked.status, 200);
    const deleted = await api('DELETE', `/api/v1/trunks/${trunk.id}`);
    assert.equal(deleted.status, 204, 'no longer the outbound trunk, it may go');
  });
});
