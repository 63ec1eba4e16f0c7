import { AppError, conflict, notFound } from '../../core/errors.js';
import { checkedBody } from '../../core/validate.js';
import { decide, dialledForm, type DialRule, type DialSettings } from './dial-rules.js';
import type { DialRuleRepository } from './dial-rule-repository.js';
import { DialRuleInput } from './schemas.js';
import type { OutboundCap, OutboundSlot } from './outbound-cap.js';

const REASONS = {
  international: 'international numbers are not allowed without a dial rule (Admin → Dial rules)',
  premium: 'premium-rate numbers are not allowed without a dial rule (Admin → Dial rules)',
  rule: 'a dial rule denies this number',
} as const;

/**
 * Toll-fraud protection for every call we place to an outside number (click to dial,
 * transfers to a number, callbacks), before anything is dialled: a number no rule allows
 * is refused with 403, a call over the concurrent-call cap with 429 (`admit`). Rules are
 * read once and kept until an admin changes them.
 */
export class DialPolicy {
  private cache: DialRule[] | undefined;

  constructor(private readonly repo: DialRuleRepository, private readonly settings: DialSettings, private readonly cap: OutboundCap) {}

  /**
   * The number is allowed and a slot under the caps is taken for it; the slot is given
   * back with `release` when the call (or that leg) ends.
   */
  async admit(slot: OutboundSlot, raw: string, digits: string): Promise<void> {
    await this.check(raw, digits);
    await this.cap.acquire(slot);
  }

  release(callId: string, leg?: string): Promise<void> {
    return this.cap.release(callId, leg);
  }

  /** Outside calls up now, in all and for one agent. */
  outsideCalls(agentId?: number): Promise<{ total: number; agent: number }> {
    return this.cap.count(agentId);
  }

  /** Throws 403 dial-refused when `digits` (typed as `raw`) may not be dialled out. */
  async check(raw: string, digits: string): Promise<void> {
    const dialled = dialledForm(raw, digits, this.settings);
    const d = decide(dialled, await this.rules(), this.settings);
    if (!d.allowed) {
      const which = d.rule ? ` (rule ${d.rule.prefix}: ${d.rule.label})` : '';
      throw new AppError(403, 'dial-refused', `${dialled}: ${REASONS[d.reason]}${which}`, { reason: d.reason, dialled });
    }
  }

  async rules(): Promise<DialRule[]> {
    this.cache ??= await this.repo.all();
    return this.cache;
  }

  async create(body: unknown): Promise<DialRule> {
    const input = checkedBody(DialRuleInput, body);
    const id = await this.repo.insert({ prefix: input.prefix, action: input.action, label: input.label.trim() });
    if (id === false) throw conflict('dial-rule-exists', `prefix ${input.prefix} has a rule already; delete it first`);
    this.cache = undefined;
    return (await this.rules()).find((r) => r.id === id) as DialRule;
  }

  async remove(id: number): Promise<void> {
    if (!(await this.repo.remove(id))) throw notFound('dial-rule-not-found', `no dial rule ${id}`);
    this.cache = undefined;
  }
}
