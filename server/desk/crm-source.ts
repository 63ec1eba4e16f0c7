import type { CrmService, CustomerDetail, HistoryItem } from '../crm/index.js';
import type { CustomerSource } from './card-builder.js';
import type { CustomerCard, HistoryEntry } from './schemas.js';

const NOTES_SHOWN = 5;

function customerCard(c: CustomerDetail): CustomerCard {
  return {
    id: c.id, name: c.name, level: c.level, company: c.company, tags: c.tags, remarks: c.notes,
    notes: c.latestNotes.slice(0, NOTES_SHOWN).map((n) => ({ at: n.at, author: n.author, text: n.text })),
  };
}

const historyEntry = (h: HistoryItem): HistoryEntry => ({
  interactionId: h.interactionId, at: h.at, direction: h.direction, queue: h.queue, agentName: h.agentName, outcome: h.outcome,
  waitMs: h.waitMs, talkMs: h.talkMs, disposition: h.disposition, note: h.note,
  recordings: h.recordings.map((r) => ({ id: r.id, durationMs: r.durationMs })),
});

/** The card's view of the CRM: the customer behind a caller id and their earlier interactions. */
export function crmSource(crm: CrmService): CustomerSource {
  return {
    async find(number, o) {
      const card = await crm.card(number, { interactionId: o.excludeId, historyLimit: o.limit });
      return { customer: card.customer ? customerCard(card.customer) : undefined, history: card.history.items.map(historyEntry) };
    },
    get: (customerId) => crm.get(customerId),
    link: (interactionId, customerId) => crm.linkInteraction(interactionId, customerId),
    addNumber: async (customerId, number) => {
      await crm.addNumber(customerId, number);
    },
  };
}
