// Calls from a carrier we register to. A trunk added through the API registers to a sipp
// carrier on 127.0.0.5 (401, then 200); its identify lists only 127.0.0.6, so the carrier's
// own address identifies nothing. The carrier then calls the contact it was given (the
// Request-URI is the REGISTER's Contact with its ;line=..., so its user is our account name)
// with the demo DID in To: the registration's line names the trunk, from-trunk-line takes
// the DID from To, and the ready agent's desk phone answers. The same address without the
// line, or with another one, is an unknown caller: Asterisk challenges it and it never
// reaches the app. Run inside flock /tmp/cc-telephony.lock.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { testConfig, seededDatabase } from '../../support/config.js';
import { waitFor } from '../../support/server-process.js';
import { freshPort, toneFile, write } from '../../support/sipp.js';
import { awaitAnswer, callerBye, dialogAck, exec, request, scenario, sdp, tag } from '../../support/sipp-xml.js';
import { awaitUnregister, registrarSteps } from '../../support/sipp-registrar.js';
import { startTrunkRig, stopTrunkRig, type TrunkRig } from '../../support/trunk-rig.js';
import { asteriskCli as cli } from '../../support/asterisk-cli.js';
import { createDb } from '../../../server/core/db.js';

const config = testConfig();
const db = createDb(config);
const agentPhone = config.phones.find((p) => p.extension === '1002')!;
const CARRIER = { ip: '127.0.0.5', port: 5072, username: 'acct2002', password: 'Carrier-Pass-2' };
const TRUNK = { name: 'trunk-line5', kind: 'register', host: CARRIER.ip, port: CARRIER.port, username: CARRIER.username, password: CARRIER.password, match: ['127.0.0.6'] };
const stamp = Date.now() % 1000000;
// Caller numbers of the four INVITEs: to the line as registered, without it, with another, and with the DID in the Request-URI.
const CALLERS = { line: `86150${stamp}`, noLine: `86151${stamp}`, wrongLine: `86152${stamp}`, didInUri: `86153${stamp}` };
const TALK_MS = 4000;
let rig: TrunkRig;
const api: TrunkRig['api'] = (...args) => rig.api(...args);
const procs: ChildProcess[] = [];
let trunkId: number;
let carrier: { exited: Promise<number | null> };
const trace = `/tmp/cc-line-carrier-${process.pid}-${Date.now()}.log`;

/** An INVITE from the carrier to `uri`, from `caller`, to `toUser` at the carrier's domain. */
function invite(o: { uri: string; caller: string; toUser: string; cseq: number; dialog: string }) {
  const from = `"Caller ${o.caller}" <sip:${o.caller}@carrier.test>${tag(o.dialog)}`;
  const text = request({
    method: 'INVITE', uri: o.uri, from, to: `<sip:${o.toUser}@carrier.test>`, cseq: o.cseq,
    contact: `<sip:${o.caller}@[local_ip]:[local_port]>`, body: sdp({ session: 'line-carrier' }),
  });
  return { from, text };
}

/** A call that is answered, talks and hangs up (the caller waits in the queue meanwhile). */
function answeredInvite(o: Parameters<typeof invite>[0]): string {
  const call = invite(o);
  return [call.text, awaitAnswer(60000), dialogAck(call.from, o.cseq), exec(`rtp_stream="${toneFile()},-1,0"`), `<pause milliseconds="${TALK_MS}"/>`, callerBye(call.from, o.cseq + 1)].join('\n');
}

/** An INVITE (to the demo DID) Asterisk refuses with 401 (an unknown caller is challenged), and its ACK. */
function refusedInvite(uri: string, caller: string, cseq: number, dialog: string): string {
  const { from, text } = invite({ uri, caller, toUser: config.demo.did, cseq, dialog });
  const ack = request({ method: 'ACK', uri, from, to: '[last_To:]', via: '[last_Via:]', cseq });
  return [text, '<recv response="100" optional="true" timeout="10000"/>', '<recv response="401"/>', ack].join('\n');
}

/**
 * Registers; calls the registered contact as it is (line; DID in To) and talks; tries the
 * same contact without the line and with another; calls the line with the DID as the
 * Request-URI user (To: our account), as some carriers do; then waits for the un-REGISTER.
 */
function carrierScenario(): string {
  return scenario('line-carrier',
    registrarSteps({ username: CARRIER.username, firstTimeoutMs: 60000 }),
    '<pause milliseconds="1000"/>',
    answeredInvite({ uri: '[$contact]', caller: CALLERS.line, toUser: config.demo.did, cseq: 1, dialog: 'line' }),
    refusedInvite('sip:[$contactuser]@[$contacthost]', CALLERS.noLine, 11, 'noline'),
    refusedInvite('sip:[$contactuser]@[$contacthost];line=wrongline7', CALLERS.wrongLine, 21, 'wrongline'),
    answeredInvite({ uri: `sip:${config.demo.did}@[$contacthost][$line]`, caller: CALLERS.didInUri, toUser: CARRIER.username, cseq: 31, dialog: 'didinuri' }),
    awaitUnregister(120000, 'end'), '<label id="end"/>');
}

