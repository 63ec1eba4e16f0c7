import type { Outbox } from '../../live/outbox.js';
import type { CallbackFilter, CallbackPatch, CallbackRecord, CallbackRepository } from './callback-repository.js';

/**
 * Writes of callback rows go through the outbox, like interactions: a database outage
 * delays them but loses none. Reads go to MariaDB directly.
 */
export class CallbackRecords {
  constructor(private readonly repo: CallbackRepository, private readonly outbox: Outbox) {
    outbox.handle('callback.insert', (r: CallbackRecord) => repo.insert(r));
    outbox.handle('callback.update', (id: string, patch: CallbackPatch) => repo.update(id, patch));
  }

  insert(r: CallbackRecord): Promise<void> {
    return this.outbox.run({ op: 'callback.insert', args: [r] });
  }

  update(interactionId: string, patch: CallbackPatch): Promise<void> {
    return this.outbox.run({ op: 'callback.update', args: [interactionId, patch] });
  }

  get(interactionId: string): Promise<CallbackRecord | undefined> {
    return this.repo.get(interactionId);
  }

  list(f: CallbackFilter): Promise<CallbackRecord[]> {
    return this.repo.list(f);
  }
}
