// A desk phone placing a call (a feature code like *70): INVITE with digest auth from
// 127.0.0.1 as the phone's extension, keys sent as RFC 2833 events, and the far end (our
// app) hanging up when its dialog is done.
import { callerSteps, freshPort, run, toneFile, write, type CallerStep } from './sipp.js';
import { awaitAnswer, awaitBye, dialogAck, exec, reply, request, scenario, sdp, tag } from './sipp-xml.js';

const keysMs = (dtmf: string) => 400 * dtmf.length + 1000;

type Auth = { username: string; password: string };
const from = (extension: string, name: string) => `<sip:${extension}@127.0.0.1>${tag(name)}`;

/**
 * The two tries of a request a phone sends with digest auth: without credentials, the 401
 * (whose ACK an INVITE owes), then with them.
 */
export function withDigest(o: { extension: string; password: string; to: string }, send: (cseq: number, auth?: Auth) => string, invite: boolean): string {
  const ack = request({ method: 'ACK', uri: `sip:${o.to}@127.0.0.1:5060`, via: '[last_Via:]', from: from(o.extension, invite ? 'desk' : 'blf'), to: '[last_To:]', cseq: 1 });
  return [send(1), ...(invite ? ['<recv response="100" optional="true"/>'] : []), '<recv response="401" auth="true"/>', ...(invite ? [ack] : []),
    send(2, { username: o.extension, password: o.password })].join('\n');
}

/**
 * Phone `extension` dials `to` (e.g. '*70'), keys `steps` once answered, and waits up to
 * `byeTimeoutMs` for the app to hang up. Resolves with sipp's exit code (0: all went so).
 */
export function phoneCall(o: { extension: string; password: string; to: string; steps?: CallerStep[]; byeTimeoutMs?: number }): Promise<{ code: number | null; stderr: string }> {
  const steps = o.steps ?? [];
  const totalMs = steps.reduce((t, st) => t + ('dtmf' in st ? keysMs(st.dtmf) : st.pauseMs), 0) + (o.byeTimeoutMs ?? 30000);
  const invite = (cseq: number, auth?: Auth) => request({
    method: 'INVITE', uri: `sip:${o.to}@127.0.0.1:5060`, from: from(o.extension, 'desk'), to: `<sip:${o.to}@127.0.0.1>`, cseq, auth,
    contact: `<sip:${o.extension}@[local_ip]:[local_port]>`, body: sdp({ session: 'deskphone', dtmf: true }),
  });
  const xml = scenario('desk-phone-call', withDigest(o, invite, true), awaitAnswer(10000), dialogAck(from(o.extension, 'desk'), 2),
    exec(`rtp_stream="${toneFile()},-1,0"`), callerSteps(steps), awaitBye(o.byeTimeoutMs ?? 30000));
  const file = write(`desk-${o.extension}-${o.to.replace(/[^0-9]/g, '')}-${Date.now()}.xml`, xml);
  return run(['-sf', file, '-m', '1', '-i', '127.0.0.1', '-p', String(freshPort()), '-mp', String(freshPort() + 10000), '-timeout', `${Math.ceil(totalMs / 1000) + 30}s`, '-timeout_error', '127.0.0.1:5060'], totalMs + 60000);
}

/**
 * A BLF key: phone `extension` subscribes to `to` (a hint, e.g. *751001) for dialog events
 * and checks that the first NOTIFY says `dialogState` (terminated = idle, early = ringing,
 * confirmed = in use / busy). Exit code 0 when it does.
 */
export function blfSubscribe(o: { extension: string; password: string; to: string; dialogState: string }): Promise<{ code: number | null; stderr: string }> {
  const subscribe = (cseq: number, auth?: Auth) => request({
    method: 'SUBSCRIBE', uri: `sip:${o.to}@127.0.0.1:5060`, from: from(o.extension, 'blf'), to: `<sip:${o.to}@127.0.0.1>`, cseq, auth,
    contact: `<sip:${o.extension}@[local_ip]:[local_port]>`, headers: ['Event: dialog', 'Accept: application/dialog-info+xml', 'Expires: 60'],
  });
  const xml = scenario('blf-subscribe', withDigest(o, subscribe, false), '<recv response="200" timeout="10000"/>',
    `<recv request="NOTIFY" timeout="10000">
<action><ereg regexp="<state>${o.dialogState}</state>" search_in="body" check_it="true" assign_to="st"/></action>
</recv>`, reply('200 OK'),
    '<!-- sipp refuses a scenario whose variable is assigned but never read. -->',
    '<nop><action><log message="dialog state [$st]"/></action></nop>');
  const file = write(`blf-${o.extension}-${o.to.replace(/[^0-9]/g, '')}-${Date.now()}.xml`, xml);
  return run(['-sf', file, '-m', '1', '-i', '127.0.0.1', '-p', String(freshPort()), '-timeout', '30s', '-timeout_error', '127.0.0.1:5060'], 40000);
}