/** The final answers (no 1xx) to our request with this CSeq, one per status, from sipp's message trace. */
function answersTo(cseq: string): string[] {
  const text = existsSync(trace) ? readFileSync(trace, 'utf8') : '';
  const statuses = text.split(/\n-{10,}/).filter((b) => new RegExp(`^CSeq: ${cseq}$`, 'm').test(b))
    .map((b) => /^SIP\/2\.0 ([2-6]\d\d)/m.exec(b)?.[1]).filter((s): s is string => s !== undefined);
  return [...new Set(statuses)];
}

/**
 * A call of the carrier on our line: its channel is the trunk's endpoint, in from-trunk once
 * from-trunk-line has found the DID; the demo queue's agent answers it.
 */
async function answeredLineCall(caller: string, cseq: string): Promise<void> {
  const channel = await waitFor('the call in Asterisk', async () => /PJSIP\/([A-Za-z0-9_-]+)-[0-9a-f]{8}!from-trunk!/.exec(cli('core show channels concise'))?.[1], 30000)
    .catch((err: Error) => {
      throw new Error(`${err.message}\n${existsSync(trace) ? readFileSync(trace, 'utf8').slice(-3000) : 'no sipp trace'}`);
    });
  assert.equal(channel, TRUNK.name, 'the channel is the registering trunk\'s endpoint');
  const row = await waitFor('interaction ended', async () => {
    const r = await db('interactions').where({ caller_number: caller }).first();
    return r?.ended_at ? r : undefined;
  }, 90000);
  assert.equal(row.outcome, 'answered', 'the queue\'s agent answered');
  assert.equal(row.did, config.demo.did);
  assert.equal(row.queue, config.demo.queue);
  assert.deepEqual(answersTo(cseq), ['200'], 'the carrier\'s INVITE was answered');
}

describe('calls from a carrier we register to, recognised by the registration\'s line', { timeout: 300000 }, () => {
  before(async () => {
    await seededDatabase(config);
    rig = await startTrunkRig(db, agentPhone);
  });

  after(async () => {
    await stopTrunkRig(rig, agentPhone);
    for (const p of procs) p.kill();
    await db.destroy();
    rmSync(trace, { force: true });
  });

  it('registers the trunk to the carrier with digest auth, and shows Registered on the API and the page', async () => {
    const file = write(`line-carrier-${Date.now()}.xml`, carrierScenario());
    const proc = spawn('sipp', ['-sf', file, '-m', '1', '-i', CARRIER.ip, '-p', String(CARRIER.port), '-mp', String(freshPort() + 10000), '-aa',
      '-trace_msg', '-message_file', trace, '-timeout', '240s'], { stdio: 'ignore' });
    procs.push(proc);
    carrier = { exited: new Promise((resolve) => proc.on('exit', (code) => resolve(code))) };
    const res = await api('POST', '/api/v1/trunks', TRUNK);
    assert.equal(res.status, 201, await res.clone().text());
    trunkId = ((await res.json()) as { id: number }).id;
    await waitFor('Registered', async () => {
      const t = (await (await api('GET', `/api/v1/trunks/${trunkId}`)).json()) as { registration: string | null };
      return t.registration === 'Registered' || undefined;
    }, 30000).catch((err: Error) => {
      throw new Error(`${err.message}\n${cli('pjsip show registrations')}\n${existsSync(trace) ? readFileSync(trace, 'utf8').slice(-2000) : 'no sipp trace'}`);
    });
    assert.match(await (await api('GET', '/admin/trunks')).text(), /data-registration="Registered"/);
    // The carrier's own address is in no identify: only the line can name the trunk.
    assert.match(cli('pjsip show identify trunk-line5-identify'), /Match\s*:\s*127\.0\.0\.6\/32/);
    assert.doesNotMatch(cli('pjsip show identifies'), /127\.0\.0\.5/);
    assert.match(readFileSync(trace, 'utf8'), /^Contact: <sip:acct2002@[^;>]+;line=[a-z]+>/m, 'Asterisk registered a contact with a line');
  });

  it('takes the carrier\'s call to the registered contact as the trunk\'s, to the DID in To, and the agent answers', async () => {
    // The Request-URI user was the account name: the DID came from To.
    await answeredLineCall(CALLERS.line, '1 INVITE');
  });

  it('refuses the carrier\'s INVITE without the line or with another line: challenged as unknown, never in the queue', async () => {
    await waitFor('both INVITEs answered', async () => answersTo('21 INVITE').length > 0 || undefined, 30000);
    assert.deepEqual(answersTo('11 INVITE'), ['401'], 'no line parameter');
    assert.deepEqual(answersTo('21 INVITE'), ['401'], 'a line no registration has');
    const reached = await db('interactions').whereIn('caller_number', [CALLERS.noLine, CALLERS.wrongLine]).count({ n: '*' }).first();
    assert.equal(Number(reached?.n), 0, 'no interaction for either');
  });

  it('takes a call to the line whose Request-URI user is the DID (To: our account) at its word', async () => {
    await answeredLineCall(CALLERS.didInUri, '31 INVITE');
  });

  it('unregisters from the carrier once the trunk is deleted', async () => {
    assert.equal((await api('DELETE', `/api/v1/trunks/${trunkId}`)).status, 204);
    assert.doesNotMatch(cli('pjsip show registrations'), /trunk-line5/);
    assert.equal(await carrier.exited, 0, 'the carrier scenario completed, un-REGISTER included');
    assert.match(readFileSync(trace, 'utf8'), /^Expires: 0$/m);
  });
});
