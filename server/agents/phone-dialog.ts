import type { IvrIo } from '../ivr/index.js';
import type { AgentRecord } from './agent-repository.js';
import type { PauseReason } from './pause-reason-repository.js';

// The feature codes an agent keys on a desk phone, and the short dialogs behind them.
// The dialplan hands each to Stasis as `feature,<kind>[,<digits>]`; the phone is the
// channel's own PJSIP endpoint (authenticated), never a number the caller typed.

export type FeatureKind = 'login' | 'ready' | 'pause' | 'logout';

export interface Feature {
  kind: FeatureKind;
  /** Digits keyed with the code itself (*72<reason code>). */
  digits?: string;
}

const KINDS: readonly FeatureKind[] = ['login', 'ready', 'pause', 'logout'];

/** `['feature', 'pause', '2']` -> { kind: 'pause', digits: '2' }; anything else -> undefined. */
export function parseFeature(args: string[]): Feature | undefined {
  if (args[0] !== 'feature') return undefined;
  const kind = KINDS.find((k) => k === args[1]);
  if (!kind) return undefined;
  const digits = (args[2] ?? '').replace(/[^0-9]/g, '');
  return digits ? { kind, digits } : { kind };
}

/** `PJSIP/1002-0000001a` -> '1002'. */
export function phoneOfChannel(name: string): string | undefined {
  return /^PJSIP\/([0-9]{2,8})-[0-9a-f]+$/.exec(name)?.[1];
}

/** What the dialogs need of the agents room. */
export interface PhoneSessions {
  agentAt(phone: string): Promise<AgentRecord | undefined>;
  checkPin(number: string, pin: string): Promise<AgentRecord | undefined>;
  login(agentId: number, phone: string): Promise<void>;
  ready(agentId: number): Promise<void>;
  pause(agentId: number, reason: PauseReason): Promise<void>;
  logout(agentId: number): Promise<void>;
  reason(code: string): Promise<PauseReason | undefined>;
}

/** After this many wrong agent number / PIN pairs the call is hung up. */
export const MAX_LOGIN_TRIES = 3;

const SOUND = {
  agentNumber: 'sound:agent-user',
  pin: 'sound:agent-pass',
  incorrect: 'sound:agent-incorrect',
  loggedIn: 'sound:agent-loginok',
  loggedOut: 'sound:agent-loggedoff',
  ok: 'sound:beep',
  goodbye: 'sound:vm-goodbye',
};
const TTS = {
  notLoggedIn: 'You are not logged in on this phone.',
  reasonCode: 'Enter the pause reason code, then press hash.',
  unknownReason: 'That pause reason code is not known. Nothing was changed.',
  paused: 'Paused.',
  ready: 'Ready.',
  refused: 'That is not possible now. Nothing was changed.',
};

const DIGITS = { terminator: '#', firstDigitTimeoutMs: 8000, interDigitTimeoutMs: 3000 };

export type DialogResult = 'done' | 'refused' | 'no-agent' | 'bad-input' | 'too-many-tries';

/** Runs one feature code's dialog on the phone's channel; says what happened. */
export async function runFeature(f: Feature, phone: string, io: IvrIo, s: PhoneSessions): Promise<DialogResult> {
  const say = async (text: string) => io.play(await io.media({ tts: text }, 'en'));
  const attempt = async (what: () => Promise<void>, confirm: () => Promise<void>): Promise<DialogResult> => {
    try {
      await what();
    } catch {
      await say(TTS.refused);
      return 'refused';
    }
    await confirm();
    return 'done';
  };
  if (f.kind === 'login') return login(phone, io, s, attempt);
  const agent = await s.agentAt(phone);
  if (!agent) {
    await say(TTS.notLoggedIn);
    return 'no-agent';
  }
  if (f.kind === 'ready') return attempt(() => s.ready(agent.id), () => say(TTS.ready));
  if (f.kind === 'logout') return attempt(() => s.logout(agent.id), () => io.play([SOUND.loggedOut]));
  const code = f.digits ?? (await io.ask(await io.media({ tts: TTS.reasonCode }, 'en'), { maxDigits: 4, ...DIGITS }));
  const reason = code ? await s.reason(code) : undefined;
  if (!reason) {
    await say(TTS.unknownReason);
    return 'bad-input';
  }
  return attempt(() => s.pause(agent.id, reason), async () => say(`${TTS.paused} ${reason.label}.`));
}

type Attempt = (what: () => Promise<void>, confirm: () => Promise<void>) => Promise<DialogResult>;

async function login(phone: string, io: IvrIo, s: PhoneSessions, attempt: Attempt): Promise<DialogResult> {
  for (let tries = 1; tries <= MAX_LOGIN_TRIES; tries++) {
    const number = await io.ask([SOUND.agentNumber], { maxDigits: 8, ...DIGITS });
    const pin = number ? await io.ask([SOUND.pin], { maxDigits: 8, ...DIGITS }) : '';
    const agent = number && pin ? await s.checkPin(number, pin) : undefined;
    if (agent) return attempt(() => s.login(agent.id, phone), () => io.play([SOUND.loggedIn]));
    await io.play([SOUND.incorrect]);
  }
  await io.play([SOUND.goodbye]);
  return 'too-many-tries';
}
