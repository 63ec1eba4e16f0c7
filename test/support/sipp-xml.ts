// The pieces every sipp scenario of ours is made of, as text: SIP requests and replies,
// SDP bodies, and the few recurring steps (answer a qualify OPTIONS, take the far end's
// BYE). Scenarios in test/support and scripts/bench are assembled from these, so a fix to
// how we speak SIP (a header, a tag, a retransmission) is made once.

/** A new transaction's Via (requests we start); replies and ACKs of a 401 reuse [last_Via:]. */
export const NEW_VIA = 'Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]';

/** Our To/From tag for the dialog a scenario plays, unique per sipp process and call. */
export const tag = (name: string) => `;tag=[pid]${name}[call_number]`;

export function scenario(name: string, ...steps: string[]): string {
  return `<?xml version="1.0" encoding="ISO-8859-1" ?>\n<scenario name="${name}">\n${steps.filter((s) => s !== '').join('\n')}\n</scenario>`;
}

export interface SdpOptions {
  /** s= line; shows in Asterisk's logs only. */
  session: string;
  /** Address of the media; sipp's own by default. */
  ip?: string;
  port?: number | string;
  /** Offer telephone-event (RFC 2833), needed for play_dtmf. */
  dtmf?: boolean;
  /** a=sendonly etc.; none means sendrecv. */
  direction?: string;
  /** o= version: each new offer of a dialog must raise it, or Asterisk takes it for no change. */
  version?: number;
}

export function sdp(o: SdpOptions): string {
  const ip = o.ip ?? '[media_ip]';
  const lines = [
    'v=0', `o=- 1 ${o.version ?? 1} IN IP4 ${o.ip ?? '[local_ip]'}`, `s=${o.session}`, `c=IN IP4 ${ip}`, 't=0 0',
    `m=audio ${o.port ?? '[media_port]'} RTP/AVP 0${o.dtmf ? ' 96' : ''}`, 'a=rtpmap:0 PCMU/8000',
  ];
  if (o.dtmf) lines.push('a=rtpmap:96 telephone-event/8000', 'a=fmtp:96 0-15');
  if (o.direction) lines.push(`a=${o.direction}`);
  return lines.join('\n');
}

/** Headers, a blank line and the body (if any), as sipp wants them inside CDATA. */
function message(first: string, headers: string[], body?: string): string {
  const all = [first, ...headers, ...(body ? ['Content-Type: application/sdp', 'Content-Length: [len]'] : ['Content-Length: 0'])];
  return `${all.join('\n')}\n\n${body ? `${body}\n` : ''}`;
}

const send = (text: string, retrans: boolean) => `<send${retrans ? ' retrans="500"' : ''}><![CDATA[\n${text}]]></send>`;

export interface ReplyOptions {
  /** Adds our tag to To (the first reply of a dialog we answer); omitted, To is echoed as is. */
  toTag?: string;
  /** A Contact header: true for the bare address, or a user part. */
  contact?: boolean | string;
  /** CSeq other than the last one received (e.g. a 487 for the INVITE after a CANCEL). */
  cseq?: string;
  headers?: string[];
  body?: string;
  retrans?: boolean;
}

/** A reply to the last request received. */
export function reply(status: string, o: ReplyOptions = {}): string {
  const contact = o.contact === undefined || o.contact === false ? []
    : [`Contact: <sip:${o.contact === true ? '' : `${o.contact}@`}[local_ip]:[local_port]>`];
  const headers = ['[last_Via:]', '[last_From:]', `[last_To:]${o.toTag ? tag(o.toTag) : ''}`, '[last_Call-ID:]', o.cseq ?? '[last_CSeq:]', ...contact, ...(o.headers ?? [])];
  return send(message(`SIP/2.0 ${status}`, headers, o.body), o.retrans ?? o.body !== undefined);
}

export interface RequestOptions {
  method: string;
  uri: string;
  from: string;
  /** The To value, or sipp's whole-header keyword [last_To:] (the dialog's To with its tag). */
  to: string;
  cseq: number;
  /** NEW_VIA unless it answers a transaction (the ACK of a 401 reuses [last_Via:]). */
  via?: string;
  callId?: string;
  /** The dialog's route set ([routes]), for in-dialog requests. */
  routes?: boolean;
  contact?: string;
  headers?: string[];
  /** sipp's [authentication ...] keyword: the digest answer to the last 401. */
  auth?: { username: string; password: string };
  body?: string;
}

