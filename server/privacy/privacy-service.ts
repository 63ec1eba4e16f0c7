import { unlink } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import type { Logger } from '../core/logger.js';
import { checkedBody } from '../core/validate.js';
import type { AuditService } from '../audit/index.js';
import type { CrmService } from '../crm/index.js';
import type { PrivacyRepository, Held } from './privacy-repository.js';
import { EraseBody, type CustomerExport, type EraseResult } from './schemas.js';
import { callbackPending, confirmationMismatch, customerGone } from './errors.js';

export interface PrivacyDeps {
  crm: Pick<CrmService, 'get' | 'allNotes' | 'deliveredForms'>;
  repo: PrivacyRepository;
  /** Sensitive reads (an export) are audited here, like recording plays; erasures by the admin-changes wrapper. */
  audit: Pick<AuditService, 'record'>;
  /** Drops the desk's cached screen pop of an interaction (it holds the number). */
  forgetCard: (interactionId: string) => Promise<void>;
  /** Host path of the recordings tree; no file outside it is ever deleted. */
  recordingsRoot: string;
  hostPath: (asteriskPath: string) => string;
  log: Logger;
}

export interface Requester {
  userId: number | null;
  username: string;
  ip: string | null;
}

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());
const json = (v: unknown) => {
  if (typeof v !== 'string') return v ?? null;
  try {
    return JSON.parse(v) as unknown;
  } catch {
    return v;
  }
};

function exportOf(held: Held): Omit<CustomerExport, 'exportedAt' | 'exportedBy' | 'customer' | 'notes'> {
  return {
    interactions: held.interactions.map((i) => ({
      id: i.id, direction: i.direction, callerNumber: i.caller_number, callerName: i.caller_name, did: i.did, queue: i.queue, agentId: i.agent_id,
      enteredAt: iso(i.entered_at) as string, answeredAt: iso(i.answered_at), endedAt: iso(i.ended_at), outcome: i.outcome, waitMs: i.wait_ms,
      talkMs: i.talk_ms, holdMs: i.hold_ms, disposition: i.disposition, wrapNote: i.wrap_note, followUp: !!i.follow_up, surveyScore: i.csat_score,
      ivrPath: json(i.ivr_path), attributes: json(i.attrs),
    })),
    callEvents: held.callEvents.map((e) => ({ interactionId: e.interaction_id, seq: e.seq, type: e.type, at: iso(e.at) as string, queue: e.queue, agentId: e.agent_id, data: json(e.data) })),
    callbacks: held.callbacks.map((c) => ({
      interactionId: c.interaction_id, queue: c.queue, number: c.number, status: c.status, attempts: c.attempts,
      requestedAt: iso(c.requested_at) as string, endedAt: iso(c.ended_at), lastResult: c.last_result,
    })),
    recordings: held.recordings.map((r) => ({
      id: Number(r.id), interactionId: r.interaction_id, startedAt: iso(r.started_at) as string, durationMs: r.duration_ms, sizeBytes: Number(r.size_bytes),
      sha256: r.sha256, deleted: r.deleted_at !== null, download: `/recordings/${Number(r.id)}/download`,
    })),
  };
}

/**
 * A customer's rights over what we hold about them (issue 6, PIPL): an export of all of it,
 * and an erasure. The erasure deletes the customer, their numbers and notes and their
 * recordings, and anonymises the calls they made (kept so the KPI counts and reports stay
 * right); docs/privacy.md lists the scope. Database rows change in one transaction; files
 * are deleted after it commits, and a file that cannot be is reported, not hidden.
 */
export class PrivacyService {
  constructor(private readonly d: PrivacyDeps) {}

  async export(customerId: number, by: Requester): Promise<CustomerExport> {
    const customer = await this.d.crm.get(customerId);
    const [notes, held] = await Promise.all([
      this.d.crm.allNotes(customerId),
      this.d.repo.held({ customerId, callerForms: this.d.crm.deliveredForms(customer.numbers) }),
    ]);
    // Every note is in `notes`; the customer record goes without the latest few repeated.
    const record: Partial<typeof customer> = { ...customer };
    delete record.latestNotes;
    const out: CustomerExport = { exportedAt: new Date().toISOString(), exportedBy: by.username, customer: record as CustomerExport['customer'], notes, ...exportOf(held) };
    const counts = { notes: notes.length, numbers: customer.numbers.length, interactions: out.interactions.length, callEvents: out.callEvents.length, callbacks: out.callbacks.length, recordings: out.recordings.length };
    // A sensitive read: who took a copy of everything about whom, never the copy itself.
    await this.d.audit.record({ actor: { userId: by.userId, username: by.username }, action: 'customer.export', target: { type: 'customer', id: customerId }, after: { ...counts, sensitiveRead: true }, ip: by.ip });
    this.d.log.info({ customerId, userId: by.userId, ...counts }, 'customer exported');
    return out;
  }

  /** Throws customer-not-found (404), invalid-body (422), confirmation-mismatch (400) or callback-pending (409), changing nothing. */
  async erase(customerId: number, body: unknown): Promise<EraseResult> {
    const { confirm } = checkedBody(EraseBody, body);
    const customer = await this.d.crm.get(customerId);
    if (confirm.trim() !== customer.name.trim()) throw confirmationMismatch();
    const at = new Date();
    const erased = await this.d.repo.erase({ customerId, callerForms: this.d.crm.deliveredForms(customer.numbers) }, at, () => callbackPending(customerId));
    // Gone between the read and the lock: erased by someone else a moment ago.
    if (!erased) throw customerGone(customerId);
    const files = await this.deleteFiles(erased.recordings);
    // A cached card would show the number for up to 12 hours more.
    await Promise.all(erased.interactionIds.map((id) => this.d.forgetCard(id).catch((err: Error) => this.d.log.warn({ interactionId: id, err: err.message }, 'erasure: desk card not dropped'))));
    const result: EraseResult = {
      customerId, erasedAt: at.toISOString(),
      deleted: { customer: 1, numbers: erased.numbers, notes: erased.notes, recordings: erased.recordings.length },
      anonymised: { interactions: erased.interactions, callEvents: erased.callEvents, callbacks: erased.callbacks, cdrs: erased.cdrs },
      files,
    };
    this.d.log.info({ customerId, deleted: result.deleted, anonymised: result.anonymised, filesFailed: files.failed.length }, 'customer erased');
    return result;
  }

  private async deleteFiles(recordings: Array<{ id: number; path: string }>): Promise<EraseResult['files']> {
    const root = resolve(this.d.recordingsRoot);
    const files: EraseResult['files'] = { deleted: 0, missing: 0, failed: [] };
    for (const r of recordings) {
      const file = resolve(this.d.hostPath(r.path));
      if (!file.startsWith(root + sep)) {
        this.d.log.error({ recordingId: r.id, file }, 'erasure: recording path outside the recordings directory, file left alone');
        files.failed.push(r.id);
        continue;
      }
      try {
        await unlink(file);
        files.deleted++;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') files.missing++;
        else {
          this.d.log.error({ recordingId: r.id, file, err: (err as Error).message }, 'erasure: recording file could not be deleted');
          files.failed.push(r.id);
        }
      }
    }
    return files;
  }
}
