import type { Redis } from '../core/redis.js';
import type { Logger } from '../core/logger.js';
import { keys } from '../live/keys.js';
import { assembleCard, type CallFacts, type CustomerSource } from './card-builder.js';
import type { DispositionService } from './disposition-service.js';
import type { ScreenPopCard } from './schemas.js';

export interface CardDeps {
  redis: Redis;
  /** The call while it lives (Redis), then its record (MariaDB). */
  liveCall(interactionId: string): Promise<CallFacts | undefined>;
  storedCall(interactionId: string): Promise<CallFacts | undefined>;
  customers?: CustomerSource;
  dispositions: DispositionService;
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
    const [found, dispositions] = await Promise.all([this.lookup(call.callerNumber), this.d.dispositions.forQueue(call.queue)]);
    const history = await this.history(call, found?.id);
    const card = assembleCard(call, { customer: found, history, dispositions });
    await this.d.redis.set(keys.deskCard(interactionId), JSON.stringify(card), 'EX', CARD_TTL_SEC);
    return card;
  }

  async forget(interactionId: string): Promise<void> {
    await this.d.redis.del(keys.deskCard(interactionId));
  }

  // The CRM failing must not cost the agent the rest of the card: it shows the call without it.
  private async lookup(number: string) {
    if (!this.d.customers || !number) return undefined;
    try {
      return await this.d.customers.lookup(number);
    } catch (err) {
      this.d.log.warn({ err: (err as Error).message }, 'customer lookup failed; card shows the call alone');
      return undefined;
    }
  }

  private async history(call: CallFacts, customerId?: number) {
    if (!this.d.customers) return [];
    try {
      return await this.d.customers.history({ customerId, number: call.callerNumber, excludeId: call.interactionId, limit: HISTORY_SHOWN });
    } catch (err) {
      this.d.log.warn({ interactionId: call.interactionId, err: (err as Error).message }, 'interaction history failed; card shows none');
      return [];
    }
  }
}
