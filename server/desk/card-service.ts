import type { Redis } from '../core/redis.js';
import type { Logger } from '../core/logger.js';
import type { LiveBus } from '../live/live-bus.js';
import { keys } from '../live/keys.js';
import { assembleCard, type CallFacts, type CustomerSource } from './card-builder.js';
import type { DispositionService } from './disposition-service.js';
import type { CustomerCard, HistoryEntry, ScreenPopCard } from './schemas.js';
import type { CallAccess } from './call-access.js';
import { interactionNotFound } from './errors.js';

export interface CardDeps {
  redis: Redis;
  /** The call while it lives (Redis), then its record (MariaDB). */
  liveCall(interactionId: string): Promise<CallFacts | undefined>;
  storedCall(interactionId: string): Promise<CallFacts | undefined>;
  customers?: CustomerSource;
  dispositions: DispositionService;
  access: CallAccess;
  bus: LiveBus;
  log: Logger;
}

// A card outlives its call for the wrap-up and a reload the next morning, not for ever.
const CARD_TTL_SEC = 12 * 3600;
const HISTORY_SHOWN = 10;

/**
 * Builds the screen pop once per interaction and keeps it in Redis: the desk phone's
 * ring, a second tab and a reload all get the same card without asking MariaDB again.
 */
export class CardService {
  constructor(private readonly d: CardDeps) {}

  async get(interactionId: string): Promise<ScreenPopCard | undefined> {
    const cached = await this.d.redis.get(keys.deskCard(interactionId));
    if (cached) return JSON.parse(cached) as ScreenPopCard;
    return this.build(interactionId);
  }

  /** Builds afresh (a customer was just created or edited) and caches the result. */
  async build(interactionId: string): Promise<ScreenPopCard | undefined> {
    const call = (await this.d.liveCall(interactionId)) ?? (await this.d.storedCall(interactionId));
    if (!call) return undefined;
    const [found, dispositions] = await Promise.all([this.customer(call), this.d.dispositions.forQueue(call.queue)]);
    const card = assembleCard(call, { customer: found.customer, history: found.history, dispositions });
    if (found.customer) await this.link(interactionId, found.customer.id);
    await this.d.redis.set(keys.deskCard(interactionId), JSON.stringify(card), 'EX', CARD_TTL_SEC);
    return card;
  }

  /**
   * The agent created (or picked) the customer during the call: file the call under them
   * and push the new card to every tab of the agent's desk.
   */
  async attachCustomer(agentId: number, interactionId: string, customerId: number, o: { addCallerNumber?: boolean } = {}): Promise<ScreenPopCard> {
    await this.d.access.assert(agentId, interactionId);
    await this.d.customers?.get(customerId);
    // The desk files the caller's number on the server: an agent who sees it masked cannot send it.
    if (o.addCallerNumber) {
      const call = (await this.d.liveCall(interactionId)) ?? (await this.d.storedCall(interactionId));
      if (!call) throw interactionNotFound(interactionId);
      await this.d.customers?.addNumber(customerId, call.callerNumber);
    }
    await this.link(interactionId, customerId);
    const card = await this.build(interactionId);
    if (!card) throw interactionNotFound(interactionId);
    await this.d.bus.publish('desk', { agentId, kind: 'card', interactionId, card });
    return card;
  }

  async forget(interactionId: string): Promise<void> {
    await this.d.redis.del(keys.deskCard(interactionId));
  }

  // The CRM failing must not cost the agent the rest of the card: it shows the call without it.
  private async customer(call: CallFacts): Promise<{ customer?: CustomerCard; history: HistoryEntry[] }> {
    if (!this.d.customers || !call.callerNumber) return { history: [] };
    try {
      return await this.d.customers.find(call.callerNumber, { excludeId: call.interactionId, limit: HISTORY_SHOWN });
    } catch (err) {
      this.d.log.warn({ interactionId: call.interactionId, err: (err as Error).message }, 'customer lookup failed; card shows the call alone');
      return { history: [] };
    }
  }

  /** The customer the call is about, found by caller id or created by the agent during it. */
  async link(interactionId: string, customerId: number): Promise<void> {
    await this.d.customers?.link(interactionId, customerId).catch((err: Error) => this.d.log.warn({ interactionId, err: err.message }, 'interaction not linked to its customer'));
  }
}