/** A request we send; retransmitted until answered, except ACK. */
export function request(o: RequestOptions): string {
  const headers = [
    o.via ?? NEW_VIA, `From: ${o.from}`, o.to === '[last_To:]' ? o.to : `To: ${o.to}`, ...(o.routes ? ['[routes]'] : []), `Call-ID: ${o.callId ?? '[call_id]'}`,
    `CSeq: ${o.cseq} ${o.method}`, ...(o.contact ? [`Contact: ${o.contact}`] : []), 'Max-Forwards: 70', ...(o.headers ?? []),
    ...(o.auth ? [`[authentication username=${o.auth.username} password=${o.auth.password}]`] : []),
  ];
  return send(message(`${o.method} ${o.uri} SIP/2.0`, headers, o.body), o.method !== 'ACK');
}

/** An INVITE taken as the called party, remembering From/To for a BYE of our own (calleeBye). */
export const RECV_INVITE_AS_CALLEE = `<recv request="INVITE" rrs="true">
<action>
<ereg regexp=".*" search_in="hdr" header="From:" assign_to="remote"/>
<ereg regexp=".*" search_in="hdr" header="To:" assign_to="local"/>
</action>
</recv>`;

/** Waits for a reply; `orGoTo` names the label to go on at when none comes (else the scenario fails). */
const expect = (status: number, timeoutMs: number, orGoTo?: string) =>
  `<recv response="${status}" timeout="${timeoutMs}"${orGoTo ? ` ontimeout="${orGoTo}"` : ''}/>`;

/** The called party hangs up: a BYE in the dialog RECV_INVITE_AS_CALLEE opened, and its 200. */
export function calleeBye(toTag: string, cseq: number, orGoTo?: string): string {
  return `${request({ method: 'BYE', uri: '[next_url]', from: `[$local]${tag(toTag)}`, to: '[$remote]', routes: true, cseq })}\n${expect(200, 5000, orGoTo)}`;
}

/** The calling party hangs up its own call. */
export function callerBye(from: string, cseq: number, orGoTo?: string): string {
  return `${request({ method: 'BYE', uri: '[next_url]', from, to: '[last_To:]', routes: true, cseq })}\n${expect(200, 5000, orGoTo)}`;
}

/** The ACK of a 2xx, in the dialog. */
export const dialogAck = (from: string, cseq: number) => request({ method: 'ACK', uri: '[next_url]', from, to: '[last_To:]', routes: true, cseq });

/** The far end (our app) hangs up: wait for its BYE and confirm it. */
export const awaitBye = (timeoutMs?: number) => `<recv request="BYE"${timeoutMs === undefined ? '' : ` timeout="${timeoutMs}"`}/>\n${reply('200 OK')}`;

/** The answers of a call we place, up to the 200 (provisional ones optional). */
export const awaitAnswer = (firstTimeoutMs: number, orGoTo?: string) => `<recv response="100" optional="true" timeout="${firstTimeoutMs}"${orGoTo ? ` ontimeout="${orGoTo}"` : ''}/>
<recv response="180" optional="true"/>
<recv response="183" optional="true"/>
<recv response="200" rrs="true"/>`;

/**
 * Qualify OPTIONS, which Asterisk sends to a registered phone at any time: a scenario that
 * starts with QUALIFY_FIRST and ends with QUALIFY_LAST answers one instead of a call.
 */
export const QUALIFY_FIRST = '<recv request="OPTIONS" optional="true" next="options"/>';
export const QUALIFY_LAST = `<nop next="end"/>\n<label id="options"/>\n${reply('200 OK', { toTag: 'opt' })}\n<label id="end"/>`;

/** Rings until the caller gives up (CANCEL): 200 to the CANCEL, 487 to the INVITE, and its ACK. */
export function ringUntilCancelled(toTag: string): string {
  return `<recv request="INVITE"><action><ereg regexp="[0-9]+" search_in="hdr" header="CSeq:" check_it="true" assign_to="cs"/></action></recv>
${reply('180 Ringing', { toTag, contact: true })}
<recv request="CANCEL"/>
${reply('200 OK', { toTag, contact: true })}
${reply('487 Request Terminated', { toTag, cseq: 'CSeq: [$cs] INVITE' })}
<recv request="ACK"/>`;
}

/** sipp's exec action as a step. */
export const exec = (what: string) => `<nop><action><exec ${what}/></action></nop>`;
