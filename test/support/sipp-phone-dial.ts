// A desk phone that dials another phone and hangs up itself: INVITE with digest auth from
// 127.0.0.1 as `extension`, `talkMs` of audio once answered, then its own BYE. Resolves with
// sipp's exit code (0: answered, and the BYE was confirmed).
import { freshPort, run, toneFile, write } from './sipp.js';
import { withDigest } from './sipp-phone.js';
import { awaitAnswer, callerBye, dialogAck, exec, request, scenario, sdp, tag } from './sipp-xml.js';

export function phoneDial(o: { extension: string; password: string; to: string; talkMs: number }): Promise<{ code: number | null; stderr: string }> {
  const from = `<sip:${o.extension}@127.0.0.1>${tag('desk')}`;
  const invite = (cseq: number, auth?: { username: string; password: string }) => request({
    method: 'INVITE', uri: `sip:${o.to}@127.0.0.1:5060`, from, to: `<sip:${o.to}@127.0.0.1>`, cseq, auth,
    contact: `<sip:${o.extension}@[local_ip]:[local_port]>`, body: sdp({ session: 'deskphone' }),
  });
  const xml = scenario('desk-phone-dial', withDigest(o, invite, true), awaitAnswer(15000), dialogAck(from, 2), exec(`rtp_stream="${toneFile()},-1,0"`),
    `<pause milliseconds="${o.talkMs}"/>`, callerBye(from, 3));
  const file = write(`dial-${o.extension}-${o.to}-${Date.now()}.xml`, xml);
  return run(['-sf', file, '-m', '1', '-i', '127.0.0.1', '-p', String(freshPort()), '-mp', String(freshPort() + 10000), '-timeout', `${Math.ceil(o.talkMs / 1000) + 30}s`, '-timeout_error', '127.0.0.1:5060'], o.talkMs + 40000);
}
