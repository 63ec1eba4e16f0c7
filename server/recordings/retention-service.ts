import { rmdir, unlink } from 'node:fs/promises';
import { dirname, resolve, sep } from 'node:path';
import type { Logger } from '../core/logger.js';
import type { JobLock } from '../core/job-lock.js';
import type { AuditActor, AuditService } from '../audit/index.js';
import type { ExpiredRecording, RecordingRepository } from './recording-repository.js';
import type { RetentionLastRun, RetentionResult } from './schemas.js';

/** One queue's retention: its recordings are deleted `days` after they started. */
export interface RetentionPolicy {
  queue: string;
  days: number;
}

type RetentionCounts = Pick<RetentionResult, 'deleted' | 'missing' | 'failed' | 'bytesFreed'>;

export interface RetentionServiceDeps {
  repo: RecordingRepository;
  /** Queues that keep recordings for a limited time (null retention: not listed). */
  policies(): Promise<RetentionPolicy[]>;
  /** Turns the path stored in a row (as Asterisk sees it) into one this process can delete. */
  hostPath: (asteriskPath: string) => string;
  /** The recordings directory as this process sees it: nothing outside it is ever deleted. */
  hostRoot: string;
  audit: Pick<AuditService, 'record' | 'search'>;
  lock: JobLock;
  log: Logger;
  batchSize: number;
}

export const RETENTION_ACTION = 'recordings.retention';
const DAY_MS = 86_400_000;
const zero = (): RetentionCounts => ({ deleted: 0, missing: 0, failed: 0, bytesFreed: 0 });

/**
 * The retention run: per queue, deletes the files of recordings older than the queue's
 * days and marks their rows (`deleted_at`, `deleted_reason`), never deleting a row, so an
 * interaction still shows that it was recorded and why the file is gone. A file already
 * missing is marked 'missing'; one that cannot be deleted (permissions) stays unmarked and
 * is tried again next run. Each run writes one audit entry with its counts.
 */
export class RetentionService {
  private readonly root: string;

  constructor(private readonly d: RetentionServiceDeps) {
    this.root = resolve(d.hostRoot);
  }

  /** Undefined when a run is already going on (on this or another instance). */
  async run(actor: AuditActor, now = new Date()): Promise<RetentionResult | undefined> {
    return this.d.lock.run(async (renew) => {
      const result: RetentionResult = { startedAt: now.toISOString(), finishedAt: '', ...zero(), queues: [] };
      for (const policy of await this.d.policies()) {
        const counts = await this.sweepQueue(policy, now, renew);
        result.queues.push({ ...policy, ...counts });
        for (const k of ['deleted', 'missing', 'failed', 'bytesFreed'] as const) result[k] += counts[k];
      }
      result.finishedAt = new Date().toISOString();
      await this.d.audit.record({ actor, action: RETENTION_ACTION, target: { type: 'recordings', id: 'retention' }, after: { ...result } });
      this.d.log.info({ deleted: result.deleted, missing: result.missing, failed: result.failed }, 'recording retention run');
      return result;
    });
  }

  /** The latest run's result, who ran it and when, from the audit log; undefined before the first run. */
  async lastRun(): Promise<RetentionLastRun | undefined> {
    const [entry] = (await this.d.audit.search({ action: RETENTION_ACTION, limit: 1 })).items;
    return entry ? { at: entry.at, by: entry.actorUsername, result: entry.after as unknown as RetentionResult } : undefined;
  }

  private async sweepQueue(policy: RetentionPolicy, now: Date, renew: () => Promise<void>): Promise<RetentionCounts> {
    const counts = zero();
    const before = new Date(now.getTime() - policy.days * DAY_MS);
    let after: ExpiredRecording | undefined;
    for (;;) {
      const batch = await this.d.repo.expired({ queue: policy.queue, before, after, limit: this.d.batchSize });
      const gone = { retention: [] as number[], missing: [] as number[] };
      for (const r of batch) {
        const outcome = await this.remove(r);
        if (outcome === 'failed') counts.failed++;
        else gone[outcome].push(r.id);
        if (outcome === 'retention') counts.bytesFreed += r.sizeBytes;
      }
      await this.d.repo.markDeleted(gone.retention, 'retention', now);
      await this.d.repo.markDeleted(gone.missing, 'missing', now);
      counts.deleted += gone.retention.length;
      counts.missing += gone.missing.length;
      await this.pruneDays(batch);
      if (batch.length < this.d.batchSize) return counts;
      after = batch[batch.length - 1];
      await renew();
    }
  }

  private async remove(r: ExpiredRecording): Promise<'retention' | 'missing' | 'failed'> {
    const file = this.inside(r.path);
    if (!file) {
      this.d.log.warn({ recordingId: r.id, path: r.path }, 'recording outside the recordings directory left alone');
      return 'failed';
    }
    try {
      await unlink(file);
      return 'retention';
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
      this.d.log.warn({ recordingId: r.id, file, err: (err as Error).message }, 'recording could not be deleted, will retry next run');
      return 'failed';
    }
  }

  private inside(asteriskPath: string): string | undefined {
    const file = resolve(this.d.hostPath(asteriskPath));
    return file.startsWith(this.root + sep) ? file : undefined;
  }

  /**
   * Removes day folders left empty (a folder with files left fails, which is fine). Only
   * day folders: months and years may be the ones MixMonitor is writing into right now,
   * and removing one between its mkdirs would lose a recording.
   */
  private async pruneDays(batch: ExpiredRecording[]): Promise<void> {
    const days = new Set(batch.map((r) => this.inside(r.path)).filter((f): f is string => !!f).map((f) => dirname(f)));
    for (const day of days) if (day !== this.root) await rmdir(day).catch(() => undefined);
  }
}
