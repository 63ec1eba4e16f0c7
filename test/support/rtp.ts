// A party's audio on the wire, for telephony tests that check who hears whom: a UDP socket
// that is the RTP endpoint a sipp phone or caller announces in its SDP. It sends a steady
// sine tone of its own (G.711 mu-law, 20 ms packets) and keeps what Asterisk sends it, so
// a test can ask which parties' tones reach this phone's ear (Goertzel per frequency).
import dgram from 'node:dgram';
import type { AddressInfo } from 'node:net';

const RATE = 8000;
const FRAME = 160;

export function muLawEncode(sample: number): number {
  const BIAS = 0x84;
  let s = Math.max(-32635, Math.min(32635, Math.round(sample)));
  const sign = s < 0 ? 0x80 : 0;
  if (sign) s = -s;
  s += BIAS;
  let exp = 7;
  for (let mask = 0x4000; (s & mask) === 0 && exp > 0; mask >>= 1) exp--;
  const mantissa = (s >> (exp + 3)) & 0x0f;
  return ~(sign | (exp << 4) | mantissa) & 0xff;
}

export function muLawDecode(byte: number): number {
  const u = ~byte & 0xff;
  const s = ((((u & 0x0f) << 3) + 0x84) << ((u >> 4) & 7)) - 0x84;
  return u & 0x80 ? -s : s;
}

/** The amplitude of one frequency in the samples (Goertzel), in the samples' own units. */
export function toneAmplitude(samples: Float64Array | number[], hz: number): number {
  const n = samples.length;
  if (n === 0) return 0;
  const coeff = 2 * Math.cos((2 * Math.PI * hz) / RATE);
  let s1 = 0;
  let s2 = 0;
  for (let i = 0; i < n; i++) {
    const s0 = samples[i]! + coeff * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  const power = s1 * s1 + s2 * s2 - coeff * s1 * s2;
  return (2 * Math.sqrt(Math.max(power, 0))) / n;
}

export class RtpParty {
  private readonly socket = dgram.createSocket('udp4');
  private remote: { address: string; port: number } | undefined;
  private timer: NodeJS.Timeout | undefined;
  private heard: number[] = [];
  private seq = Math.floor(Math.random() * 60000);
  private ts = Math.floor(Math.random() * 1e9);
  private phase = 0;
  private readonly ssrc = Math.floor(Math.random() * 2 ** 31);
  /** Packets received in all, for a test that wants to know media flowed at all. */
  received = 0;

  constructor(readonly name: string, readonly toneHz: number, private readonly host: string, private readonly amplitude = 6000) {}

  async open(): Promise<number> {
    this.socket.on('message', (msg, rinfo) => this.onPacket(msg, rinfo));
    await new Promise<void>((resolve) => this.socket.bind(0, this.host, () => resolve()));
    // Asterisk sends from the port it receives on (its one RTP socket per leg): we answer there.
    this.timer = setInterval(() => this.send(), 20);
    return (this.socket.address() as AddressInfo).port;
  }

  get port(): number {
    return (this.socket.address() as AddressInfo).port;
  }

  private onPacket(msg: Buffer, rinfo: dgram.RemoteInfo): void {
    if (msg.length < 12 || (msg[0]! & 0xc0) !== 0x80) return;
    this.remote = { address: rinfo.address, port: rinfo.port };
    this.received++;
    if ((msg[1]! & 0x7f) !== 0) return;
    let offset = 12 + (msg[0]! & 0x0f) * 4;
    if (msg[0]! & 0x10) offset += 4 + msg.readUInt16BE(offset + 2) * 4;
    for (let i = offset; i < msg.length; i++) this.heard.push(muLawDecode(msg[i]!));
    // Keep ten seconds at most.
    if (this.heard.length > RATE * 10) this.heard.splice(0, this.heard.length - RATE * 10);
  }

  private send(): void {
    if (!this.remote) return;
    const pkt = Buffer.alloc(12 + FRAME);
    pkt[0] = 0x80;
    pkt[1] = 0;
    pkt.writeUInt16BE(this.seq, 2);
    pkt.writeUInt32BE(this.ts >>> 0, 4);
    pkt.writeUInt32BE(this.ssrc, 8);
    const step = (2 * Math.PI * this.toneHz) / RATE;
    for (let i = 0; i < FRAME; i++) {
      pkt[12 + i] = muLawEncode(this.amplitude * Math.sin(this.phase));
      this.phase += step;
    }
    this.phase %= 2 * Math.PI;
    this.seq = (this.seq + 1) & 0xffff;
    this.ts = (this.ts + FRAME) >>> 0;
    this.socket.send(pkt, this.remote.port, this.remote.address);
  }

  /** What this party hears over the next `ms`: the amplitude of each party's tone. */
  async listen(ms: number, parties: RtpParty[]): Promise<Record<string, number>> {
    this.heard = [];
    await new Promise((r) => setTimeout(r, ms));
    const samples = this.heard.slice();
    return Object.fromEntries(parties.map((p) => [p.name, Math.round(toneAmplitude(samples, p.toneHz))]));
  }

  close(): void {
    clearInterval(this.timer);
    this.socket.close();
  }
}
