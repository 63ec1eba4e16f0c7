// What the telephony benchmarks need from Asterisk, in one place: the bench-only desk
// phones, the app_queue queues and DIDs of the comparison, and the AMI user that pauses
// app_queue members. scripts/render-asterisk.ts renders it into asterisk/*.hbs and
// dialplan/*.hbs (the BENCH ONLY sections); the benchmarks read the same values, so
// the two can never disagree. Passwords are derived from the installed secrets, so
// nothing new has to be stored and a rendered file stays the same between runs.
import { createHmac } from 'node:crypto';
import type { Config } from '../../../server/core/config.js';

/** The phone that rings in the agent-ready benchmark (our agent and the app_queue member). */
export const READY_EXTENSION = '79000';
/** Answering phones of the call-load benchmark: 79001 .. 79000 + LOAD_PHONES. */
export const LOAD_PHONES = 80;
export const loadExtensions = (): string[] => Array.from({ length: LOAD_PHONES }, (_, i) => String(79001 + i));

/**
 * Bench DIDs. Ours go to Stasis like every DID; the app_queue ones are caught in from-trunk.
 * The screen-pop benchmark's two (measured calls, calls kept in progress) are ours only.
 */
export const DIDS = {
  oursReady: '5558101', oursLoad: '5558102', appQueueReady: '5558201', appQueueLoad: '5558202', oursPop: '5558103', oursPopLoad: '5558104',
} as const;
export const APP_QUEUES = { ready: 'cc-bench-ready', load: 'cc-bench-load' } as const;
/** Relative to Asterisk's monitor directory; app_queue's recordings of bench calls go there. */
export const APP_QUEUE_RECORDINGS = 'cc-bench';
/** The one-key menu's prompt, the same file on both sides (Asterisk's shipped sound, 1.4 s). */
export const MENU_SOUND = 'hello-world';
export const BENCH_AMI_USER = 'cc-bench';

function derived(config: Config, what: string): string {
  return createHmac('sha256', config.session.secret).update(`cc-bench:${what}`).digest('base64url').slice(0, 24);
}

export interface BenchPhone { extension: string; password: string }

export function benchPhones(config: Config): BenchPhone[] {
  return [READY_EXTENSION, ...loadExtensions()].map((extension) => ({ extension, password: derived(config, `phone:${extension}`) }));
}

export function benchAmi(config: Config): { host: string; port: number; username: string; password: string } {
  return { host: config.ami.host, port: config.ami.port, username: BENCH_AMI_USER, password: derived(config, 'ami') };
}

/** The `bench` object the Asterisk templates render from. */
export function benchTemplateContext(config: Config): Record<string, unknown> {
  return {
    phones: benchPhones(config),
    readyExtension: READY_EXTENSION,
    loadExtensions: loadExtensions(),
    dids: DIDS,
    appQueues: APP_QUEUES,
    recordings: APP_QUEUE_RECORDINGS,
    menuSound: MENU_SOUND,
    ami: { username: BENCH_AMI_USER, secret: benchAmi(config).password },
  };
}
