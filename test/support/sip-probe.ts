// One SIP request over UDP from a chosen local address, telling "no answer at all" apart from
// any answer (a 403 from a PJSIP ACL is an answer: the sender still sees a SIP server). sipp
// can only wait for the codes a scenario names, so a 403 where a 401 was expected looked like
// silence to the old probe.
import { createSocket } from 'node:dgram';
import { randomBytes } from 'node:crypto';

export interface ProbeOptions {
  from: string;
  port: number;
  to?: string;
  toPort?: number;
  user?: string;
  /** How long to wait for any answer, retransmitting as a UDP client does (0.5 s, 1 s, 2 s). */
  timeoutMs?: number;
}

/** A REGISTER without credentials: a known account answers 401 (a challenge, which counts as no failure). */
function register(o: Required<ProbeOptions>): string {
  const id = randomBytes(6).toString('hex');
  return [
    `REGISTER sip:${o.to}:${o.toPort} SIP/2.0`,
    `Via: SIP/2.0/UDP ${o.from}:${o.port};rport;branch=z9hG4bK${id}`,
    `From: <sip:${o.user}@${o.to}>;tag=${id}`,
    `To: <sip:${o.user}@${o.to}>`,
    `Call-ID: probe-${id}@${o.from}`,
    'CSeq: 1 REGISTER',
    `Contact: <sip:${o.user}@${o.from}:${o.port}>`,
    'Max-Forwards: 70',
    'Expires: 60',
    'Content-Length: 0',
    '', '',
  ].join('\r\n');
}

/** The status code of the first answer, or undefined when nothing came back in time. */
export function sipProbe(options: ProbeOptions): Promise<number | undefined> {
  const o: Required<ProbeOptions> = { to: '127.0.0.1', toPort: 5060, user: '1001', timeoutMs: 4000, ...options };
  const message = Buffer.from(register(o));
  const socket = createSocket('udp4');
  return new Promise((resolve, reject) => {
    const timers: NodeJS.Timeout[] = [];
    const finish = (code: number | undefined) => {
      timers.forEach(clearTimeout);
      socket.close();
      resolve(code);
    };
    socket.on('error', (err) => {
      timers.forEach(clearTimeout);
      socket.close();
      reject(err);
    });
    socket.on('message', (msg) => {
      const status = /^SIP\/2\.0 (\d{3})/.exec(msg.toString('latin1'));
      if (status) finish(Number(status[1]));
    });
    socket.bind(o.port, o.from, () => {
      const send = () => socket.send(message, o.toPort, o.to);
      send();
      for (const at of [500, 1500, 3500].filter((t) => t < o.timeoutMs)) timers.push(setTimeout(send, at));
      timers.push(setTimeout(() => finish(undefined), o.timeoutMs));
    });
  });
}
