import { Type, type Static } from '@sinclair/typebox';
import { AppError, conflict, notFound } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { checkedBody } from '../core/validate.js';
import type { DidChange, DidRepository, DidRoute, DidTarget } from './did-repository.js';

/** A DID's settings as the API and the numbers page send them; every field optional on an edit. */
export const DidSettings = Type.Object({
  flow: Type.Optional(Type.String({ maxLength: 64, description: 'send calls to this IVR flow' })),
  queue: Type.Optional(Type.String({ maxLength: 64, description: 'or straight to this queue' })),
  recording: Type.Optional(Type.Boolean({ description: 'record calls to this number (a new DID: true); left out: unchanged' })),
  consentPrompt: Type.Optional(Type.Union([Type.Integer({ minimum: 1 }), Type.String({ minLength: 1, maxLength: 128 }), Type.Null()], {
    description: 'recording-consent announcement callers hear first: a prompt id or a prompt name (/api/v1/ivr/prompts); null: none',
  })),
  consentOptOutKey: Type.Optional(Type.Union([Type.String({ pattern: '^[0-9*#]$' }), Type.Null()], {
    description: 'a key that, pressed during the announcement, declines recording; null: none',
  })),
}, { additionalProperties: false });
export type DidSettings = Static<typeof DidSettings>;

export const NewDid = Type.Object({ number: Type.String({ maxLength: 32 }), ...DidSettings.properties }, { additionalProperties: false });

export const didNotFound = (number: string) => notFound('did-not-found', `no DID ${number}`);
const invalidDid = (message: string, details?: unknown) => new AppError(422, 'invalid-did-route', message, details);
const DID_NUMBER = /^\+?[0-9]{1,31}$/;

export interface DidDeps {
  repo: DidRepository;
  flowId(name: string): Promise<number | undefined>;
  queueId(name: string): Promise<number | undefined>;
  prompts: { list(): Promise<Array<{ id: number; name: string }>> };
  log: Logger;
}

/** Checked like checkedBody, but refused with this room's stable code, so old clients keep matching it. */
function settingsOf<S extends typeof DidSettings | typeof NewDid>(schema: S, input: unknown): Static<S> {
  try {
    return checkedBody(schema, input ?? {});
  } catch (err) {
    const details = (err as AppError).details as Array<{ path: string; message: string }> | undefined;
    throw invalidDid(`the DID settings are not valid: ${(details ?? []).map((d) => `${d.path} ${d.message}`).join('; ')}`, details);
  }
}

/**
 * Numbers we answer (DIDs) and where their calls go: a flow or a queue, whether they are
 * recorded, and the recording-consent announcement callers hear first. Calls read a DID
 * from MariaDB when they arrive, so a change reaches the next call without a restart.
 */
export class DidService {
  constructor(private readonly d: DidDeps) {}

  list(): Promise<DidRoute[]> {
    return this.d.repo.list();
  }

  async get(number: string): Promise<DidRoute> {
    const did = await this.d.repo.get(number);
    if (!did) throw didNotFound(number);
    return did;
  }

  /** Where calls to this DID go; undefined for a number we do not serve. */
  route(number: string): Promise<DidRoute | undefined> {
    return this.d.repo.get(number);
  }

  /** Numbers whose consent announcement is this prompt. */
  usingPrompt(promptId: number): Promise<string[]> {
    return this.d.repo.usingPrompt(promptId);
  }

  /** A new number: refused when it exists already (409), or without a flow or a queue to send calls to. */
  async create(input: unknown): Promise<DidRoute> {
    const { number, ...settings } = settingsOf(NewDid, input);
    checkNumber(number);
    const change = await this.change(settings, true);
    checkConsent(settings);
    if (!(await this.d.repo.insert(number, change as DidChange & { target: DidTarget }))) throw conflict('did-exists', `DID ${number} already exists`);
    this.d.log.info({ did: number, flow: settings.flow, queue: settings.queue }, 'DID created');
    return this.get(number);
  }

  /**
   * Changes what is given. With a flow or a queue the DID is created if new (the older PUT
   * contract); without one, only an existing DID's other settings change (404 otherwise).
   */
  async update(number: string, input: unknown): Promise<DidRoute> {
    const settings = settingsOf(DidSettings, input);
    checkNumber(number);
    const routed = settings.flow !== undefined || settings.queue !== undefined;
    if (!Object.keys(settings).length) throw invalidDid('give either a flow or a queue: a number must send its calls somewhere, and to one place');
    const change = await this.change(settings, routed);
    const stored = await this.d.repo.get(number);
    if (!stored && !routed) throw didNotFound(number);
    checkConsent({ consentPrompt: stored?.consentPrompt, consentOptOutKey: stored?.consentOptOutKey, ...settings });
    // A create racing this one wins the insert; this edit then applies over it.
    if (stored || !(await this.d.repo.insert(number, change as DidChange & { target: DidTarget }))) await this.d.repo.update(number, change);
    this.d.log.info({ did: number, ...settings }, 'DID changed');
    return this.get(number);
  }

  async delete(number: string): Promise<void> {
    if (!(await this.d.repo.delete(number))) throw didNotFound(number);
    this.d.log.info({ did: number }, 'DID deleted');
  }

  /** Resolves names to ids and refuses what would route nowhere, before anything is written. */
  private async change(s: DidSettings, needsTarget: boolean): Promise<DidChange> {
    const change: DidChange = { recording: s.recording };
    if (needsTarget) change.target = await this.target(s);
    if (s.consentPrompt !== undefined) change.consentPromptId = s.consentPrompt === null ? null : await this.promptId(s.consentPrompt);
    if (s.consentOptOutKey !== undefined) change.consentOptOutKey = s.consentOptOutKey;
    return change;
  }

  private async target(s: DidSettings): Promise<DidTarget> {
    // An empty name is no target at all (the page's "choose one").
    const flow = s.flow || undefined;
    const queue = s.queue || undefined;
    if ((flow === undefined) === (queue === undefined)) throw invalidDid('give either a flow or a queue: a number must send its calls somewhere, and to one place');
    if (flow !== undefined) {
      const flowId = await this.d.flowId(flow);
      if (flowId === undefined) throw invalidDid(`there is no flow named ${flow}`);
      return { flowId };
    }
    const queueId = await this.d.queueId(queue as string);
    if (queueId === undefined) throw invalidDid(`there is no queue named ${queue}`);
    return { queueId };
  }

  private async promptId(ref: number | string): Promise<number> {
    const prompts = await this.d.prompts.list();
    const found = prompts.filter((p) => (typeof ref === 'number' ? p.id === ref : p.name === ref));
    if (found.length === 0) throw invalidDid(`there is no prompt ${typeof ref === 'number' ? ref : `named ${ref}`}`);
    if (found.length > 1) throw invalidDid(`${found.length} prompts are named ${ref}: give the prompt's id (${found.map((p) => p.id).join(', ')})`);
    return (found[0] as { id: number }).id;
  }
}

/** An opt-out key is pressed during the announcement: without one it could never be heard of. */
function checkConsent(s: { consentPrompt?: unknown; consentOptOutKey?: string | null }): void {
  if (s.consentOptOutKey && (s.consentPrompt === null || s.consentPrompt === undefined)) {
    throw invalidDid('an opt-out key needs a consent prompt: the caller presses it during the announcement');
  }
}

function checkNumber(number: string): void {
  if (!DID_NUMBER.test(number)) throw invalidDid(`${number} is not a DID number (digits, optionally after +)`);
}
